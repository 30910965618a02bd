//! Ports and input/output. Output procedures write to the current output
//! port unless they are given a port.

use crate::convert::Procedure;
use crate::ctx::Ctx;
use crate::exception::Error;
use crate::port::{port_mut, Port};
use crate::print::to_string;
use crate::scheme_fn;
use crate::value::Value;

/// The given port, or the current output port.
fn output<'a>(ctx: &Ctx, port: Option<&'a mut Port>) -> &'a mut Port {
    port.unwrap_or_else(|| port_mut(ctx.current_output))
}

fn input<'a>(ctx: &Ctx, port: Option<&'a mut Port>) -> &'a mut Port {
    port.unwrap_or_else(|| port_mut(ctx.current_input))
}

/// Print a value as `display` does (strings and characters as themselves).
#[scheme_fn]
fn display(ctx: &mut Ctx, value: Value, port: Option<&mut Port>) -> Result<(), String> {
    let s = to_string(value, false);
    output(ctx, port).write(ctx, s.as_bytes())
}

/// Print a value in machine-readable syntax.
#[scheme_fn]
fn write(ctx: &mut Ctx, value: Value, port: Option<&mut Port>) -> Result<(), String> {
    let s = to_string(value, true);
    output(ctx, port).write(ctx, s.as_bytes())
}

/// Print a line break.
#[scheme_fn]
fn newline(ctx: &mut Ctx, port: Option<&mut Port>) -> Result<(), String> {
    output(ctx, port).write(ctx, b"\n")
}

/// Print one character.
#[scheme_fn(name = "write-char")]
fn write_char(ctx: &mut Ctx, c: char, port: Option<&mut Port>) -> Result<(), String> {
    output(ctx, port).write(ctx, c.encode_utf8(&mut [0; 4]).as_bytes())
}

/// Print a string's characters.
#[scheme_fn(name = "write-string")]
fn write_string(ctx: &mut Ctx, s: &str, port: Option<&mut Port>) -> Result<(), String> {
    output(ctx, port).write(ctx, s.as_bytes())
}

/// Print a string and a line break to a port.
#[scheme_fn(name = "writeln")]
fn write_line(ctx: &mut Ctx, data: &str, port: &mut Port) -> Result<(), String> {
    port.write(ctx, data.as_bytes())?;
    port.write(ctx, b"\n")
}

/// A port writing to a new file (an existing file is truncated).
#[scheme_fn(name = "open-output-file")]
fn open_output_file(ctx: &mut Ctx, path: &str) -> Result<Port, Error> {
    Port::create(ctx, path).map_err(Error::file)
}

/// A port reading from a file.
#[scheme_fn(name = "open-input-file")]
fn open_input_file(ctx: &mut Ctx, path: &str) -> Result<Port, Error> {
    Port::open(ctx, path).map_err(Error::file)
}

/// Flush and close a port.
#[scheme_fn(name = "close-port")]
fn close_port(ctx: &mut Ctx, port: &mut Port) -> Result<(), String> {
    port.close(ctx)
}

/// Flush and close an input port.
#[scheme_fn(name = "close-input-port")]
fn close_input_port(ctx: &mut Ctx, port: &mut Port) -> Result<(), String> {
    port.close(ctx)
}

/// Flush and close an output port.
#[scheme_fn(name = "close-output-port")]
fn close_output_port(ctx: &mut Ctx, port: &mut Port) -> Result<(), String> {
    port.close(ctx)
}

/// Write out what an output port has buffered.
#[scheme_fn(name = "flush-output-port")]
fn flush_output_port(ctx: &mut Ctx, port: Option<&mut Port>) -> Result<(), String> {
    output(ctx, port).flush(ctx)
}

/// Call `proc` with a port writing to the file; close it when `proc` returns.
#[scheme_fn(name = "call-with-output-file")]
fn call_with_output_file(ctx: &mut Ctx, path: &str, proc: Procedure) -> Result<Value, Error> {
    let port = Port::create(ctx, path).map_err(Error::file)?;
    let port = ctx.make_port(port);
    let result = ctx.call_or_unwind(proc, &[port]);
    port_mut(port).close(ctx).map_err(Error::file)?;
    Ok(result)
}

/// Call `proc` with a port reading from the file; close it when `proc` returns.
#[scheme_fn(name = "call-with-input-file")]
fn call_with_input_file(ctx: &mut Ctx, path: &str, proc: Procedure) -> Result<Value, Error> {
    let port = Port::open(ctx, path).map_err(Error::file)?;
    let port = ctx.make_port(port);
    let result = ctx.call_or_unwind(proc, &[port]);
    port_mut(port).close(ctx).map_err(Error::file)?;
    Ok(result)
}

/// Call `thunk` with the current output port writing to the file.
#[scheme_fn(name = "with-output-to-file")]
fn with_output_to_file(ctx: &mut Ctx, path: &str, thunk: Procedure) -> Result<Value, Error> {
    let port = Port::create(ctx, path).map_err(Error::file)?;
    let port = ctx.make_port(port);
    let saved = std::mem::replace(&mut ctx.current_output, port);
    let result = ctx.call_or_unwind(thunk, &[]);
    ctx.current_output = saved;
    port_mut(port).close(ctx).map_err(Error::file)?;
    Ok(result)
}

/// The next line from a port (default: current input), without its line
/// ending; the end-of-file object at the end.
#[scheme_fn(name = "read-line")]
fn read_line(ctx: &mut Ctx, port: Option<&mut Port>) -> Result<Value, String> {
    match input(ctx, port).read_line()? {
        Some(line) => Ok(ctx.make_string(line)),
        None => Ok(Value::EOF),
    }
}

/// The next character from a port, or the end-of-file object.
#[scheme_fn(name = "read-char")]
fn read_char(ctx: &mut Ctx, port: Option<&mut Port>) -> Result<Value, String> {
    Ok(input(ctx, port)
        .read_char()?
        .map_or(Value::EOF, Value::char))
}

/// The next character from a port without consuming it, or the end-of-file object.
#[scheme_fn(name = "peek-char")]
fn peek_char(ctx: &mut Ctx, port: Option<&mut Port>) -> Result<Value, String> {
    Ok(input(ctx, port)
        .peek_char()?
        .map_or(Value::EOF, Value::char))
}

/// Is the value the end-of-file object?
#[scheme_fn(name = "eof-object?")]
fn is_eof_object(v: Value) -> bool {
    v == Value::EOF
}

/// The end-of-file object.
#[scheme_fn(name = "eof-object")]
fn eof_object() -> Value {
    Value::EOF
}

/// The port `display` and friends write to by default.
#[scheme_fn(name = "current-output-port")]
fn current_output_port(ctx: &mut Ctx) -> Value {
    ctx.current_output
}

/// The port for error output (unbuffered; standard output is flushed first).
#[scheme_fn(name = "current-error-port")]
fn current_error_port(ctx: &mut Ctx) -> Value {
    ctx.stderr_port
}

/// The port `read-line` and friends read from by default.
#[scheme_fn(name = "current-input-port")]
fn current_input_port(ctx: &mut Ctx) -> Value {
    ctx.current_input
}

/// Is the value a port?
#[scheme_fn]
fn is_port(v: Value) -> bool {
    v.is_port()
}
