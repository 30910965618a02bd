//! `#[scheme_fn]`: turns an ordinary Rust function into a Scheme primitive.
//!
//! The work runs parse => validate => expand, one module each:
//! `attr` reads the attribute's options, `model` turns the function into a
//! checked model (parameters as context / required / optional / rest, the
//! return type), `names` derives and checks Scheme names, `expand` writes
//! the trampolines and the registry entry. Every user error is a spanned
//! `syn::Error`; all of them are reported together, and the user's function
//! is emitted unchanged beside them so no cascade of errors follows.

mod attr;
mod errors;
mod expand;
mod model;
mod names;

use proc_macro::TokenStream;

/// Expose a Rust function to Scheme. See the `scheme-runtime` crate docs.
#[proc_macro_attribute]
pub fn scheme_fn(args: TokenStream, input: TokenStream) -> TokenStream {
    let input2: proc_macro2::TokenStream = input.clone().into();
    match run(args.into(), input2.clone()) {
        Ok(tokens) => tokens.into(),
        Err(err) => {
            let errors = err.to_compile_error();
            quote::quote!(#errors #input2).into()
        }
    }
}

fn run(
    args: proc_macro2::TokenStream,
    input: proc_macro2::TokenStream,
) -> syn::Result<proc_macro2::TokenStream> {
    let item: syn::ItemFn = syn::parse2(input).map_err(|e| {
        syn::Error::new(e.span(), "`#[scheme_fn]` can only be applied to a function")
    })?;
    let options = attr::parse(args)?;
    let model = model::Model::new(item, options)?;
    Ok(expand::expand(&model))
}
