//! Ports: objects that Scheme holds and Rust reads and writes.
//!
//! A port object is `[header][*mut Port]`. Standard output goes through
//! `Ctx`'s buffer (flushed at exit and before any error message); file
//! output ports are buffered too and flushed when closed, and every port
//! still open is flushed at exit, so nothing written is lost. Closing a
//! file port releases its file descriptor at once; a port collected
//! unclosed is closed by its finalizer (dropping the `Port`). String and
//! bytevector ports keep their text in Rust memory the `Port` owns.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};

use crate::abi::TYPE_PORT;
use crate::datum_syntax;
use crate::rt::Ctx;
use crate::rt::Value;

enum Kind {
    Stdout,
    Stderr,
    Stdin(BufReader<std::io::Stdin>),
    FileOut(BufWriter<File>),
    FileIn(BufReader<File>),
    /// A string or bytevector input port: everything is in `Port::buf`.
    MemoryIn,
    /// A string or bytevector output port: what was written so far.
    MemoryOut(Vec<u8>),
    /// A closed file port: the file (and its descriptor) is gone.
    Closed {
        output: bool,
    },
}

/// An input or output port, textual or binary.
pub struct Port {
    kind: Kind,
    /// What to call it in messages: a path, `stdout`, `string`.
    name: String,
    closed: bool,
    /// Reads and writes bytes (`read-u8`) rather than characters.
    binary: bool,
    /// Input read ahead and not consumed yet: `buf[pos..]`. A file or
    /// standard input is read a line at a time into it (so `read` sees
    /// whole lines and `peek-char` needs no other buffer); a string or
    /// bytevector port holds all its input here from the start.
    buf: Vec<u8>,
    pos: usize,
}

/// Bytes a file input port reads at a time.
const FILE_CHUNK: usize = 64 * 1024;

/// Bytes of buffered input `read` first parses a datum from (then all of
/// the buffer, if the datum runs past them), so reading a small datum does
/// not validate and scan all the input buffered after it.
const READ_WINDOW: usize = 4096;

/// Bytes in the UTF-8 sequence that starts with `b`.
fn utf8_len(b: u8) -> usize {
    match b {
        b if b < 0x80 => 1,
        b if b >= 0xF0 => 4,
        b if b >= 0xE0 => 3,
        _ => 2,
    }
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
        Ok(Port::new(
            Kind::FileIn(BufReader::with_capacity(FILE_CHUNK, f)),
            path,
        ))
    }
    /// A textual port reading the characters of `s`.
    pub fn input_string(s: &str) -> Port {
        let mut p = Port::new(Kind::MemoryIn, "string");
        p.buf = s.as_bytes().to_vec();
        p
    }
    /// A binary port reading `bytes`.
    pub fn input_bytes(bytes: &[u8]) -> Port {
        let mut p = Port::new(Kind::MemoryIn, "bytevector");
        p.buf = bytes.to_vec();
        p.binary = true;
        p
    }
    /// A textual port collecting what is written (`get-output-string`).
    pub fn output_string() -> Port {
        Port::new(Kind::MemoryOut(Vec::new()), "string")
    }
    /// A binary port collecting what is written (`get-output-bytevector`).
    pub fn output_bytes() -> Port {
        let mut p = Port::new(Kind::MemoryOut(Vec::new()), "bytevector");
        p.binary = true;
        p
    }
    /// The same port reading or writing bytes (binary file ports).
    pub fn into_binary(mut self) -> Port {
        self.binary = true;
        self
    }
    fn new(kind: Kind, name: &str) -> Port {
        Port {
            kind,
            name: name.to_owned(),
            closed: false,
            binary: false,
            buf: Vec::new(),
            pos: 0,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn is_output(&self) -> bool {
        matches!(
            self.kind,
            Kind::Stdout
                | Kind::Stderr
                | Kind::FileOut(_)
                | Kind::MemoryOut(_)
                | Kind::Closed { output: true }
        )
    }
    pub fn is_input(&self) -> bool {
        !self.is_output()
    }
    pub fn is_binary(&self) -> bool {
        self.binary
    }
    pub fn is_open(&self) -> bool {
        !self.closed
    }

    fn check_open(&self) -> Result<(), String> {
        if self.closed {
            Err(format!("port {} is closed", self.name))
        } else {
            Ok(())
        }
    }

    /// Check that the port is textual (`binary` false) or binary.
    pub fn check_mode(&self, binary: bool) -> Result<(), String> {
        match (self.binary, binary) {
            (false, true) => Err(format!("port {} is not a binary port", self.name)),
            (true, false) => Err(format!("port {} is not a textual port", self.name)),
            _ => Ok(()),
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
            Kind::MemoryOut(out) => {
                out.extend_from_slice(bytes);
                Ok(())
            }
            Kind::Stdin(_) | Kind::FileIn(_) | Kind::MemoryIn | Kind::Closed { .. } => {
                return Err(format!("port {} is not an output port", self.name))
            }
        };
        result.map_err(|e| format!("cannot write to {}: {e}", self.name))
    }

    /// Write text to a textual output port.
    pub fn write_text(&mut self, ctx: &mut Ctx, text: &str) -> Result<(), String> {
        self.check_mode(false)?;
        self.write(ctx, text.as_bytes())
    }

    /// What a string or bytevector output port has collected.
    pub fn output_bytes_so_far(&self) -> Result<&[u8], String> {
        match &self.kind {
            Kind::MemoryOut(out) => Ok(out),
            _ => Err(format!(
                "port {} is not a string or bytevector output port",
                self.name
            )),
        }
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
        match self.kind {
            Kind::FileOut(_) | Kind::FileIn(_) => {
                self.closed = true;
                // Drop the file now: its descriptor is released at once, not
                // when the collector finds the port dead.
                let output = self.is_output();
                self.kind = Kind::Closed { output };
            }
            Kind::MemoryIn | Kind::MemoryOut(_) => self.closed = true,
            _ => {}
        }
        self.buf = Vec::new();
        self.pos = 0;
        flushed
    }

    /// Read more input into `buf`: what one read of the file or standard
    /// input gives (a terminal gives a line); false at the end of input.
    /// Consumed bytes are dropped first, so `buf` holds only unread input.
    fn fill(&mut self) -> Result<bool, String> {
        self.check_open()?;
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let name = &self.name;
        let r: &mut dyn BufRead = match &mut self.kind {
            Kind::Stdin(r) => r,
            Kind::FileIn(r) => r,
            Kind::MemoryIn => return Ok(false),
            _ => return Err(format!("port {name} is not an input port")),
        };
        let chunk = r
            .fill_buf()
            .map_err(|e| format!("cannot read from {name}: {e}"))?;
        let n = chunk.len();
        self.buf.extend_from_slice(chunk);
        r.consume(n);
        Ok(n > 0)
    }

    /// At least `n` bytes of input buffered, unless the input ends first:
    /// the bytes buffered.
    fn want(&mut self, n: usize) -> Result<usize, String> {
        self.check_open()?;
        while self.buf.len() - self.pos < n {
            if !self.fill()? {
                break;
            }
        }
        Ok(self.buf.len() - self.pos)
    }

    /// The next character, without consuming it, and its length in bytes.
    fn next_char(&mut self) -> Result<Option<(char, usize)>, String> {
        self.check_mode(false)?;
        if self.want(1)? == 0 {
            return Ok(None);
        }
        let len = utf8_len(self.buf[self.pos]);
        let have = self.want(len)?.min(len);
        match std::str::from_utf8(&self.buf[self.pos..self.pos + have]) {
            Ok(s) if have == len => Ok(s.chars().next().map(|c| (c, len))),
            _ => Err(format!("cannot read from {}: invalid UTF-8", self.name)),
        }
    }

    /// The next character, or `None` at the end of input.
    pub fn read_char(&mut self) -> Result<Option<char>, String> {
        let c = self.next_char()?;
        if let Some((_, len)) = c {
            self.pos += len;
        }
        Ok(c.map(|(c, _)| c))
    }

    pub fn peek_char(&mut self) -> Result<Option<char>, String> {
        Ok(self.next_char()?.map(|(c, _)| c))
    }

    /// Up to `k` characters, or `None` at the end of input.
    pub fn read_string(&mut self, k: usize) -> Result<Option<String>, String> {
        let mut s = String::new();
        for _ in 0..k {
            match self.read_char()? {
                Some(c) => s.push(c),
                None if s.is_empty() => return Ok(None),
                None => break,
            }
        }
        Ok(Some(s))
    }

    /// The next line without its line ending, or `None` at the end of input.
    pub fn read_line(&mut self) -> Result<Option<String>, String> {
        self.check_mode(false)?;
        let mut scanned = 0;
        loop {
            let rest = &self.buf[self.pos..];
            if let Some(i) = rest[scanned..].iter().position(|&b| b == b'\n') {
                let end = scanned + i;
                let line = &rest[..end];
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let line = self.text(line)?;
                self.pos += end + 1;
                return Ok(Some(line));
            }
            scanned = rest.len();
            if !self.fill()? {
                break;
            }
        }
        if self.pos == self.buf.len() {
            return Ok(None);
        }
        let line = self.text(&self.buf[self.pos..])?;
        self.pos = self.buf.len();
        Ok(Some(line))
    }

    fn text(&self, bytes: &[u8]) -> Result<String, String> {
        String::from_utf8(bytes.to_vec())
            .map_err(|_| format!("cannot read from {}: invalid UTF-8", self.name))
    }

    /// The next byte of a binary port (consumed unless `peek`).
    pub fn read_u8(&mut self, peek: bool) -> Result<Option<u8>, String> {
        self.check_mode(true)?;
        if self.want(1)? == 0 {
            return Ok(None);
        }
        let b = self.buf[self.pos];
        if !peek {
            self.pos += 1;
        }
        Ok(Some(b))
    }

    /// Up to `k` bytes of a binary port, or `None` at the end of input.
    pub fn read_bytes(&mut self, k: usize) -> Result<Option<Vec<u8>>, String> {
        self.check_mode(true)?;
        let have = self.want(k)?;
        if have == 0 && k > 0 {
            return Ok(None);
        }
        let n = have.min(k);
        let bytes = self.buf[self.pos..self.pos + n].to_vec();
        self.pos += n;
        Ok(Some(bytes))
    }

    /// Would reading a character or byte not block? Input buffered, the
    /// end of a string, or a file; standard input is asked (`poll`).
    pub fn ready(&mut self) -> Result<bool, String> {
        self.check_open()?;
        if self.pos < self.buf.len() {
            return Ok(true);
        }
        Ok(match &self.kind {
            Kind::Stdin(r) if r.buffer().is_empty() => {
                let mut fd = libc::pollfd {
                    fd: 0,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd, no waiting.
                unsafe { libc::poll(&mut fd, 1, 0) > 0 }
            }
            Kind::Stdin(_) | Kind::FileIn(_) | Kind::MemoryIn => true,
            _ => return Err(format!("port {} is not an input port", self.name)),
        })
    }

    fn invalid_utf8(&self) -> ReadFailure {
        ReadFailure::Port(format!("cannot read from {}: invalid UTF-8", self.name))
    }

    /// Read one datum with `datum_syntax::read_one`: the datum, or `None`
    /// at the end of input. It parses a window of the buffered input that
    /// doubles while the datum runs past its end, and reads more input when
    /// the datum runs past everything buffered.
    pub fn read_datum(&mut self) -> Result<Option<datum_syntax::Sexp>, ReadFailure> {
        self.check_mode(false).map_err(ReadFailure::Port)?;
        self.want(1).map_err(ReadFailure::Port)?;
        let mut window = READ_WINDOW;
        loop {
            let buffered = &self.buf[self.pos..];
            let bytes = &buffered[..window.min(buffered.len())];
            let covers_all = bytes.len() == buffered.len();
            // The window may end inside a character, and invalid UTF-8
            // after the datum is not this datum's concern.
            let (text, invalid) = match std::str::from_utf8(bytes) {
                Ok(text) => (text, false),
                Err(e) => {
                    let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]);
                    (valid.expect("a valid prefix"), e.error_len().is_some())
                }
            };
            let (parsed, cut) = (text.len(), text.len() < bytes.len());
            let (result, hit_end) = datum_syntax::read_one(text, READ_MAX_DEPTH);
            if hit_end {
                // More text could change the datum: a longer token, a list
                // closed later.
                if invalid {
                    return Err(self.invalid_utf8());
                }
                if !covers_all {
                    // A datum longer than the first window: parse it
                    // once more only, over all that is buffered.
                    window = buffered.len();
                    continue;
                }
                if self.fill().map_err(ReadFailure::Port)? {
                    window = window.max(self.buf.len() - self.pos);
                    continue;
                }
                if cut {
                    return Err(self.invalid_utf8());
                }
            }
            return match result {
                Ok(Some((datum, end))) => {
                    self.pos += end;
                    Ok(Some(datum))
                }
                Ok(None) => {
                    self.pos += parsed;
                    Ok(None)
                }
                Err(e) => {
                    // Skip what was read, so that reading again goes on after it.
                    self.pos = (self.pos + e.span.end).min(self.buf.len());
                    Err(ReadFailure::Syntax(e.message))
                }
            };
        }
    }
}

/// Deepest nesting `read` accepts (the reader and the conversion to
/// values recurse on the Scheme stack).
const READ_MAX_DEPTH: usize = 100_000;

/// Why `read` failed: the port (a closed or binary port, an I/O error), or
/// the text (a read error).
pub enum ReadFailure {
    Port(String),
    Syntax(String),
}

impl Ctx {
    /// A new port object; open ports are flushed at exit.
    pub(crate) fn make_port(&mut self, port: Port) -> Value {
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
