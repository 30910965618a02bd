//! Ports: objects that Scheme holds and Rust reads and writes.
//!
//! A port object is `[header][*mut Port]`. Standard output goes through
//! `Ctx`'s buffer (flushed at exit and before any error message); file
//! output ports are buffered too and flushed when closed, and every port
//! still open is flushed at exit, so nothing written is lost. Closing a
//! file port releases its file descriptor at once; a port collected
//! unclosed is closed by its finalizer (dropping the `Port`).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};

use crate::abi::TYPE_PORT;
use crate::ctx::Ctx;
use crate::value::Value;

enum Kind {
    Stdout,
    Stderr,
    Stdin(BufReader<std::io::Stdin>),
    FileOut(BufWriter<File>),
    FileIn(BufReader<File>),
    /// A closed file port: the file (and its descriptor) is gone.
    Closed {
        output: bool,
    },
}

/// An input or output port.
pub struct Port {
    kind: Kind,
    /// What to call it in messages: a path, or `stdout`.
    name: String,
    closed: bool,
    /// A character read by `peek-char` and not consumed yet.
    peeked: Option<char>,
}

impl Port {
    pub fn stdout() -> Port {
        Port::new(Kind::Stdout, "stdout")
    }
    pub fn stderr() -> Port {
        Port::new(Kind::Stderr, "stderr")
    }
    pub fn stdin() -> Port {
        Port::new(Kind::Stdin(BufReader::new(std::io::stdin())), "stdin")
    }
    /// A new file, or an existing one truncated.
    pub fn create(ctx: &mut Ctx, path: &str) -> Result<Port, String> {
        let f = open_file(ctx, || File::create(path))
            .map_err(|e| format!("cannot open {path} for writing: {e}"))?;
        Ok(Port::new(Kind::FileOut(BufWriter::new(f)), path))
    }
    pub fn open(ctx: &mut Ctx, path: &str) -> Result<Port, String> {
        let f = open_file(ctx, || File::open(path))
            .map_err(|e| format!("cannot open {path} for reading: {e}"))?;
        Ok(Port::new(Kind::FileIn(BufReader::new(f)), path))
    }
    fn new(kind: Kind, name: &str) -> Port {
        Port {
            kind,
            name: name.to_owned(),
            closed: false,
            peeked: None,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn is_output(&self) -> bool {
        matches!(
            self.kind,
            Kind::Stdout | Kind::Stderr | Kind::FileOut(_) | Kind::Closed { output: true }
        )
    }
    pub fn is_input(&self) -> bool {
        !self.is_output()
    }

    fn check_open(&self) -> Result<(), String> {
        if self.closed {
            Err(format!("port {} is closed", self.name))
        } else {
            Ok(())
        }
    }

    /// Write bytes to an output port.
    pub fn write(&mut self, ctx: &mut Ctx, bytes: &[u8]) -> Result<(), String> {
        self.check_open()?;
        let result = match &mut self.kind {
            Kind::Stdout => {
                ctx.write_out(bytes);
                Ok(())
            }
            Kind::Stderr => {
                ctx.flush();
                std::io::stderr().write_all(bytes)
            }
            Kind::FileOut(w) => w.write_all(bytes),
            Kind::Stdin(_) | Kind::FileIn(_) | Kind::Closed { .. } => {
                return Err(format!("port {} is not an output port", self.name))
            }
        };
        result.map_err(|e| format!("cannot write to {}: {e}", self.name))
    }

    pub fn flush(&mut self, ctx: &mut Ctx) -> Result<(), String> {
        let result = match &mut self.kind {
            Kind::Stdout => {
                ctx.flush();
                Ok(())
            }
            Kind::FileOut(w) => w.flush(),
            _ => Ok(()),
        };
        result.map_err(|e| format!("cannot write to {}: {e}", self.name))
    }

    /// Flush and close; closing twice is harmless.
    pub fn close(&mut self, ctx: &mut Ctx) -> Result<(), String> {
        if self.closed {
            return Ok(());
        }
        let flushed = self.flush(ctx);
        if matches!(self.kind, Kind::FileOut(_) | Kind::FileIn(_)) {
            self.closed = true;
            // Drop the file now: its descriptor is released at once, not
            // when the collector finds the port dead.
            let output = self.is_output();
            self.kind = Kind::Closed { output };
        }
        flushed
    }

    fn reader(&mut self) -> Result<&mut dyn BufRead, String> {
        self.check_open()?;
        match &mut self.kind {
            Kind::Stdin(r) => Ok(r),
            Kind::FileIn(r) => Ok(r),
            _ => Err(format!("port {} is not an input port", self.name)),
        }
    }

    /// The next character, or `None` at the end of input.
    pub fn read_char(&mut self) -> Result<Option<char>, String> {
        if let Some(c) = self.peeked.take() {
            return Ok(Some(c));
        }
        let name = self.name.clone();
        let r = self.reader()?;
        let mut buf = [0u8; 4];
        let err = |e: std::io::Error| format!("cannot read from {name}: {e}");
        if r.read(&mut buf[..1]).map_err(err)? == 0 {
            return Ok(None);
        }
        let len = match buf[0] {
            b if b < 0x80 => 1,
            b if b >= 0xF0 => 4,
            b if b >= 0xE0 => 3,
            _ => 2,
        };
        r.read_exact(&mut buf[1..len]).map_err(err)?;
        match std::str::from_utf8(&buf[..len]) {
            Ok(s) => Ok(s.chars().next()),
            Err(_) => Err(format!("cannot read from {name}: invalid UTF-8")),
        }
    }

    pub fn peek_char(&mut self) -> Result<Option<char>, String> {
        if self.peeked.is_none() {
            self.peeked = self.read_char()?;
        }
        Ok(self.peeked)
    }

    /// The next line without its line ending, or `None` at the end of input.
    pub fn read_line(&mut self) -> Result<Option<String>, String> {
        let mut line = String::new();
        if let Some(c) = self.peeked.take() {
            if c == '\n' {
                return Ok(Some(line));
            }
            line.push(c);
        }
        let name = self.name.clone();
        let n = self
            .reader()?
            .read_line(&mut line)
            .map_err(|e| format!("cannot read from {name}: {e}"))?;
        if n == 0 && line.is_empty() {
            return Ok(None);
        }
        if line.ends_with('\n') {
            line.pop();
            if line.ends_with('\r') {
                line.pop();
            }
        }
        Ok(Some(line))
    }
}

impl Ctx {
    /// A new port object; open ports are flushed at exit.
    pub fn make_port(&mut self, port: Port) -> Value {
        let v = self.alloc_object(TYPE_PORT, 0, 1);
        let ptr = Box::into_raw(Box::new(port));
        v.set_word(1, ptr as u64);
        self.ports.push(v);
        self.finalizable.push(v);
        v
    }

    /// Flush every port (at exit and before an error message).
    pub fn flush_ports(&mut self) {
        for i in 0..self.ports.len() {
            let p = port_mut(self.ports[i]);
            let _ = p.flush(self);
        }
    }
}

/// Open a file with `open`. When the process is out of file descriptors,
/// collect garbage (ports that died unclosed are closed by their
/// finalizers) and try once more; then the error says what to do.
fn open_file(ctx: &mut Ctx, open: impl Fn() -> std::io::Result<File>) -> Result<File, String> {
    let out_of_descriptors =
        |e: &std::io::Error| matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE));
    match open() {
        Err(e) if out_of_descriptors(&e) => {
            crate::heap::collect(ctx);
            open().map_err(|e| {
                if out_of_descriptors(&e) {
                    format!("{e}: too many files are open (close ports with close-port when done)")
                } else {
                    e.to_string()
                }
            })
        }
        r => r.map_err(|e| e.to_string()),
    }
}

/// The port inside a port object.
pub fn port_mut<'a>(v: Value) -> &'a mut Port {
    // SAFETY: word 1 of a port object is the `Box<Port>` made by `make_port`.
    unsafe { &mut *(v.word(1) as *mut Port) }
}
