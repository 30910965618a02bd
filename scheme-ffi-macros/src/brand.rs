//! The brand. Values handed to a `#[scheme_fn]` carry the call's lifetime
//! (`Value<'scheme>`, `Pair<'scheme>`, `&mut Ctx<'scheme>`), so that none
//! can be kept past the call outside a `Root` (a `thread_local`, a
//! foreign object's field and a leaked box all need `'static`). Users
//! leave the lifetime out, as PyO3 users leave out `'py` where they can:
//! this module writes it into the function's signature.

use syn::visit_mut::VisitMut;

/// The runtime's types that carry the brand (their first lifetime).
const BRANDED: &[&str] = &[
    "Ctx",
    "Value",
    "Pair",
    "Vector",
    "Symbol",
    "Procedure",
    "Bytevector",
    "Hashtable",
    "SchemeString",
    "List",
    "RecordOf",
    "RestSlice",
];

/// Whether the expansion is for the runtime's own functions (which work
/// at `'static`: `scheme_runtime::rt`): the crate being compiled is
/// `scheme_runtime` itself, not one of its doctests (which cargo compiles
/// with the same crate name; rustdoc marks them).
pub fn in_runtime() -> bool {
    std::env::var("CARGO_CRATE_NAME").is_ok_and(|k| k == "scheme_runtime")
        && std::env::var_os("UNSTABLE_RUSTDOC_TEST_PATH").is_none()
}

/// The lifetime written into signatures.
pub const BRAND: &str = "'scheme";

/// Whether `path` names one of the runtime's branded types: written bare
/// (`Value`, imported) or through the crate (`scheme_runtime::Value`). A
/// type of another crate or of the user's with the same name must be
/// written with a path in a signature (`serde_json::Value`,
/// `crate::Vector`).
fn is_branded(path: &syn::Path) -> bool {
    let Some(last) = path.segments.last() else {
        return false;
    };
    if !BRANDED.iter().any(|b| last.ident == b) {
        return false;
    }
    path.segments.len() == 1 || path.segments[0].ident == "scheme_runtime"
}

/// Whether `ty` mentions one of the branded types.
pub fn mentions_branded(ty: &syn::Type) -> bool {
    struct Finder(bool);
    impl VisitMut for Finder {
        fn visit_type_path_mut(&mut self, t: &mut syn::TypePath) {
            self.0 |= t.qself.is_none() && is_branded(&t.path);
            syn::visit_mut::visit_type_path_mut(self, t);
        }
    }
    let mut f = Finder(false);
    f.visit_type_mut(&mut ty.clone());
    f.0
}

struct Brander {
    lifetime: syn::Lifetime,
    used: bool,
    /// Also fill elided references and `'_` (other than `&mut Ctx`'s own).
    references: bool,
}

impl VisitMut for Brander {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        let is_ctx = matches!(&*r.elem, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Ctx"));
        if self.references && !is_ctx && r.lifetime.as_ref().is_none_or(|l| l.ident == "_") {
            r.lifetime = Some(self.lifetime.clone());
            self.used = true;
        }
        syn::visit_mut::visit_type_reference_mut(self, r);
    }
    fn visit_lifetime_mut(&mut self, l: &mut syn::Lifetime) {
        if self.references && l.ident == "_" {
            *l = self.lifetime.clone();
            self.used = true;
        }
    }
    fn visit_type_path_mut(&mut self, t: &mut syn::TypePath) {
        if t.qself.is_none() && is_branded(&t.path) {
            let last = t.path.segments.last_mut().expect("checked");
            // Spanned on the type: a type of the user's own with one of
            // these names ("takes 0 lifetime arguments") is pointed at.
            let lifetime = syn::Lifetime::new(BRAND, last.ident.span());
            let brand = syn::GenericArgument::Lifetime(lifetime.clone());
            match &mut last.arguments {
                syn::PathArguments::None => {
                    last.arguments =
                        syn::PathArguments::AngleBracketed(syn::parse_quote!(<#brand>));
                    self.used = true;
                }
                syn::PathArguments::AngleBracketed(args) => match args.args.first_mut() {
                    Some(syn::GenericArgument::Lifetime(l)) => {
                        if l.ident == "_" {
                            *l = lifetime;
                            self.used = true;
                        }
                    }
                    _ => {
                        args.args.insert(0, brand);
                        self.used = true;
                    }
                },
                syn::PathArguments::Parenthesized(_) => {}
            }
        }
        syn::visit_mut::visit_type_path_mut(self, t);
    }
}

/// Whether a type borrows with an elided lifetime (`&str`, `Cow<'_, str>`).
fn has_elided_borrow(ty: &syn::Type) -> bool {
    struct Finder(bool);
    impl VisitMut for Finder {
        fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
            self.0 |= r.lifetime.is_none();
            syn::visit_mut::visit_type_reference_mut(self, r);
        }
        fn visit_lifetime_mut(&mut self, l: &mut syn::Lifetime) {
            self.0 |= l.ident == "_";
        }
    }
    let mut f = Finder(false);
    f.visit_type_mut(&mut ty.clone());
    f.0
}

/// Write the brand into every branded type of `sig` that leaves its
/// lifetime out (or writes `'_`), declaring it on the function if used;
/// nothing for the runtime's own functions.
/// A result that borrows with an elided lifetime (`-> &str`,
/// `-> Echo<'_>`) borrows from the arguments, which then all get the
/// brand too, so elision has one lifetime to choose, as with one input.
pub fn brand_signature(sig: &mut syn::Signature) {
    if in_runtime() {
        return;
    }
    let lifetime = syn::Lifetime::new(BRAND, sig.ident.span());
    // (With `&self`, elision gives the result `self`'s lifetime anyway.)
    let references = sig.receiver().is_none()
        && matches!(&sig.output, syn::ReturnType::Type(_, ty) if has_elided_borrow(ty));
    let mut b = Brander {
        lifetime: lifetime.clone(),
        used: false,
        references,
    };
    for input in &mut sig.inputs {
        if let syn::FnArg::Typed(pt) = input {
            b.visit_type_mut(&mut pt.ty);
        }
    }
    if let syn::ReturnType::Type(_, ty) = &mut sig.output {
        b.visit_type_mut(ty);
    }
    if b.used {
        sig.generics.params.insert(
            0,
            syn::GenericParam::Lifetime(syn::LifetimeParam::new(lifetime)),
        );
    }
}

/// The function as the user wrote it but branded, for when expansion
/// failed: so that its own errors are not followed by lifetime errors.
pub fn brand_item(input: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    match syn::parse2::<syn::ItemFn>(input.clone()) {
        Ok(mut item) => {
            brand_signature(&mut item.sig);
            quote::ToTokens::into_token_stream(item)
        }
        _ => input,
    }
}
