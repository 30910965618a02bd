//! `#[scheme_methods]` on an inherent `impl` block: each method becomes a
//! Scheme primitive, like PyO3's `#[pymethods]`.
//!
//! ```ignore
//! #[scheme_methods]
//! impl Db {
//!     #[new] fn new() -> Self { ... }                        // make-db
//!     fn get(&self, key: &str) -> Option<i64> { ... }        // db-get
//!     fn set(&mut self, key: String, v: i64) { ... }         // db-set!
//!     fn is_empty(&self) -> bool { ... }                     // db-empty?
//!     fn open(path: &str) -> Result<Self, String> { ... }    // db-open
//! }
//! ```
//!
//! Each method gets a wrapper, a free function marked `#[scheme_fn]` that
//! takes the object as `&Db`/`&mut Db` (so it is checked and borrowed as
//! any `SchemeObject` argument) and calls the method: every rule and
//! error of `#[scheme_fn]` applies unchanged. The prefix is the type's
//! name in kebab case (`HttpClient` => `http-client`) unless given:
//! `#[scheme_methods(prefix = "client")]`. Per method: `#[scheme(name =
//! "...")]` sets the whole Scheme name, `#[scheme(skip)]` leaves it out.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{FnArg, ImplItem, ItemImpl, Pat, ReturnType, Type};

use crate::errors::Errors;
use crate::names;

/// `HttpClient` => `http-client`.
pub fn kebab(ident: &str) -> String {
    let mut out = String::new();
    for (i, c) in ident.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.extend(c.to_lowercase());
        } else if c == '_' {
            out.push('-');
        } else {
            out.push(c);
        }
    }
    out
}

/// `#[scheme_methods(prefix = "...")]`.
fn parse_prefix(args: TokenStream) -> syn::Result<Option<syn::LitStr>> {
    let metas =
        syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated.parse2(args)?;
    let mut prefix = None;
    for meta in metas {
        match &meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("prefix") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => prefix = Some(s.clone()),
                other => {
                    return Err(syn::Error::new_spanned(
                        other,
                        "`prefix` must be a string literal, e.g. `prefix = \"db\"`",
                    ))
                }
            },
            other => {
                return Err(syn::Error::new_spanned(
                    other.path(),
                    "unknown `#[scheme_methods]` option; the only option is `prefix = \"...\"`",
                ))
            }
        }
    }
    Ok(prefix)
}

/// What a method's `#[scheme(...)]` and `#[new]` attributes say.
#[derive(Default)]
struct MethodOptions {
    name: Option<syn::LitStr>,
    skip: bool,
    constructor: bool,
}

/// Read and remove our attributes from a method.
fn take_options(attrs: &mut Vec<syn::Attribute>, errors: &mut Errors) -> MethodOptions {
    let mut options = MethodOptions::default();
    attrs.retain(|a| {
        if a.path().is_ident("new") {
            options.constructor = true;
            return false;
        }
        if !a.path().is_ident("scheme") {
            return true;
        }
        let parsed = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("skip") {
                options.skip = true;
                Ok(())
            } else if meta.path.is_ident("name") {
                options.name = Some(meta.value()?.parse()?);
                Ok(())
            } else {
                Err(meta.error("unknown `#[scheme(...)]` option on a method; the options are `name = \"...\"` and `skip`"))
            }
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
        false
    });
    options
}

/// Replaces `Self` with the impl's type, for types moved out of the impl.
struct ReplaceSelf<'a>(&'a Type);

impl VisitMut for ReplaceSelf<'_> {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(p) = ty {
            if p.qself.is_none() && p.path.is_ident("Self") {
                *ty = self.0.clone();
                return;
            }
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

fn is_ctx(ty: &Type) -> bool {
    matches!(ty, Type::Reference(r) if r.mutability.is_some() && crate::model::is_named(&r.elem, "Ctx"))
}

pub fn expand(args: TokenStream, input: TokenStream) -> syn::Result<TokenStream> {
    let mut item: ItemImpl = syn::parse2(input).map_err(|e| {
        syn::Error::new(
            e.span(),
            "`#[scheme_methods]` goes on an `impl` block: `#[scheme_methods] impl Db { ... }`",
        )
    })?;
    let prefix = parse_prefix(args)?;
    let mut errors = Errors::new();
    if let Some((_, path, _)) = &item.trait_ {
        errors.at(
            path,
            "`#[scheme_methods]` goes on an inherent `impl Type { ... }` block, not a trait impl",
        );
    }
    if !item.generics.params.is_empty() {
        errors.at(
            &item.generics,
            "`#[scheme_methods]` cannot be used on a generic impl: Scheme needs one concrete type\nhint: write an `impl` block for each concrete type",
        );
    }
    let self_ty = (*item.self_ty).clone();
    let type_ident = match &self_ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| s.ident.clone()),
        _ => None,
    };
    let Some(type_ident) = type_ident else {
        return Err(syn::Error::new_spanned(
            &self_ty,
            "`#[scheme_methods]` needs a named type: `impl Db { ... }`",
        ));
    };
    let prefix = prefix.map_or_else(|| kebab(&type_ident.to_string()), |p| p.value());
    // The object's parameter: named after the type, so errors read
    // "db-get: argument 1 (db): expected db, got 5".
    let object_name = prefix.replace(['-', '?', '!'], "_");

    let mut wrappers = Vec::new();
    for impl_item in &mut item.items {
        let ImplItem::Fn(method) = impl_item else {
            continue;
        };
        let options = take_options(&mut method.attrs, &mut errors);
        if options.skip {
            continue;
        }
        let sig = &method.sig;
        let method_ident = &sig.ident;
        let mut object: Option<TokenStream> = None;
        let mut ctx_param: Option<TokenStream> = None;
        let mut params = Vec::new();
        let mut call_args = Vec::new();
        let mut mutating = false;
        let object_ident = {
            let taken = sig.inputs.iter().any(|a| {
                matches!(a, FnArg::Typed(pt) if matches!(&*pt.pat, Pat::Ident(pi) if pi.ident == object_name))
            });
            let name = if taken { "this" } else { object_name.as_str() };
            syn::Ident::new(name, Span::call_site())
        };
        for (i, input) in sig.inputs.iter().enumerate() {
            match input {
                FnArg::Receiver(r) => {
                    if r.colon_token.is_some() {
                        errors.at(
                            r,
                            "a Scheme method takes `&self` or `&mut self`, not a typed `self`",
                        );
                        continue;
                    }
                    let Some((and, _)) = &r.reference else {
                        errors.at(r, "a Scheme method cannot take `self` by value: Scheme keeps the object\nhint: take `&self` or `&mut self`, or return a new object");
                        continue;
                    };
                    mutating = r.mutability.is_some();
                    let m = r.mutability;
                    object = Some(quote_spanned!(and.span()=> #object_ident: &#m #self_ty));
                    call_args.push(quote!(#object_ident));
                }
                FnArg::Typed(pt) => {
                    let mut ty = (*pt.ty).clone();
                    ReplaceSelf(&self_ty).visit_type_mut(&mut ty);
                    let ident = match &*pt.pat {
                        Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                            pi.ident.clone()
                        }
                        _ => format_ident!("__arg{}", i),
                    };
                    if is_ctx(&ty) {
                        ctx_param = Some(quote!(#ident: #ty));
                    } else {
                        params.push(quote!(#ident: #ty));
                    }
                    call_args.push(quote!(#ident));
                }
            }
        }
        if options.constructor && object.is_some() {
            errors.at(&sig.ident, "a `#[new]` constructor takes no `self`");
        }
        let scheme_name = match &options.name {
            Some(lit) => lit.value(),
            None if options.constructor => format!("make-{prefix}"),
            None => {
                let base = names::scheme_name(&method_ident.to_string());
                let bang = mutating && !base.ends_with(['!', '?']);
                format!("{prefix}-{base}{}", if bang { "!" } else { "" })
            }
        };
        let name_lit = syn::LitStr::new(
            &scheme_name,
            options
                .name
                .as_ref()
                .map_or(method_ident.span(), |l| l.span()),
        );
        let output = match &sig.output {
            ReturnType::Default => quote!(),
            ReturnType::Type(arrow, ty) => {
                let mut ty = (**ty).clone();
                ReplaceSelf(&self_ty).visit_type_mut(&mut ty);
                quote!(#arrow #ty)
            }
        };
        let docs = method.attrs.iter().filter(|a| a.path().is_ident("doc"));
        let wrapper = format_ident!("__scheme_method_{}_{}", type_ident, method_ident);
        let all_params = ctx_param.into_iter().chain(object).chain(params);
        wrappers.push(quote_spanned! {method_ident.span()=>
            #(#docs)*
            #[::scheme_runtime::scheme_fn(name = #name_lit)]
            #[allow(non_snake_case, clippy::needless_pass_by_value)]
            fn #wrapper(#(#all_params),*) #output {
                <#self_ty>::#method_ident(#(#call_args),*)
            }
        });
        // The method itself gets the brand too (the wrapper passes it on).
        crate::brand::brand_signature(&mut method.sig);
    }
    errors.finish()?;
    Ok(quote! {
        #item
        #(#wrappers)*
    })
}

/// The impl unchanged but for our attributes, for when expansion failed
/// (so that errors do not cascade into "cannot find attribute `new`").
pub fn strip(input: TokenStream) -> TokenStream {
    match syn::parse2::<ItemImpl>(input.clone()) {
        Ok(mut item) => {
            let mut ignored = Errors::new();
            for impl_item in &mut item.items {
                if let ImplItem::Fn(method) = impl_item {
                    if !take_options(&mut method.attrs, &mut ignored).skip {
                        crate::brand::brand_signature(&mut method.sig);
                    }
                }
            }
            item.into_token_stream()
        }
        Err(_) => input,
    }
}
