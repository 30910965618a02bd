//! Typed calls of Scheme procedures from Rust:
//!
//! ```no_run
//! use scheme_runtime::{scheme_fn, Ctx, Exception, Procedure};
//!
//! #[scheme_fn]
//! fn count_if(ctx: &mut Ctx, keep: Procedure, words: Vec<String>) -> Result<usize, Exception> {
//!     let mut n = 0;
//!     for w in words {
//!         if keep.call::<(&str,), bool>(ctx, (&w,))? {
//!             n += 1;
//!         }
//!     }
//!     Ok(n)
//! }
//! ```
//!
//! The arguments convert with [`IntoScheme`], the result with
//! [`FromScheme`]; a result of the wrong type is an `Err` carrying a
//! type error (`callback result: expected boolean, got 5`), which `?`
//! raises in Scheme as any other. To call a procedure after the call that
//! got it has returned, keep it in a [`crate::Root`]:
//! `Procedure::of(root.get(ctx))`.

use crate::control::Exception;
use crate::convert::{FromScheme, IntoScheme, Procedure};
use crate::ctx::Ctx;
use crate::exception::type_condition;
use crate::value::Value;

/// Arguments of a typed call: a tuple of [`IntoScheme`] values (`()` for
/// none, `(x,)` for one).
pub trait IntoArgs<'s> {
    /// Convert each argument, in order.
    fn into_values(self, ctx: &mut Ctx<'s>) -> Vec<crate::heap::Root>;
}

impl<'s> IntoArgs<'s> for () {
    fn into_values(self, _: &mut Ctx<'s>) -> Vec<crate::heap::Root> {
        Vec::new()
    }
}

macro_rules! into_args {
    ($(($($t:ident $i:tt),+))*) => {$(
        impl<'s, $($t: IntoScheme<'s>),+> IntoArgs<'s> for ($($t,)+) {
            fn into_values(self, ctx: &mut Ctx<'s>) -> Vec<crate::heap::Root> {
                // Rooted: converting the next argument may collect.
                vec![$({
                    let v = self.$i.into_scheme(ctx);
                    ctx.root(v)
                }),+]
            }
        }
    )*};
}

into_args! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
}

impl<'s> Procedure<'s> {
    /// Call the procedure with `args` converted to Scheme values, and
    /// convert its result to `R`. `Err`: the procedure raised (or a
    /// continuation jump passes through: see [`Ctx::call`]), or its result
    /// is not an `R`.
    pub fn call<A: IntoArgs<'s>, R: FromScheme<'s>>(
        self,
        ctx: &mut Ctx<'s>,
        args: A,
    ) -> Result<R, Exception> {
        let f = ctx.root(self.value());
        let roots = args.into_values(ctx);
        let values: Vec<Value<'s>> = roots.iter().map(|r| r.get(ctx)).collect();
        let procedure = Procedure::of(f.get(ctx)).expect("a procedure");
        let result = ctx.call(procedure, &values)?;
        drop(roots);
        match ctx.convert::<R>(result) {
            Some(r) => Ok(r),
            None => {
                let ctx = ctx.rt();
                let c = type_condition(
                    ctx,
                    "callback result",
                    None,
                    None,
                    &R::describe(),
                    result.rt(),
                );
                Err(Exception::raised(ctx, c))
            }
        }
    }
}
