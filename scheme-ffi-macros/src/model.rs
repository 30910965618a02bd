//! The model of what the user wrote, checked: every way `#[scheme_fn]` can
//! be misused is reported here, on the smallest offending token.

use syn::spanned::Spanned;
use syn::{FnArg, GenericParam, ItemFn, Pat, ReturnType, Type};

use crate::attr::Options;
use crate::errors::Errors;
use crate::names;

/// How a parameter receives its Scheme argument.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// `&mut Ctx`: the runtime context, not a Scheme argument.
    Context,
    Required,
    /// A trailing `Option<T>`: the caller may leave it out.
    Optional,
    /// `&[Value]`: every remaining argument, untouched.
    RestValues,
    /// `Rest<T>` (converted at once) or `RestSlice<T>` (converted as read):
    /// every remaining argument.
    RestTyped,
}

pub struct Param {
    pub ident: syn::Ident,
    pub ty: Type,
    pub kind: Kind,
    /// `&mut String`: the string object is updated after the call.
    pub mut_string: bool,
}

pub struct Model {
    pub item: ItemFn,
    pub scheme_name: String,
    pub params: Vec<Param>,
    /// The type the result converts as: for `impl Iterator<Item = T>`,
    /// `Vec<T>` (with `collect`).
    pub ret: Option<Type>,
    /// The function returns an iterator, collected before conversion.
    pub collect: bool,
    pub doc: String,
}

/// `T` of `impl Iterator<Item = T>`.
fn iterator_item(t: &syn::TypeImplTrait) -> Option<Type> {
    t.bounds.iter().find_map(|b| {
        let syn::TypeParamBound::Trait(tb) = b else {
            return None;
        };
        let seg = tb.path.segments.last()?;
        if seg.ident != "Iterator" {
            return None;
        }
        let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
            return None;
        };
        args.args.iter().find_map(|a| match a {
            syn::GenericArgument::AssocType(at) if at.ident == "Item" => Some(at.ty.clone()),
            _ => None,
        })
    })
}

/// The last path segment's name of a type like `a::b::Name<..>`.
fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        _ => None,
    }
}

pub fn is_named(ty: &Type, name: &str) -> bool {
    last_segment(ty).is_some_and(|s| s.ident == name)
}

fn reference_to(ty: &Type) -> Option<(&syn::TypeReference, &Type)> {
    match ty {
        Type::Reference(r) => Some((r, &r.elem)),
        _ => None,
    }
}

fn classify(ty: &Type) -> (Kind, bool) {
    if let Some((r, elem)) = reference_to(ty) {
        if r.mutability.is_some() && is_named(elem, "Ctx") {
            return (Kind::Context, false);
        }
        if let Type::Slice(s) = elem {
            if r.mutability.is_none() && is_named(&s.elem, "Value") {
                return (Kind::RestValues, false);
            }
        }
        if r.mutability.is_some() && is_named(elem, "String") {
            return (Kind::Required, true);
        }
    }
    if is_named(ty, "Rest") || is_named(ty, "RestSlice") {
        return (Kind::RestTyped, false);
    }
    if is_named(ty, "Option") || is_named(ty, "Optional") {
        return (Kind::Optional, false);
    }
    (Kind::Required, false)
}

/// Explicit lifetimes anywhere in a type (other than elided ones).
fn find_lifetime(ty: &Type) -> Option<syn::Lifetime> {
    struct Finder(Option<syn::Lifetime>);
    impl syn::visit_mut::VisitMut for Finder {
        fn visit_lifetime_mut(&mut self, l: &mut syn::Lifetime) {
            if self.0.is_none() && l.ident != "_" {
                self.0 = Some(l.clone());
            }
        }
    }
    let mut f = Finder(None);
    syn::visit_mut::visit_type_mut(&mut f, &mut ty.clone());
    f.0
}

/// A `&mut [u8]` anywhere in a type.
fn find_mut_bytes(ty: &Type) -> Option<syn::TypeReference> {
    struct Finder(Option<syn::TypeReference>);
    impl syn::visit_mut::VisitMut for Finder {
        fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
            if let Type::Slice(s) = &*r.elem {
                if self.0.is_none() && r.mutability.is_some() && is_named(&s.elem, "u8") {
                    self.0 = Some(r.clone());
                }
            }
            syn::visit_mut::visit_type_reference_mut(self, r);
        }
    }
    let mut f = Finder(None);
    syn::visit_mut::visit_type_mut(&mut f, &mut ty.clone());
    f.0
}

impl Model {
    pub fn new(item: ItemFn, options: Options) -> syn::Result<Model> {
        let mut errors = Errors::new();
        let sig = &item.sig;
        if let Some(a) = &sig.asyncness {
            errors.at(
                a,
                "`#[scheme_fn]` functions cannot be `async`: Scheme calls them synchronously",
            );
        }
        if let Some(u) = &sig.unsafety {
            errors.at(u, "`#[scheme_fn]` functions cannot be `unsafe`: Scheme calls them with checked arguments only");
        }
        if let Some(abi) = &sig.abi {
            errors.at(abi, "`#[scheme_fn]` writes the `extern \"C\"` trampoline itself; remove the ABI from the function");
        }
        if let Some(v) = &sig.variadic {
            errors.at(
                v,
                "C variadic parameters are not supported; take `rest: &[Value]` instead",
            );
        }
        for g in &sig.generics.params {
            match g {
                GenericParam::Lifetime(l) => errors.at(
                    l,
                    "`#[scheme_fn]` functions cannot declare lifetimes: borrowed arguments (`&str`, `&[Value]`) live for the call, so leave their lifetimes elided",
                ),
                GenericParam::Type(t) => errors.at(
                    t,
                    "`#[scheme_fn]` functions cannot be generic: Scheme needs one concrete signature\nhint: write a wrapper for each type you want to expose",
                ),
                GenericParam::Const(c) => errors.at(c, "`#[scheme_fn]` functions cannot have const generic parameters"),
            }
        }
        if let Some(w) = &sig.generics.where_clause {
            errors.at(w, "`#[scheme_fn]` functions cannot have a `where` clause");
        }

        let mut params: Vec<Param> = Vec::new();
        for (i, input) in sig.inputs.iter().enumerate() {
            let pt = match input {
                FnArg::Receiver(r) => {
                    errors.at(r, "`#[scheme_fn]` cannot be used on methods with `self`\nhint: write a free function that takes the value as a parameter");
                    continue;
                }
                FnArg::Typed(pt) => pt,
            };
            let ident = match &*pt.pat {
                Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => pi.ident.clone(),
                Pat::Wild(w) => syn::Ident::new(&format!("_arg{i}"), w.span()),
                other => {
                    errors.at(
                        other,
                        "parameters of a `#[scheme_fn]` must be plain names, not patterns",
                    );
                    continue;
                }
            };
            let ty = (*pt.ty).clone();
            if let Type::ImplTrait(t) = &ty {
                errors.at(
                    t,
                    "`impl Trait` parameters are not supported: name a concrete type",
                );
                continue;
            }
            if let Some(l) = find_lifetime(&ty) {
                if l.ident == "static" && crate::brand::mentions_branded(&ty) {
                    errors.at(&l, "a Scheme value lives only for its call, not `'static`\nhint: keep it past the call in a `Root` (`ctx.root(v)`)");
                } else if l.ident == "static" {
                    errors.at(&l, "an argument borrowed from Scheme lives only for the call, not `'static`\nhint: take an owned type such as `String` to keep it");
                }
                continue;
            }
            let (kind, mut_string) = classify(&ty);
            params.push(Param {
                ident,
                ty,
                kind,
                mut_string,
            });
        }

        // A `&mut [u8]` points into the bytevector itself: no Scheme code
        // may run while it lives, and only a function with the context can
        // call Scheme.
        if params.iter().any(|p| p.kind == Kind::Context) {
            for p in &params {
                if let Some(r) = find_mut_bytes(&p.ty) {
                    errors.at(&r, "a `#[scheme_fn]` that takes `&mut Ctx` cannot take `&mut [u8]`: Scheme code it calls back could use the bytevector while Rust changes it\nhint: take a `Bytevector` and change it with `ctx.with_bytes_mut(bv, |bytes| ...)`");
                }
            }
        }

        // Order: context first, then required, then optional, then one rest.
        let mut seen_rest: Option<&Param> = None;
        for (i, p) in params.iter().enumerate() {
            match p.kind {
                Kind::Context if i != 0 => {
                    errors.at(&p.ty, "the `&mut Ctx` parameter must come first")
                }
                Kind::RestValues | Kind::RestTyped => {
                    if let Some(first) = seen_rest {
                        errors.at(&p.ty, format!("only one rest parameter is allowed; `{}` already takes the remaining arguments", first.ident));
                    }
                    seen_rest = Some(p);
                }
                _ if seen_rest.is_some() => {
                    let r = seen_rest.expect("checked");
                    errors.at(
                        &r.ty,
                        format!(
                            "the rest parameter `{}` must be the last parameter",
                            r.ident
                        ),
                    );
                    seen_rest = None;
                }
                _ => {}
            }
        }
        // `Option<T>` is optional only when everything after it is optional too.
        let mut trailing = true;
        for p in params.iter_mut().rev() {
            match p.kind {
                Kind::RestValues | Kind::RestTyped => {}
                Kind::Optional if trailing => {}
                Kind::Optional if is_named(&p.ty, "Optional") => errors.at(
                    &p.ty,
                    "`Optional<T>` parameters may only be followed by other optional parameters or a rest parameter",
                ),
                Kind::Optional => p.kind = Kind::Required,
                _ => trailing = false,
            }
        }

        let mut collect = false;
        let ret = match &sig.output {
            ReturnType::Default => None,
            ReturnType::Type(_, ty) => {
                if let Some(l) = find_lifetime(ty).filter(|l| l.ident != "static") {
                    errors.at(&l, "a `#[scheme_fn]` cannot return a borrow with a named lifetime; return an owned value");
                }
                match &**ty {
                    // Collected into a list, as a `Vec<T>` is returned.
                    Type::ImplTrait(t) => match iterator_item(t) {
                        Some(item) => {
                            collect = true;
                            Some(syn::parse_quote_spanned!(t.span()=> ::std::vec::Vec<#item>))
                        }
                        None => {
                            errors.at(
                                t,
                                "`impl Trait` return types are not supported except `impl Iterator<Item = T>` (returned as a list): name a concrete type",
                            );
                            Some((**ty).clone())
                        }
                    },
                    _ => Some((**ty).clone()),
                }
            }
        };

        let scheme_name = match &options.name {
            Some(lit) => {
                let name = lit.value();
                if let Some(why) = names::invalid_identifier(&name) {
                    errors.at(lit, why);
                }
                name
            }
            None => names::scheme_name(&sig.ident.to_string()),
        };

        let doc = item
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .filter_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.value().trim().to_owned()),
                    _ => None,
                },
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n");

        errors.finish()?;
        Ok(Model {
            item,
            scheme_name,
            params,
            ret,
            collect,
            doc,
        })
    }

    /// Parameters that take Scheme arguments.
    pub fn scheme_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.kind != Kind::Context)
    }

    pub fn required(&self) -> usize {
        self.scheme_params()
            .filter(|p| p.kind == Kind::Required)
            .count()
    }

    pub fn optional(&self) -> usize {
        self.scheme_params()
            .filter(|p| p.kind == Kind::Optional)
            .count()
    }

    pub fn rest(&self) -> Option<&Param> {
        self.scheme_params()
            .find(|p| matches!(p.kind, Kind::RestValues | Kind::RestTyped))
    }
}
