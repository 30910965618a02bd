//! `#[derive(SchemeSymbol)]` (a fieldless enum as a symbol) and
//! `#[derive(SchemeRecord)]` (a struct as a Scheme record, with its
//! constructor, predicate and accessors as primitives).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Fields};

use crate::errors::Errors;
use crate::methods::kebab;
use crate::names;

/// `#[scheme(name = "...")]` on a type, a variant or a field.
fn scheme_name(attrs: &[syn::Attribute], errors: &mut Errors) -> Option<String> {
    let mut name = None;
    for a in attrs.iter().filter(|a| a.path().is_ident("scheme")) {
        let parsed = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                if let Some(why) = names::invalid_identifier(&lit.value()) {
                    return Err(syn::Error::new(lit.span(), why));
                }
                name = Some(lit.value());
                Ok(())
            } else {
                Err(meta.error(
                    "unknown `#[scheme(...)]` option; the only option here is `name = \"...\"`",
                ))
            }
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
    }
    name
}

pub fn scheme_symbol(input: DeriveInput) -> syn::Result<TokenStream> {
    let mut errors = Errors::new();
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`SchemeSymbol` is for enums whose variants have no fields: `enum Mode { Read, Write }`",
        ));
    };
    if !input.generics.params.is_empty() {
        errors.at(
            &input.generics,
            "`SchemeSymbol` cannot be derived for a generic enum",
        );
    }
    let ident = &input.ident;
    let mut variants = Vec::new();
    let mut symbols = Vec::new();
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            errors.at(&v.fields, "`SchemeSymbol` variants cannot have fields: each one is a symbol\nhint: derive `SchemeRecord` on a struct for data");
        }
        let name =
            scheme_name(&v.attrs, &mut errors).unwrap_or_else(|| kebab(&v.ident.to_string()));
        variants.push(&v.ident);
        symbols.push(name);
    }
    errors.finish()?;
    let type_name = format!("(one-of {})", symbols.join(" "));
    Ok(quote! {
        impl<'a> ::scheme_runtime::FromScheme<'a> for #ident {
            const TYPE_NAME: &'static str = #type_name;
            fn from_scheme(v: ::scheme_runtime::Value<'a>, _: &mut ::scheme_runtime::Args<'a>) -> ::core::option::Option<Self> {
                match ::scheme_runtime::Symbol::of(v)?.name() {
                    #(#symbols => ::core::option::Option::Some(#ident::#variants),)*
                    _ => ::core::option::Option::None,
                }
            }
        }
        impl<'s> ::scheme_runtime::IntoScheme<'s> for #ident {
            const TYPE_NAME: &'static str = #type_name;
            fn into_scheme(self, ctx: &mut ::scheme_runtime::Ctx<'s>) -> ::scheme_runtime::Value<'s> {
                ctx.intern(match self {
                    #(#ident::#variants => #symbols,)*
                })
            }
        }
    })
}

pub fn scheme_record(input: DeriveInput) -> syn::Result<TokenStream> {
    let mut errors = Errors::new();
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`SchemeRecord` is for structs with named fields: `struct Point { x: f64, y: f64 }`",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new_spanned(
            &data.fields,
            "`SchemeRecord` needs named fields (each becomes a field of the Scheme record, with an accessor)",
        ));
    };
    if !input.generics.params.is_empty() {
        errors.at(
            &input.generics,
            "`SchemeRecord` cannot be derived for a generic struct: Scheme needs one record type",
        );
    }
    let ident = &input.ident;
    let record =
        scheme_name(&input.attrs, &mut errors).unwrap_or_else(|| kebab(&ident.to_string()));
    let mut field_idents = Vec::new();
    let mut field_types = Vec::new();
    let mut field_names = Vec::new();
    for f in &fields.named {
        field_idents.push(f.ident.clone().expect("named"));
        field_types.push(f.ty.clone());
        field_names.push(
            scheme_name(&f.attrs, &mut errors)
                .unwrap_or_else(|| kebab(&f.ident.as_ref().expect("named").to_string())),
        );
    }
    errors.finish()?;
    let indices: Vec<usize> = (0..field_idents.len()).collect();
    let make_name = format!("make-{record}");
    let predicate_name = format!("{record}?");
    let make_fn = format_ident!("__scheme_record_make_{}", ident);
    let predicate_fn = format_ident!("__scheme_record_is_{}", ident);
    let accessors = field_idents.iter().zip(&field_names).zip(&field_types).enumerate().map(
        |(i, ((f, name), ty))| {
            let get_name = format!("{record}-{name}");
            let set_name = format!("{record}-{name}-set!");
            let get_fn = format_ident!("__scheme_record_get_{}_{}", ident, f);
            let set_fn = format_ident!("__scheme_record_set_{}_{}", ident, f);
            let object = format_ident!("{}", record.replace(['-', '?', '!'], "_"));
            let get_doc = format!("Field `{name}` of a `{record}` record.");
            let set_doc = format!("Set field `{name}` of a `{record}` record.");
            quote! {
                #[doc = #get_doc]
                #[::scheme_runtime::scheme_fn(name = #get_name)]
                #[allow(non_snake_case)]
                fn #get_fn(#object: ::scheme_runtime::RecordOf<#ident>) -> ::scheme_runtime::Value {
                    #object.field(#i)
                }
                #[doc = #set_doc]
                #[::scheme_runtime::scheme_fn(name = #set_name)]
                #[allow(non_snake_case)]
                fn #set_fn(ctx: &mut ::scheme_runtime::Ctx, #object: ::scheme_runtime::RecordOf<#ident>, #f: ::scheme_runtime::Value) -> ::core::result::Result<(), ::std::string::String> {
                    #[allow(unused_imports)]
                    use ::scheme_runtime::__private::{ProbeField, ProbeFieldMissing};
                    // Only values the field's type accepts: the record must
                    // convert back to the Rust struct.
                    if let ::core::result::Result::Err(expected) = (&&::scheme_runtime::__private::Probe::<#ty>::new()).check_field(ctx, #f) {
                        return ::core::result::Result::Err(::std::format!(
                            "argument 2 ({}): expected {}, got {}",
                            ::core::stringify!(#f),
                            expected,
                            ctx.write_string(#f),
                        ));
                    }
                    #object.set_field(#i, #f);
                    ::core::result::Result::Ok(())
                }
            }
        },
    );
    let make_doc = format!("A new `{record}` record.");
    let predicate_doc = format!("Is the value a `{record}` record?");
    Ok(quote! {
        impl ::scheme_runtime::SchemeRecord for #ident {
            const NAME: &'static str = #record;
            const FIELDS: &'static [&'static str] = &[#(#field_names),*];
            const KEY: &'static str = ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#ident));
        }
        impl<'a> ::scheme_runtime::FromScheme<'a> for #ident {
            const TYPE_NAME: &'static str = #record;
            fn from_scheme(v: ::scheme_runtime::Value<'a>, args: &mut ::scheme_runtime::Args<'a>) -> ::core::option::Option<Self> {
                #[allow(unused_imports)]
                use ::scheme_runtime::__private::{ProbeParam, ProbeParamMissing};
                let r = ::scheme_runtime::RecordOf::<#ident>::of(args, v)?;
                ::core::option::Option::Some(#ident {
                    // Each field held: a callback may change the record
                    // while Rust holds what the field converted to.
                    #(#field_idents: { let f = args.hold(r.field(#indices)); (&&::scheme_runtime::__private::Probe::<#field_types>::new()).convert_value(args, f)? },)*
                })
            }
        }
        impl<'s> ::scheme_runtime::IntoScheme<'s> for #ident {
            const TYPE_NAME: &'static str = #record;
            fn into_scheme(self, ctx: &mut ::scheme_runtime::Ctx<'s>) -> ::scheme_runtime::Value<'s> {
                #[allow(unused_imports)]
                use ::scheme_runtime::__private::{ProbeField, ProbeFieldMissing};
                let fields = [#((&&::scheme_runtime::__private::Probe::<#field_types>::new()).field_value(ctx, self.#field_idents)),*];
                <#ident as ::scheme_runtime::SchemeRecord>::make(ctx, &fields)
            }
        }
        const _: () = {
            /// Never called: each field's type must convert to Scheme (the
            /// constructor checks the other direction).
            #[allow(dead_code)]
            fn __check_fields() {
                #(::scheme_runtime::__private::assert_into::<#field_types>();)*
            }
            #[doc = #make_doc]
            #[::scheme_runtime::scheme_fn(name = #make_name)]
            #[allow(non_snake_case)]
            fn #make_fn(#(#field_idents: #field_types),*) -> #ident {
                #ident { #(#field_idents),* }
            }
            #[doc = #predicate_doc]
            #[::scheme_runtime::scheme_fn(name = #predicate_name)]
            #[allow(non_snake_case)]
            fn #predicate_fn(ctx: &mut ::scheme_runtime::Ctx, v: ::scheme_runtime::Value) -> bool {
                <#ident as ::scheme_runtime::SchemeRecord>::is(ctx, v)
            }
            #(#accessors)*
        };
    })
}
