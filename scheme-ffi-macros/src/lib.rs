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
mod brand;
mod derive;
mod errors;
mod expand;
mod methods;
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
            let item = brand::brand_item(input2);
            quote::quote!(#errors #item).into()
        }
    }
}

/// Expose the methods of an inherent `impl` block as Scheme primitives
/// (`make-db`, `db-get`, `db-set!`). See the `scheme-runtime` crate docs.
#[proc_macro_attribute]
pub fn scheme_methods(args: TokenStream, input: TokenStream) -> TokenStream {
    let input2: proc_macro2::TokenStream = input.into();
    match methods::expand(args.into(), input2.clone()) {
        Ok(tokens) => tokens.into(),
        Err(err) => {
            let errors = err.to_compile_error();
            let item = methods::strip(input2);
            quote::quote!(#errors #item).into()
        }
    }
}

/// A fieldless enum as a Scheme symbol: `Mode::ReadWrite` <=> `read-write`.
#[proc_macro_derive(SchemeSymbol, attributes(scheme))]
pub fn derive_scheme_symbol(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive::scheme_symbol(input)
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}

/// A struct as a Scheme record, passed by value, with `make-NAME`,
/// `NAME?`, `NAME-FIELD` and `NAME-FIELD-set!` primitives.
#[proc_macro_derive(SchemeRecord, attributes(scheme))]
pub fn derive_scheme_record(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive::scheme_record(input)
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
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
