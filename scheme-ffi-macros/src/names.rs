//! Scheme names: derived from Rust names, checked, and mangled into
//! linker symbols.

/// `string_repeat` => `string-repeat`; `is_empty` => `empty?`.
pub fn scheme_name(rust: &str) -> String {
    let rust = rust.strip_prefix("r#").unwrap_or(rust);
    match rust.strip_prefix("is_") {
        Some(rest) if !rest.is_empty() => format!("{}?", rest.replace('_', "-")),
        _ => rust.replace('_', "-"),
    }
}

/// Why `name` is not a valid Scheme identifier, if it is not.
pub fn invalid_identifier(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("a Scheme name cannot be empty".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| c.is_whitespace() || "()[]{}\"';`,|#".contains(*c))
    {
        return Some(format!(
            "`{name}` is not a valid Scheme identifier: it contains {c:?}"
        ));
    }
    let numeric = name.starts_with(|c: char| c.is_ascii_digit())
        || (name.len() > 1
            && name.starts_with(['+', '-', '.'])
            && name[1..].starts_with(|c: char| c.is_ascii_digit()));
    if numeric || name == "." {
        return Some(format!(
            "`{name}` is not a valid Scheme identifier: it reads as a number"
        ));
    }
    None
}

/// Linker symbol of a primitive's trampoline: `prefix` followed by the
/// mangled Scheme name.
pub fn symbol(prefix: &str, name: &str) -> String {
    let mut s = String::from(prefix);
    for c in name.chars() {
        match c {
            c if c.is_ascii_alphanumeric() => s.push(c),
            '-' => s.push('_'),
            c => s.push_str(&format!("_{:x}_", c as u32)),
        }
    }
    s
}
