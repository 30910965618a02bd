//! The attribute's options: `#[scheme_fn]` or `#[scheme_fn(name = "x?")]`.

use syn::parse::Parser;

use crate::errors::Errors;

#[derive(Default)]
pub struct Options {
    /// `name = "..."`: the Scheme name, with the literal for error spans.
    pub name: Option<syn::LitStr>,
}

pub fn parse(args: proc_macro2::TokenStream) -> syn::Result<Options> {
    let mut options = Options::default();
    let mut errors = Errors::new();
    let metas =
        syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated.parse2(args)?;
    for meta in metas {
        match &meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("name") => {
                let lit = match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => s.clone(),
                    other => {
                        errors.at(
                            other,
                            "`name` must be a string literal, e.g. `name = \"string-repeat\"`",
                        );
                        continue;
                    }
                };
                if options.name.is_some() {
                    errors.at(&nv.path, "`name` is given twice");
                }
                options.name = Some(lit);
            }
            syn::Meta::Path(p) if p.is_ident("name") => {
                errors.at(p, "`name` needs a value: `name = \"scheme-name\"`");
            }
            other => {
                let key = other.path();
                let shown = quote::quote!(#key).to_string().replace(' ', "");
                errors.at(key, format!("unknown `#[scheme_fn]` option `{shown}`; the only option is `name = \"...\"`"));
            }
        }
    }
    errors.finish()?;
    Ok(options)
}
