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

/// Whether a type contains a reference (a borrowed argument).
fn has_reference(ty: &syn::Type) -> bool {
    struct Finder(bool);
    impl VisitMut for Finder {
        fn visit_type_reference_mut(&mut self, _: &mut syn::TypeReference) {
            self.0 = true;
        }
    }
    let mut f = Finder(false);
    f.visit_type_mut(&mut ty.clone());
    f.0
}

pub fn expand(m: &Model) -> TokenStream {
    let krate = std::env::var("CARGO_CRATE_NAME").unwrap_or_default();
    let runtime = crate::brand::in_runtime();
    // The user's function, with the brand written into its signature (the
    // runtime's own functions work at `'static`: `scheme_runtime::rt`).
    let mut item = m.item.clone();
    crate::brand::brand_signature(&mut item.sig);
    let item = &item;
    let fn_ident = &item.sig.ident;
    let name = &m.scheme_name;
    // Symbols carry the crate name: a plugin may define a primitive whose
    // Scheme name clashes with a built-in (reported by the compiler), but
    // its symbols must not clash when it links its copy of the runtime.
    let symbol = names::symbol(&format!("scm_p_{krate}__"), name);
    let fast = m.optional() == 0
        && m.rest().is_none()
        && m.required() <= MAX_REGISTER_ARGS
        && !m.params.iter().any(|p| p.mut_string);
    let fast_symbol = names::symbol(&format!("scm_pf_{krate}__"), name);
    // Plugins' calls hold what they get; the runtime's own only where they
    // borrow an argument and can call Scheme (see `PrimDesc::holds`).
    let holds = !runtime
        || (m.params.iter().any(|p| p.kind == Kind::Context)
            && m.scheme_params()
                .any(|p| p.kind != Kind::RestValues && !p.mut_string && has_reference(&p.ty)));
    let doc = &m.doc;
    let min = m.required() as u32;
    let max = if m.rest().is_some() {
        quote!(::scheme_runtime::registry::VARIADIC)
    } else {
        let n = (m.required() + m.optional()) as u32;
        quote!(#n)
    };

    // Each parameter and result type is checked once, on the type
    // (`assert_param`, `assert_result`); every other use goes through
    // `Probe`, which compiles either way, so an unsupported type gets one
    // error. The descriptors' type names are functions written here.
    let mut type_checks = Vec::new();
    let mut describers = Vec::new();
    let param_descs: Vec<TokenStream> = m
        .scheme_params()
        .filter(|p| matches!(p.kind, Kind::Required | Kind::Optional))
        .enumerate()
        .map(|(i, p)| {
            let pname = p.ident.to_string();
            let ty = &p.ty;
            let type_name = if p.mut_string {
                quote!(::scheme_runtime::__private::string_type_name)
            } else {
                let describer = format_ident!("__describe_param_{}", i);
                type_checks.push(
                    quote_spanned!(ty.span()=> ::scheme_runtime::__private::assert_param::<#ty>();),
                );
                describers.push(quote! {
                    fn #describer() -> ::std::string::String {
                        (&&::scheme_runtime::__private::Probe::<#ty>::new()).describe_param()
                    }
                });
                quote!(#describer)
            };
            quote_spanned!(p.ty.span()=> ::scheme_runtime::registry::ParamDesc {
                name: #pname,
                type_name: #type_name,
            })
        })
        .collect();
    let rest_desc = match m.rest() {
        None => quote!(::core::option::Option::None),
        Some(p) => {
            let pname = p.ident.to_string();
            let type_name = match p.kind {
                Kind::RestTyped => {
                    let ty = with_static_lifetimes(&p.ty);
                    quote!(<#ty as ::scheme_runtime::__private::RestType>::describe)
                }
                _ => quote!(::scheme_runtime::__private::any_type_name),
            };
            quote!(::core::option::Option::Some(::scheme_runtime::registry::ParamDesc { name: #pname, type_name: #type_name }))
        }
    };
    let result_name = match &m.ret {
        None => quote!(::scheme_runtime::__private::unspecified_type_name),
        Some(ty) => {
            // `Result<T, E>`: `T` and `E` are checked apart (`E` below).
            match ok_type(ty) {
                Some(t) => type_checks.push(
                    quote_spanned!(t.span()=> ::scheme_runtime::__private::assert_into::<#t>();),
                ),
                None => type_checks.push(
                    quote_spanned!(ty.span()=> ::scheme_runtime::__private::assert_result::<#ty>();),
                ),
            }
            describers.push(quote! {
                fn __describe_result() -> ::std::string::String {
                    (&&::scheme_runtime::__private::Probe::<#ty>::new()).describe_result()
                }
            });
            quote!(__describe_result)
        }
    };
    let ret_ty = m.ret.clone().map_or_else(|| quote!(()), |t| quote!(#t));

    // The body shared by both entries: convert, call, fix up, convert back.
    // With `fast`, required arguments try their register-entry conversion
    // first (`arg_fast`).
    // The user's function called; an iterator it returns collected.
    let collected = |call: TokenStream| -> TokenStream {
        if m.collect {
            quote!(::core::iter::Iterator::collect::<#ret_ty>(#call))
        } else {
            call
        }
    };
    let body = |args: &dyn Fn(usize) -> TokenStream, fast: bool| -> TokenStream {
        let arg_fn_name = if fast { "arg_fast" } else { "arg" };
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
                    } else {
                        // Spanned so a type error points at the parameter.
                        let arg_fn = syn::Ident::new(arg_fn_name, ty.span());
                        lets.push(quote_spanned!(ty.span()=>
                            let #var: #ty = (&&::scheme_runtime::__private::Probe::<#ty>::new()).#arg_fn(&mut __cx, #v, &__DESC, #index);
                        ));
                    }
                }
                Kind::Optional => lets.push(quote_spanned!(ty.span()=>
                    let #var: #ty = ::scheme_runtime::__private::optional_arg(&mut __cx, __args.get(#index).copied(), &__DESC, #index);
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
                    let #var: #ty = ::scheme_runtime::__private::rest_arg(&mut __cx, __args, &__DESC, #index);
                )),
            }
            call_args.push(quote!(#var));
            index += 1;
        }
        let call_user = collected(quote!(#fn_ident(#(#call_args),*)));
        let ret_span = m
            .ret
            .as_ref()
            .map_or_else(proc_macro2::Span::call_site, |t| t.span());
        let ret = quote_spanned!(ret_span=> (&&::scheme_runtime::__private::Probe::<#ret_ty>::new()).ret(__ctx, &__DESC, __result));
        // SAFETY (user functions): the result goes straight back to
        // compiled code.
        let ret = if runtime {
            ret
        } else {
            quote!(unsafe { ::scheme_runtime::__private::returned(#ret) })
        };
        // `__call` bounds the lifetime of borrowed arguments: they cannot
        // outlive this body, after which the trampoline releases the call's
        // borrows and held values.
        // The user's function gets the context and values branded with
        // `__call`'s lifetime (the runtime's own functions work at
        // `'static`, see `scheme_runtime::rt`).
        let scope = if runtime {
            quote! {
                // SAFETY: the context is live; the runtime's own functions
                // keep nothing they convert past the call.
                #[allow(unused_mut, unused_variables)]
                let mut __cx = unsafe { ::scheme_runtime::__private::Args::new(__ctx, &()) };
            }
        } else {
            quote! {
                let __call = ();
                // SAFETY: the context is live; what is branded or converted
                // for `__call` dies with this body, before `guarded`
                // releases the call's scope.
                #[allow(unused_variables)]
                let __ctx = unsafe { ::scheme_runtime::__private::brand(__ctx, &__call) };
                #[allow(unused_mut, unused_variables)]
                let mut __cx = unsafe { ::scheme_runtime::__private::Args::new(__ctx, &__call) };
            }
        };
        quote! {
            #scope
            #(#lets)*
            let __result = #call_user;
            #(#fixups)*
            #ret
        }
    };

    let array_body = body(&|i| quote!(__args[#i]), false);
    let fast_entry = if fast {
        let params: Vec<_> = (0..m.required())
            .map(|i| format_ident!("__a{}", i))
            .collect();
        let n_params = params.len();
        let has_ctx = m.params.iter().any(|p| p.kind == Kind::Context);
        let fast_body = body(
            &|i| {
                let p = &params[i];
                quote!(#p)
            },
            true,
        );
        // Inside `guarded` (so a panicking conversion is caught), each
        // argument tries its fast conversion, then the full one.
        let required: Vec<_> = m.scheme_params().collect();
        let vars: Vec<_> = required
            .iter()
            .map(|p| format_ident!("__arg_{}", p.ident))
            .collect();
        let tys: Vec<_> = required.iter().map(|p| &p.ty).collect();
        // A function without the context whose parameters are all `Simple`
        // cannot reach the heap: it runs with no handle scope, converting
        // outside `catch_unwind` (sealed runtime conversions) and, for a
        // `SimpleResult`, converting the result outside it too, so that
        // `catch_unwind` wraps the user's code alone (for `fn add(a: i64,
        // b: i64)` nothing: no landing pad, no saved register).
        let call_vars = collected(quote!(#fn_ident(#(#vars),*)));
        let plain = if has_ctx {
            quote!()
        } else {
            let ret_ty = m.ret.clone().map_or_else(|| quote!(()), |t| quote!(#t));
            let plain_args = params.iter().zip(&tys).map(|(p, ty)| {
                quote_spanned!(ty.span()=> (&&::scheme_runtime::__private::Probe::<#ty>::new()).plain_arg(#p))
            });
            let plain_convert = if params.is_empty() {
                quote!()
            } else {
                quote! {
                    let (#(::core::option::Option::Some(#vars),)*): (#(::core::option::Option<#tys>,)*) =
                        // SAFETY: this is a plain entry.
                        (unsafe { (#(#plain_args,)*) })
                    else {
                        // SAFETY: forwards this call's arguments and context.
                        return unsafe { __general_entry(__ctx, #(#params),*) };
                    };
                }
            };
            let ret_span = m
                .ret
                .as_ref()
                .map_or_else(proc_macro2::Span::call_site, |t| t.span());
            let plain_ret = quote_spanned!(ret_span=>
                let __result = #call_vars;
                (&&::scheme_runtime::__private::Probe::<#ret_ty>::new()).ret(__ctx, &__DESC, __result)
            );
            // Plain also needs a result whose conversion runs no Scheme code
            // (a user `IntoScheme` gets the context, and could call Scheme
            // while a `&str` argument, not registered here, is borrowed).
            quote! {
                if (&&Probe::<#ret_ty>::new()).plain_result() #(&& (&&Probe::<#tys>::new()).simple())* {
                    #plain_convert
                    // SAFETY: compiled code passes the live context.
                    return unsafe {
                        if (&&Probe::<#ret_ty>::new()).simple_result() {
                            let __result = ::scheme_runtime::__private::plain_call(__ctx, &__DESC, move |_| #call_vars);
                            (&&Probe::<#ret_ty>::new()).ret_value(&mut *__ctx, &__DESC, __result)
                        } else {
                            ::scheme_runtime::__private::plain_call(__ctx, &__DESC, move |__ctx| {
                                #plain_ret
                            })
                        }
                    };
                }
            }
        };
        quote! {
            /// The register entry's way to the array entry, out of line so
            /// the fast path needs no stack frame.
            #[cold]
            #[inline(never)]
            unsafe extern "C" fn __general_entry(
                __ctx: *mut ::scheme_runtime::Ctx<'static>,
                #(#params: ::scheme_runtime::Value<'static>),*
            ) -> ::scheme_runtime::Value<'static> {
                let __all = [#(#params),*];
                // SAFETY: forwards the caller's arguments.
                unsafe { __array_entry(__ctx, __all.as_ptr(), __all.len() as u64) }
            }

            #[doc(hidden)]
            #[export_name = #fast_symbol]
            unsafe extern "C" fn __fast_entry(
                __ctx: *mut ::scheme_runtime::Ctx<'static>,
                #(#params: ::scheme_runtime::Value<'static>),*
            ) -> ::scheme_runtime::Value<'static> {
                #[allow(unused_imports)]
                use ::scheme_runtime::__private::{Probe, ProbeBoxed, ProbeNotSimple, ProbeSimple, ProbeUnboxed, ProbeSimpleResult, ProbeNotSimpleResult, ProbePlainResult, ProbeNotPlainResult, ProbeRetSimple, ProbeRetGeneral};
                // The arguments stay in this frame, where the collector
                // sees them, until the call returns (unless none can refer
                // to a heap object: then no store is made).
                let __keep: [::scheme_runtime::Value<'static>; #n_params] = [#(#params),*];
                let __body = move |__ctx: &mut ::scheme_runtime::Ctx<'static>| -> ::scheme_runtime::Value<'static> {
                    #fast_body
                };
                #plain
                // SAFETY: compiled code passes the runtime context and the
                // number of arguments the descriptor declares.
                let __r = unsafe { ::scheme_runtime::__private::fast_entry(__ctx, &__DESC, __body) };
                if false #(|| (&&Probe::<#tys>::new()).boxed())* {
                    ::core::hint::black_box(&__keep);
                }
                __r
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

    // `Result<T, E>`: check `E` on its own, so that an error type without
    // `Display` is reported on `E` rather than on the whole result type.
    let error_check = m.ret.as_ref().and_then(error_type).map(|e| {
        let e = with_static_lifetimes(e);
        quote_spanned!(e.span()=> let _ = ::scheme_runtime::__private::check_error_type::<#e>;)
    });

    quote! {
        #item

        #[doc(hidden)]
        #[allow(non_snake_case, non_upper_case_globals, clippy::needless_borrow)]
        const _: () = {
            #[allow(unused_imports)]
            use ::scheme_runtime::__private::{ProbeParam, ProbeParamMissing, ProbeResult, ProbeResultMissing};

            #(#describers)*

            /// Never called: compiles only if every type converts.
            #[allow(dead_code)]
            fn __check_types() {
                #(#type_checks)*
            }

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
                holds: #holds,
            };

            #[doc(hidden)]
            #[export_name = #symbol]
            unsafe extern "C" fn __array_entry(
                __ctx: *mut ::scheme_runtime::Ctx<'static>,
                __argv: *const ::scheme_runtime::Value<'static>,
                __argc: u64,
            ) -> ::scheme_runtime::Value<'static> {
                // SAFETY: compiled code passes the runtime context and
                // `__argc` values at `__argv`.
                unsafe {
                    ::scheme_runtime::__private::array_entry(__ctx, __argv, __argc, &__DESC, |__ctx, __args| { #array_body })
                }
            }

            #fast_entry

            const _: () = { #error_check };
        };
    }
}

/// `T` and `E` of a return type written `Result<T, E>`.
fn result_types(ty: &syn::Type) -> Option<(&syn::Type, &syn::Type)> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match (args.args.first()?, args.args.iter().nth(1)?) {
        (syn::GenericArgument::Type(t), syn::GenericArgument::Type(e)) if args.args.len() == 2 => {
            Some((t, e))
        }
        _ => None,
    }
}

/// `T` of a return type written `Result<T, E>`.
fn ok_type(ty: &syn::Type) -> Option<&syn::Type> {
    result_types(ty).map(|(t, _)| t)
}

/// `E` of a return type written `Result<T, E>`.
fn error_type(ty: &syn::Type) -> Option<&syn::Type> {
    result_types(ty).map(|(_, e)| e)
}
