//! Ports and input/output. Output procedures write to the current output
//! port unless they are given a port.

use super::range;
use super::strings::slice;
use crate::bytevector::{bytes, bytevector_length};
use crate::exception::Error;
use crate::port::{port_mut, Port};
use crate::print::{print_labelled, to_string, Labels};
use crate::rt::Ctx;
use crate::rt::Value;
use crate::rt::{Bytevector, Procedure, SchemeString};
use crate::scheme_fn;

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
    output(ctx, port).write_text(ctx, &s)
}

/// Print a value in machine-readable syntax.
#[scheme_fn]
fn write(ctx: &mut Ctx, value: Value, port: Option<&mut Port>) -> Result<(), String> {
    let s = to_string(value, true);
    output(ctx, port).write_text(ctx, &s)
}

/// Print a value in machine-readable syntax, with datum labels for every
/// pair or vector that occurs more than once.
#[scheme_fn(name = "write-shared")]
fn write_shared(ctx: &mut Ctx, value: Value, port: Option<&mut Port>) -> Result<(), String> {
    let mut s = String::new();
    print_labelled(&mut s, value, true, Labels::Shared);
    output(ctx, port).write_text(ctx, &s)
}

/// Print a value in machine-readable syntax without datum labels (a cyclic
/// datum prints forever).
#[scheme_fn(name = "write-simple")]
fn write_simple(ctx: &mut Ctx, value: Value, port: Option<&mut Port>) -> Result<(), String> {
    let mut s = String::new();
    print_labelled(&mut s, value, true, Labels::None);
    output(ctx, port).write_text(ctx, &s)
}

/// Print a line break.
#[scheme_fn]
fn newline(ctx: &mut Ctx, port: Option<&mut Port>) -> Result<(), String> {
    output(ctx, port).write_text(ctx, "\n")
}

/// Print one character.
#[scheme_fn(name = "write-char")]
fn write_char(ctx: &mut Ctx, c: char, port: Option<&mut Port>) -> Result<(), String> {
    output(ctx, port).write_text(ctx, c.encode_utf8(&mut [0; 4]))
}

/// Print a string's characters (optionally from start to end).
#[scheme_fn(name = "write-string")]
fn write_string(
    ctx: &mut Ctx,
    string: SchemeString,
    port: Option<&mut Port>,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<(), String> {
    let text = slice(string.0, start.unwrap_or(0), end)?;
    output(ctx, port).write_text(ctx, &text)
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

/// Is the value an input port?
#[scheme_fn(name = "input-port?")]
fn is_input_port(v: Value) -> bool {
    v.is_port() && port_mut(v).is_input()
}

/// Is the value an output port?
#[scheme_fn(name = "output-port?")]
fn is_output_port(v: Value) -> bool {
    v.is_port() && port_mut(v).is_output()
}

/// Is the value a port of characters?
#[scheme_fn(name = "textual-port?")]
fn is_textual_port(v: Value) -> bool {
    v.is_port() && !port_mut(v).is_binary()
}

/// Is the value a port of bytes?
#[scheme_fn(name = "binary-port?")]
fn is_binary_port(v: Value) -> bool {
    v.is_port() && port_mut(v).is_binary()
}

/// Is the port an input port that is still open?
#[scheme_fn(name = "input-port-open?")]
fn is_input_port_open(port: &Port) -> bool {
    port.is_input() && port.is_open()
}

/// Is the port an output port that is still open?
#[scheme_fn(name = "output-port-open?")]
fn is_output_port_open(port: &Port) -> bool {
    port.is_output() && port.is_open()
}

/// A textual input port reading the string's characters.
#[scheme_fn(name = "open-input-string")]
fn open_input_string(s: &str) -> Port {
    Port::input_string(s)
}

/// A textual output port collecting what is written to it.
#[scheme_fn(name = "open-output-string")]
fn open_output_string() -> Port {
    Port::output_string()
}

/// The characters written so far to a port from `open-output-string`.
#[scheme_fn(name = "get-output-string")]
fn get_output_string(ctx: &mut Ctx, port: &mut Port) -> Result<Value, String> {
    port.check_mode(false)?;
    let text = String::from_utf8_lossy(port.output_bytes_so_far()?).into_owned();
    Ok(ctx.make_string(text))
}

/// A binary input port reading the bytevector's bytes.
#[scheme_fn(name = "open-input-bytevector")]
fn open_input_bytevector(bytevector: &[u8]) -> Port {
    Port::input_bytes(bytevector)
}

/// A binary output port collecting the bytes written to it.
#[scheme_fn(name = "open-output-bytevector")]
fn open_output_bytevector() -> Port {
    Port::output_bytes()
}

/// The bytes written so far to a port from `open-output-bytevector`.
#[scheme_fn(name = "get-output-bytevector")]
fn get_output_bytevector(ctx: &mut Ctx, port: &mut Port) -> Result<Value, String> {
    port.check_mode(true)?;
    let data = port.output_bytes_so_far()?.to_vec();
    Ok(ctx.make_bytevector_from(&data))
}

/// A binary port reading from a file.
#[scheme_fn(name = "open-binary-input-file")]
fn open_binary_input_file(ctx: &mut Ctx, path: &str) -> Result<Port, Error> {
    Port::open(ctx, path)
        .map(Port::into_binary)
        .map_err(Error::file)
}

/// A binary port writing to a new file (an existing file is truncated).
#[scheme_fn(name = "open-binary-output-file")]
fn open_binary_output_file(ctx: &mut Ctx, path: &str) -> Result<Port, Error> {
    Port::create(ctx, path)
        .map(Port::into_binary)
        .map_err(Error::file)
}

/// Up to k characters from a port as a string, or the end-of-file object.
#[scheme_fn(name = "read-string")]
fn read_string(ctx: &mut Ctx, k: usize, port: Option<&mut Port>) -> Result<Value, String> {
    match input(ctx, port).read_string(k)? {
        Some(s) => Ok(ctx.make_string(s)),
        None => Ok(Value::EOF),
    }
}

/// Is a character ready to be read without waiting?
#[scheme_fn(name = "char-ready?")]
fn is_char_ready(ctx: &mut Ctx, port: Option<&mut Port>) -> Result<bool, String> {
    let port = input(ctx, port);
    port.check_mode(false)?;
    port.ready()
}

/// The next byte from a binary port, or the end-of-file object.
#[scheme_fn(name = "read-u8")]
fn read_u8(ctx: &mut Ctx, port: Option<&mut Port>) -> Result<Value, String> {
    Ok(input(ctx, port)
        .read_u8(false)?
        .map_or(Value::EOF, |b| Value::fixnum(b.into())))
}

/// The next byte from a binary port without consuming it, or the
/// end-of-file object.
#[scheme_fn(name = "peek-u8")]
fn peek_u8(ctx: &mut Ctx, port: Option<&mut Port>) -> Result<Value, String> {
    Ok(input(ctx, port)
        .read_u8(true)?
        .map_or(Value::EOF, |b| Value::fixnum(b.into())))
}

/// Is a byte ready to be read without waiting?
#[scheme_fn(name = "u8-ready?")]
fn is_u8_ready(ctx: &mut Ctx, port: Option<&mut Port>) -> Result<bool, String> {
    let port = input(ctx, port);
    port.check_mode(true)?;
    port.ready()
}

/// Up to k bytes from a binary port as a new bytevector, or the
/// end-of-file object.
#[scheme_fn(name = "read-bytevector")]
fn read_bytevector(ctx: &mut Ctx, k: usize, port: Option<&mut Port>) -> Result<Value, String> {
    match input(ctx, port).read_bytes(k)? {
        Some(data) => Ok(ctx.make_bytevector_from(&data)),
        None => Ok(Value::EOF),
    }
}

/// Read bytes from a binary port into the bytevector from start to end:
/// the number read, or the end-of-file object.
#[scheme_fn(name = "read-bytevector!")]
fn read_bytevector_into(
    ctx: &mut Ctx,
    bytevector: Bytevector,
    port: Option<&mut Port>,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<Value, String> {
    let v = bytevector.0;
    let (start, end) = range(bytevector_length(v), start, end, v)?;
    match input(ctx, port).read_bytes(end - start)? {
        Some(data) => {
            crate::primitives::bytevectors::writable(ctx, bytevector, 1)?
                [start..start + data.len()]
                .copy_from_slice(&data);
            Ok(Value::fixnum(data.len() as i64))
        }
        None => Ok(Value::EOF),
    }
}

/// Write a byte to a binary port.
#[scheme_fn(name = "write-u8")]
fn write_u8(ctx: &mut Ctx, byte: u8, port: Option<&mut Port>) -> Result<(), String> {
    let port = output(ctx, port);
    port.check_mode(true)?;
    port.write(ctx, &[byte])
}

/// Write the bytes of a bytevector (optionally from start to end) to a
/// binary port.
#[scheme_fn(name = "write-bytevector")]
fn write_bytevector(
    ctx: &mut Ctx,
    bytevector: Bytevector,
    port: Option<&mut Port>,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<(), String> {
    let v = bytevector.0;
    let (start, end) = range(bytevector_length(v), start, end, v)?;
    let port = output(ctx, port);
    port.check_mode(true)?;
    port.write(ctx, &bytes(v)[start..end])
}

/// Call `proc` with the port; close the port when `proc` returns.
#[scheme_fn(name = "call-with-port")]
fn call_with_port(ctx: &mut Ctx, port: Value, proc: Procedure) -> Result<Value, String> {
    if !port.is_port() {
        return Err(format!(
            "argument 1 (port): expected port, got {}",
            to_string(port, true)
        ));
    }
    let result = ctx.call_or_unwind(proc, &[port]);
    port_mut(port).close(ctx)?;
    Ok(result)
}

/// Call `thunk` with the current input port reading from the file.
#[scheme_fn(name = "with-input-from-file")]
fn with_input_from_file(ctx: &mut Ctx, path: &str, thunk: Procedure) -> Result<Value, Error> {
    let port = Port::open(ctx, path).map_err(Error::file)?;
    let port = ctx.make_port(port);
    let saved = std::mem::replace(&mut ctx.current_input, port);
    let result = ctx.call(thunk, &[]);
    ctx.current_input = saved;
    port_mut(port).close(ctx).map_err(Error::file)?;
    match result {
        Ok(v) => Ok(v),
        Err(e) => e.resume(ctx),
    }
}
