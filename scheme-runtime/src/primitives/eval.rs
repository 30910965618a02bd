//! `eval` and `load` (R7RS 6.12, 6.14) and the REPL's reading and
//! printing. The prelude's `eval` calls `(%eval-compile expr env)`, which
//! compiles and loads a unit (`eval.rs`), and tail-calls the procedure it
//! returns, so the code runs as ordinary Scheme code: continuations and
//! exceptions cross it freely.

use crate::control::Exception;
use crate::eval::{compile_and_load, is_interaction, make_environment, state, UnitSource};
use crate::exception::Error;
use crate::print::to_string;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::scheme_fn;

/// The environment of the program's top level: definitions made by
/// `eval` there persist and are seen by later `eval`s.
#[scheme_fn(name = "interaction-environment")]
fn interaction_environment(ctx: &mut Ctx) -> Value {
    make_environment(ctx, true)
}

/// An environment with the bindings of the standard libraries named
/// (R7RS: immutable); code evaluated there does not see the program's
/// globals, and its definitions stay private to that `eval`.
#[scheme_fn(name = "environment")]
fn environment(ctx: &mut Ctx, _import_sets: &[Value]) -> Value {
    make_environment(ctx, false)
}

/// The R5RS environment of version 5 (the standard bindings).
#[scheme_fn(name = "scheme-report-environment")]
fn scheme_report_environment(ctx: &mut Ctx, version: i64) -> Result<Value, String> {
    restricted(ctx, version)
}

/// The R5RS environment of version 5 with syntax only (here: as
/// `scheme-report-environment`).
#[scheme_fn(name = "null-environment")]
fn null_environment(ctx: &mut Ctx, version: i64) -> Result<Value, String> {
    restricted(ctx, version)
}

fn restricted(ctx: &mut Ctx, version: i64) -> Result<Value, String> {
    if version == 5 {
        Ok(make_environment(ctx, false))
    } else {
        Err(format!("version {version} is not supported (only 5)"))
    }
}

/// Compile `expr` for `env` (`#f`: the interaction environment) and load
/// it: a procedure of no arguments that evaluates it.
#[scheme_fn(name = "%eval-compile")]
fn eval_compile(ctx: &mut Ctx, expr: Value, env: Value) -> Result<Value, Exception> {
    let interaction = is_interaction(ctx, env).map_err(|m| raised(ctx, "eval", Error::other(m)))?;
    let text = crate::eval::code_text(ctx, expr).map_err(|e| raised(ctx, "eval", e))?;
    let source = UnitSource::Text {
        text: &text,
        name: "eval",
    };
    compile_and_load(ctx, source, interaction).map_err(|e| raised(ctx, "eval", e))
}

/// The condition for `e`, from `who` (a compile error: already located).
fn raised(ctx: &mut Ctx, who: &str, e: Error) -> Exception {
    let who = (e.kind != "syntax").then_some(who);
    let c = crate::exception::make_condition(ctx, e.kind, who, &e.message, Value::NIL);
    Exception::raised(ctx, c)
}

/// Object `n` that `eval`ed code refers to (an object with no written
/// form in the expression given to `eval`).
#[scheme_fn(name = "%eval-object")]
fn eval_object(ctx: &mut Ctx, n: usize) -> Result<Value, String> {
    crate::eval::object(ctx, n).ok_or_else(|| format!("no object {n}"))
}

/// Compile the source file `path` for `env` (`#f`: the interaction
/// environment) and load it: a procedure of no arguments that runs it.
#[scheme_fn(name = "%load-compile")]
fn load_compile(ctx: &mut Ctx, path: &str, env: Value) -> Result<Value, Exception> {
    let interaction = is_interaction(ctx, env).map_err(|m| raised(ctx, "load", Error::other(m)))?;
    let path = std::path::PathBuf::from(path);
    compile_and_load(ctx, UnitSource::File(&path), interaction).map_err(|e| raised(ctx, "load", e))
}

/// The REPL's compiler: `text` (one input, maybe several forms) for the
/// interaction environment, shown in positions as `repl`.
#[scheme_fn(name = "%repl-compile")]
fn repl_compile(ctx: &mut Ctx, text: &str) -> Result<Value, Error> {
    let text = text.to_owned();
    let source = UnitSource::Text {
        text: &text,
        name: "repl",
    };
    compile_and_load(ctx, source, true)
}

/// The next input of the REPL: source text, `(time . text)` for `,time`,
/// or the end-of-file object. Commands it can answer alone (`,help`) are
/// answered here.
#[scheme_fn(name = "%repl-read")]
fn repl_read(ctx: &mut Ctx) -> Result<Value, Error> {
    ctx.flush_ports();
    ctx.flush();
    loop {
        let input = if crate::repl::interactive() {
            crate::repl::read_line_input(state(ctx))
        } else {
            crate::repl::read_piped_input(ctx)?
        };
        let Some(text) = input else {
            return Ok(Value::EOF);
        };
        match crate::repl::command(ctx, &text) {
            crate::repl::Input::Code(code) => return Ok(ctx.make_string_from(&code)),
            crate::repl::Input::Time(code) => {
                let time = ctx.intern("time");
                let time = ctx.root(time);
                let code = ctx.make_string_from(&code);
                return Ok(ctx.cons(time.value(), code));
            }
            crate::repl::Input::Done => continue,
        }
    }
}

/// Print the values of one REPL input as `write` does, one per line,
/// except the unspecified value.
#[scheme_fn(name = "%repl-print")]
fn repl_print(ctx: &mut Ctx, values: &[Value]) {
    for &v in values {
        if v != Value::UNSPECIFIED {
            let mut line = to_string(v, true);
            line.push('\n');
            ctx.write_out(line.as_bytes());
        }
    }
    ctx.flush_ports();
    ctx.flush();
}

/// Print an error the REPL caught, as an uncaught one would be printed
/// (position, source line, backtrace), and go on.
#[scheme_fn(name = "%repl-report")]
fn repl_report(ctx: &mut Ctx, obj: Value) {
    ctx.flush_ports();
    ctx.flush();
    let syntax = crate::exception::is_condition(obj)
        && to_string(crate::exception::condition_kind(obj), false) == "syntax";
    let report = if syntax {
        // Already located and rendered by the compiler.
        let message = crate::exception::condition_message(obj);
        format!("{}\n", to_string(message, false))
    } else {
        let text = crate::exception::describe(obj);
        let at = ctx
            .raise_point
            .unwrap_or(crate::backtrace::StackPoint::now(ctx));
        let sources = ctx.sources.len() as u32;
        let first_unit_file = state(ctx).first_unit_file.unwrap_or(sources);
        crate::backtrace::report_at(ctx, at, &text, Some(first_unit_file))
    };
    crate::error::print_report(&report);
}

/// Print how long an input took (`,time`): `elapsed` jiffies (ns).
#[scheme_fn(name = "%repl-time")]
fn repl_time(ctx: &mut Ctx, elapsed: i64) {
    ctx.flush_ports();
    ctx.flush();
    let ms = elapsed as f64 / 1e6;
    eprintln!("; {ms:.3} ms elapsed");
}
