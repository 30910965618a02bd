//! The REPL's terminal side: reading inputs (with line editing and
//! history on a terminal, plain forms from a pipe) and its commands. The
//! loop itself is Scheme (`%repl` in the compiler's prelude): read, compile
//! and load a unit (`eval.rs`), call it under an exception handler, print.

use std::io::{IsTerminal, Write};

use crate::eval::EvalState;
use crate::exception::Error;
use crate::print::to_string;
use crate::rt::Ctx;
use crate::rt::Value;

const HELP: &str = "\
Type Scheme forms; each is compiled to native code and run, and its values are printed.
Definitions persist; a redefinition replaces the old one. An error is reported and the session goes on.
Commands:
  ,help          this text
  ,primitives    list every primitive with its signature
  ,asm FORM      show the assembly schemec makes for FORM (as a whole program)
  ,time FORM     evaluate FORM and print how long it took
  ,exit          leave (as does end of input, Ctrl-D)
";

/// One input, after commands are handled.
pub(crate) enum Input {
    /// Source text to evaluate.
    Code(String),
    /// `,time FORM`.
    Time(String),
    /// A command already answered.
    Done,
}

/// Is the REPL talking to a person (standard input is a terminal)?
pub(crate) fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

/// Read lines until they make complete data (balanced parentheses);
/// `None` at end of input.
pub(crate) fn read_line_input(st: &mut EvalState) -> Option<String> {
    use rustyline::error::ReadlineError;
    let history = history_file();
    let editor = match &mut st.editor {
        Some(e) => e,
        slot => {
            let mut editor = rustyline::DefaultEditor::new().ok()?;
            if let Some(h) = &history {
                let _ = editor.load_history(h);
            }
            slot.insert(editor)
        }
    };
    let mut text = String::new();
    loop {
        let prompt = if text.is_empty() { "> " } else { "  " };
        match editor.readline(prompt) {
            Ok(line) => {
                text.push_str(&line);
                text.push('\n');
            }
            // Ctrl-C drops the input typed so far.
            Err(ReadlineError::Interrupted) => {
                text.clear();
                continue;
            }
            Err(_) => return None,
        }
        if text.trim().is_empty() {
            text.clear();
            continue;
        }
        if text.trim_start().starts_with(',') || complete(&text) {
            let _ = editor.add_history_entry(text.trim_end());
            if let Some(h) = &history {
                // After each input: the session may end by `(exit)`.
                let _ = editor.save_history(h);
            }
            return Some(text);
        }
    }
}

/// Where the history of inputs is kept between sessions:
/// `SCHEMEC_HISTORY`, else `~/.schemec_history`.
fn history_file() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("SCHEMEC_HISTORY") {
        return Some(p.into());
    }
    std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".schemec_history"))
}

/// Do these lines hold only complete data (or an error more text cannot fix)?
fn complete(text: &str) -> bool {
    let (_, errors) = crate::datum_syntax::read_all(text);
    !errors.iter().any(|e| e.incomplete)
}

/// The next datum from standard input as text (`,name` for a command
/// `(unquote name)`, with the datum after it for `,asm` and `,time`);
/// `None` at end of input.
pub(crate) fn read_piped_input(ctx: &mut Ctx) -> Result<Option<String>, Error> {
    let Some(v) = next_datum(ctx)? else {
        return Ok(None);
    };
    if let Some(name) = command_name(v) {
        let mut text = format!(",{name}");
        if name == "asm" || name == "time" {
            if let Some(form) = next_datum(ctx)? {
                text.push(' ');
                text.push_str(&to_string(form, true));
            }
        }
        return Ok(Some(text));
    }
    Ok(Some(to_string(v, true)))
}

fn next_datum(ctx: &mut Ctx) -> Result<Option<Value>, Error> {
    let v = crate::primitives::read_datum(ctx)?;
    Ok((v != Value::EOF).then_some(v))
}

/// `name` if `v` is `(unquote name)`, as `,name` reads.
fn command_name(v: Value) -> Option<String> {
    if !v.is_pair() || !v.car().is_symbol() || to_string(v.car(), false) != "unquote" {
        return None;
    }
    let rest = v.cdr();
    (rest.is_pair() && rest.car().is_symbol() && rest.cdr() == Value::NIL)
        .then(|| to_string(rest.car(), false))
}

/// Answer a command, or pass code on.
pub(crate) fn command(ctx: &mut Ctx, text: &str) -> Input {
    let Some(cmd) = text.trim_start().strip_prefix(',') else {
        return Input::Code(text.to_owned());
    };
    let (name, rest) = cmd
        .trim()
        .split_once(char::is_whitespace)
        .unwrap_or((cmd.trim(), ""));
    let rest = rest.trim();
    match name {
        "help" | "h" | "?" => print!("{HELP}"),
        "exit" | "quit" | "q" => ctx.exit(0),
        "time" if !rest.is_empty() => return Input::Time(rest.to_owned()),
        "primitives" => run_compiler(ctx, &["primitives"], None),
        "asm" if !rest.is_empty() => run_compiler(ctx, &["asm", "-"], Some(rest)),
        _ => eprintln!("unknown command `,{cmd}` (or it needs a form); `,help` lists them"),
    }
    let _ = std::io::stdout().flush();
    Input::Done
}

/// Run the compiler with `args` (and `input` on its standard input),
/// showing what it prints.
fn run_compiler(ctx: &mut Ctx, args: &[&str], input: Option<&str>) {
    let schemec = match crate::eval::compiler_path(ctx) {
        Ok(p) => p,
        Err(e) => return eprintln!("error: {}", e.message),
    };
    let child = std::process::Command::new(schemec)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return eprintln!("error: cannot run the compiler");
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.unwrap_or("").as_bytes());
    }
    let _ = child.wait();
}
