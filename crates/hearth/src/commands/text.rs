//! What the commands share for printing: the scope flags, JSON on stdout, and a plain-text
//! rendering of a JSON answer.

use hearth_app::scope::Scope;
use serde_json::{Value, json};

/// The window and space flags every scoped command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct ScopeArgs {
    /// Start of the window (inclusive): YYYY-MM-DD, YYYY-MM or RFC 3339; UTC.
    #[arg(long)]
    pub since: Option<String>,
    /// End of the window (exclusive): YYYY-MM-DD, YYYY-MM or RFC 3339; UTC.
    #[arg(long)]
    pub until: Option<String>,
    /// Only this space (its name or native id, as `hearth report` lists them).
    #[arg(long)]
    pub space: Option<String>,
}

impl ScopeArgs {
    pub fn scope(&self) -> Scope {
        Scope {
            since: self.since.clone(),
            until: self.until.clone(),
            space: self.space.clone(),
        }
    }
}

/// Prints `value` as pretty JSON on stdout.
pub fn print_json(value: &Value) {
    println!(
        "{}",
        terminal_safe_json(&serde_json::to_string_pretty(value).unwrap_or_default())
    );
}

/// JSON text with every character a terminal could act on written as a `\uXXXX` escape:
/// the same JSON value, exactly (serde escapes only U+0000..U+001F; DEL, the C1 controls
/// and bidi overrides would pass raw). Such characters only occur inside strings.
pub fn terminal_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_control() && c != '\n'
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Rounds every float in a JSON value to 4 decimals (stable, readable output).
pub fn rounded(v: Value) -> Value {
    match v {
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap_or(0.0);
            json!((x * 10_000.0).round() / 10_000.0)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(rounded).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, rounded(v))).collect()),
        other => other,
    }
}

/// A plain-text rendering of a JSON result: one `key: value` a line, nested objects
/// indented, lists of objects one item a line.
pub fn render_text(v: &Value) -> String {
    let mut out = String::new();
    walk(v, 0, &mut out);
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "—".to_owned(),
        Value::String(s) => s.clone(),
        Value::Array(a) if a.iter().any(Value::is_array) => {
            format!("({} points; --json lists them)", a.len())
        }
        Value::Array(a) => a.iter().map(scalar).collect::<Vec<_>>().join(", "),
        Value::Object(o) => o
            .iter()
            .map(|(k, v)| format!("{k}={}", scalar(v)))
            .collect::<Vec<_>>()
            .join("  "),
        other => other.to_string(),
    }
}

/// One bullet an item: its plain fields on the line, its lists of objects as bullets below.
fn list(items: &[Value], depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    for item in items {
        let Value::Object(fields) = item else {
            out.push_str(&format!("{pad}- {}\n", scalar(item)));
            continue;
        };
        let nested = |v: &Value| v.as_array().is_some_and(|a| a.iter().any(Value::is_object));
        let inline: Vec<String> = fields
            .iter()
            .filter(|(_, v)| !nested(v))
            .map(|(k, v)| format!("{k}={}", scalar(v)))
            .collect();
        out.push_str(&format!("{pad}- {}\n", inline.join("  ")));
        for (k, v) in fields.iter().filter(|(_, v)| nested(v)) {
            out.push_str(&format!("{pad}  {k}:\n"));
            list(v.as_array().map_or(&[][..], Vec::as_slice), depth + 2, out);
        }
    }
}

fn walk(v: &Value, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    match v {
        Value::Object(o) => {
            for (k, v) in o {
                match v {
                    Value::Object(inner) if !inner.is_empty() => {
                        out.push_str(&format!("{pad}{k}:\n"));
                        walk(v, depth + 1, out);
                    }
                    Value::Array(items) if items.iter().any(|x| x.is_object()) => {
                        out.push_str(&format!("{pad}{k}: ({} items)\n", items.len()));
                        list(items, depth + 1, out);
                    }
                    other => out.push_str(&format!("{pad}{k}: {}\n", scalar(other))),
                }
            }
        }
        Value::Array(items) if items.iter().any(Value::is_object) => list(items, depth, out),
        other => out.push_str(&format!("{pad}{}\n", scalar(other))),
    }
}

/// Text from the data made safe for a terminal: control characters (escape sequences, NUL,
/// bidi overrides) become U+FFFD, so a name can never move the cursor or clear the screen.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}
