//! Code generation. Generated code stays thin: it converts each argument
//! and the result through `::scheme_runtime::__private`, which alone does
//! arity checks, `catch_unwind`, error reporting and the registry entry.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;

use crate::model::{Kind, Model};
use crate::names;

/// Arguments passed in registers by the fast entry (rdi holds the context).
const MAX_REGISTER_ARGS: usize = 5;

/// `&str` => `&'static str`, for naming the type in a `static`.
fn with_static_lifetimes(ty: &syn::Type) -> syn::Type {
    struct Fill;
    impl VisitMut for Fill {
        fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
            if r.lifetime.as_ref().is_none_or(|l| l.ident == "_") {
                r.lifetime = Some(syn::Lifetime::new("'static", r.and_token.span()));
            }
            syn::visit_mut::visit_type_reference_mut(self, r);
        }
        fn visit_lifetime_mut(&mut self, l: &mut syn::Lifetime) {
            if l.ident == "_" {
                *l = syn::Lifetime::new("'static", l.span());
            }
        }
    }
    let mut ty = ty.clone();
    Fill.visit_type_mut(&mut ty);
    ty
}

pub fn expand(m: &Model) -> TokenStream {
    let item = &m.item;
    let fn_ident = &item.sig.ident;
    let name = &m.scheme_name;
    // Symbols carry the crate name: a plugin may define a primitive whose
    // Scheme name clashes with a built-in (reported by the compiler), but
    // its symbols must not clash when it links its copy of the runtime.
    let krate = std::env::var("CARGO_CRATE_NAME").unwrap_or_default();
    let symbol = names::symbol(&format!("scm_p_{krate}__"), name);
    let fast = m.optional() == 0
        && m.rest().is_none()
        && m.required() <= MAX_REGISTER_ARGS
        && !m.params.iter().any(|p| p.mut_string);
    let fast_symbol = names::symbol(&format!("scm_pf_{krate}__"), name);
    let doc = &m.doc;
    let min = m.required() as u32;
    let max = if m.rest().is_some() {
        quote!(::scheme_runtime::registry::VARIADIC)
    } else {
        let n = (m.required() + m.optional()) as u32;
        quote!(#n)
    };

    let param_descs = m
        .scheme_params()
        .filter(|p| matches!(p.kind, Kind::Required | Kind::Optional))
        .map(|p| {
            let pname = p.ident.to_string();
            let ty = with_static_lifetimes(&p.ty);
            let type_name = if p.mut_string {
                quote!("string")
            } else {
                quote!(<#ty as ::scheme_runtime::__private::FromScheme<'static>>::TYPE_NAME)
            };
            quote_spanned!(p.ty.span()=> ::scheme_runtime::registry::ParamDesc {
                name: #pname,
                type_name: #type_name,
            })
        });
    let rest_desc = match m.rest() {
        None => quote!(::core::option::Option::None),
        Some(p) => {
            let pname = p.ident.to_string();
            let type_name = match p.kind {
                Kind::RestTyped => {
                    let ty = with_static_lifetimes(&p.ty);
                    quote!(<#ty as ::scheme_runtime::__private::RestType>::TYPE_NAME)
                }
                _ => quote!("any"),
            };
            quote!(::core::option::Option::Some(::scheme_runtime::registry::ParamDesc { name: #pname, type_name: #type_name }))
        }
    };
    let result_name = match &m.ret {
        None => quote!("unspecified"),
        Some(ty) => {
            let ty = with_static_lifetimes(ty);
            quote_spanned!(ty.span()=> <#ty as ::scheme_runtime::__private::ReturnValue>::TYPE_NAME)
        }
    };

    // The body shared by both entries: convert, call, fix up, convert back.
    // With `converted`, required arguments are already converted (fast entry).
    let body = |args: &dyn Fn(usize) -> TokenStream, converted: bool| -> TokenStream {
        let mut lets = Vec::new();
        let mut call_args = Vec::new();
        let mut fixups = Vec::new();
        let mut index = 0usize;
        for p in &m.params {
            let var = format_ident!("__arg_{}", p.ident);
            let ty = &p.ty;
            match p.kind {
                Kind::Context => {
                    call_args.push(quote!(&mut *__ctx));
                    continue;
                }
                Kind::Required => {
                    let v = args(index);
                    if p.mut_string {
                        // The function changes a copy, stored back after the call.
                        let owned = format_ident!("__owned_{}", p.ident);
                        lets.push(quote_spanned!(ty.span()=>
                            let mut #owned: ::std::string::String = ::scheme_runtime::__private::string_copy(__ctx, #v, &__DESC, #index);
                            let #var: &mut ::std::string::String = &mut #owned;
                        ));
                        fixups.push(quote!(::scheme_runtime::__private::string_store(__ctx, #v, #owned);));
                    } else if !converted {
                        lets.push(quote_spanned!(ty.span()=>
                            let #var: #ty = ::scheme_runtime::__private::arg(__ctx, #v, &__DESC, #index);
                        ));
                    }
                }
                Kind::Optional => lets.push(quote_spanned!(ty.span()=>
                    let #var: #ty = ::scheme_runtime::__private::optional_arg(__ctx, __args.get(#index).copied(), &__DESC, #index);
                )),
                Kind::RestValues => lets.push(quote_spanned!(ty.span()=>
                    let #var: #ty = ::scheme_runtime::__private::rest_values(__args, #index);
                )),
                Kind::RestTyped if crate::model::is_named(ty, "RestSlice") => {
                    let pname = p.ident.to_string();
                    lets.push(quote_spanned!(ty.span()=>
                        let #var: #ty = ::scheme_runtime::__private::rest_slice(__args, #index, #pname);
                    ))
                }
                Kind::RestTyped => lets.push(quote_spanned!(ty.span()=>
                    let #var: #ty = ::scheme_runtime::__private::rest_arg(__ctx, __args, &__DESC, #index);
                )),
            }
            call_args.push(quote!(#var));
            index += 1;
        }
        let ret_span = m
            .ret
            .as_ref()
            .map_or_else(proc_macro2::Span::call_site, |t| t.span());
        let ret =
            quote_spanned!(ret_span=> ::scheme_runtime::__private::ret(__ctx, &__DESC, __result));
        quote! {
            #(#lets)*
            let __result = #fn_ident(#(#call_args),*);
            #(#fixups)*
            #ret
        }
    };

    let array_body = body(&|i| quote!(__args[#i]), false);
    let fast_entry = if fast {
        let params: Vec<_> = (0..m.required())
            .map(|i| format_ident!("__a{}", i))
            .collect();
        let fast_body = body(
            &|i| {
                let p = &params[i];
                quote!(#p)
            },
            true,
        );
        // Convert every argument on the fast path first; if any needs the
        // general conversion (a bignum, a wrong type), hand the whole call to
        // the array entry, which converts with full checks and errors. The
        // fast entry then keeps no state across calls (no saved registers).
        let required: Vec<_> = m.scheme_params().collect();
        let vars: Vec<_> = required
            .iter()
            .map(|p| format_ident!("__arg_{}", p.ident))
            .collect();
        let tys: Vec<_> = required.iter().map(|p| &p.ty).collect();
        let convert = if params.is_empty() {
            quote!()
        } else {
            quote! {
                let (#(::core::option::Option::Some(#vars),)*): (#(::core::option::Option<#tys>,)*) =
                    (#(::scheme_runtime::__private::fast_arg(#params),)*)
                else {
                    // SAFETY: forwards this call's arguments.
                    return unsafe { __general_entry(__ctx, #(#params),*) };
                };
            }
        };
        quote! {
            /// The register entry's way to the array entry, out of line so
            /// the fast path needs no stack frame.
            #[cold]
            #[inline(never)]
            unsafe extern "C" fn __general_entry(
                __ctx: *mut ::scheme_runtime::Ctx,
                #(#params: ::scheme_runtime::Value),*
            ) -> ::scheme_runtime::Value {
                let __all = [#(#params),*];
                // SAFETY: forwards the caller's arguments.
                unsafe { __array_entry(__ctx, __all.as_ptr(), __all.len() as u64) }
            }

            #[doc(hidden)]
            #[export_name = #fast_symbol]
            unsafe extern "C" fn __fast_entry(
                __ctx: *mut ::scheme_runtime::Ctx,
                #(#params: ::scheme_runtime::Value),*
            ) -> ::scheme_runtime::Value {
                #convert
                // SAFETY: compiled code passes the runtime context and the
                // number of arguments the descriptor declares.
                unsafe {
                    ::scheme_runtime::__private::fast_entry(__ctx, &__DESC, move |__ctx| { #fast_body })
                }
            }
        }
    } else {
        quote!()
    };
    let fast_symbol_value = if fast {
        quote!(::core::option::Option::Some(#fast_symbol))
    } else {
        quote!(::core::option::Option::None)
    };

    quote! {
        #item

        #[doc(hidden)]
        #[allow(non_snake_case, non_upper_case_globals, clippy::needless_borrow)]
        const _: () = {
            #[::scheme_runtime::__private::linkme::distributed_slice(::scheme_runtime::registry::PRIMITIVES)]
            #[linkme(crate = ::scheme_runtime::__private::linkme)]
            static __DESC: ::scheme_runtime::registry::PrimDesc = ::scheme_runtime::registry::PrimDesc {
                name: #name,
                symbol: #symbol,
                fast_symbol: #fast_symbol_value,
                entry: __array_entry,
                min_args: #min,
                max_args: #max,
                params: &[#(#param_descs),*],
                rest: #rest_desc,
                result: #result_name,
                doc: #doc,
                origin: ::core::env!("CARGO_CRATE_NAME"),
            };

            #[doc(hidden)]
            #[export_name = #symbol]
            unsafe extern "C" fn __array_entry(
                __ctx: *mut ::scheme_runtime::Ctx,
                __argv: *const ::scheme_runtime::Value,
                __argc: u64,
            ) -> ::scheme_runtime::Value {
                // SAFETY: compiled code passes the runtime context and
                // `__argc` values at `__argv`.
                unsafe {
                    ::scheme_runtime::__private::array_entry(__ctx, __argv, __argc, &__DESC, |__ctx, __args| { #array_body })
                }
            }

            #fast_entry
        };
    }
}
