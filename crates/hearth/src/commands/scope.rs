//! What `metrics`, `members` and `explain` share: the scope flags, the loaded store, and how
//! people and messages are shown.

use crate::config;
use hearth_analysis::{Prepared, Window};
use hearth_model::Snapshot;
use hearth_store::Store;
use serde_json::{Value, json};
use std::path::Path;

#[derive(Debug, Clone, clap::Args)]
pub struct Scope {
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

/// The store, its resolved snapshot and what every metric needs.
pub struct Loaded {
    pub store: Store,
    pub snapshot: Snapshot,
    pub prepared: Prepared,
    pub window: Window,
    pub space: Option<u32>,
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("messages", &self.snapshot.messages.len())
            .finish()
    }
}

pub fn load(data: &Path, scope: &Scope) -> anyhow::Result<Loaded> {
    let window = super::report::window(scope.since.as_deref(), scope.until.as_deref())?;
    let config = config::load(data)?;
    if !data.join(hearth_store::STORE_FILE).exists() {
        anyhow::bail!(
            "no store in {} yet: read an export first (hearth --data {} ingest mbox PATH)",
            data.display(),
            data.display()
        );
    }
    let store = Store::open(data)?;
    let snapshot = super::resolved_snapshot(&store, &config)?;
    let space = match &scope.space {
        None => None,
        Some(name) => Some(
            snapshot
                .spaces
                .iter()
                .position(|s| &s.name == name || &s.native_id == name)
                .map(|p| p as u32)
                .ok_or_else(|| {
                    let known: Vec<&str> =
                        snapshot.spaces.iter().map(|s| s.name.as_str()).collect();
                    anyhow::anyhow!("no space named {name:?}; known: {}", known.join(", "))
                })?,
        ),
    };
    let prepared = Prepared::new(&snapshot, &config);
    Ok(Loaded {
        store,
        snapshot,
        prepared,
        window,
        space,
    })
}

impl Loaded {
    pub fn context(&self) -> hearth_analysis::Context<'_> {
        hearth_analysis::Context::new(&self.snapshot, &self.prepared, self.window, self.space)
    }

    pub fn person(&self, p: u32) -> Value {
        match self.snapshot.persons.get(p as usize) {
            Some(info) => json!({
                "id": info.id.0,
                "name": info.display_name,
                "role": self.prepared.roles[p as usize].role.as_str(),
            }),
            None => Value::Null,
        }
    }

    pub fn person_name(&self, p: u32) -> String {
        self.snapshot
            .persons
            .get(p as usize)
            .map_or_else(|| "?".to_owned(), |i| i.display_name.clone())
    }

    pub fn space_name(&self, s: u32) -> String {
        self.snapshot
            .spaces
            .get(s as usize)
            .map_or_else(|| "?".to_owned(), |i| i.name.clone())
    }

    /// A message for drill-down: store id, `ref` (source and the export's own id, stable
    /// across stores), time, author, space and (when `excerpt`) the first words of its own
    /// text.
    pub fn message(&self, i: u32, excerpt: bool) -> Value {
        let m = &self.snapshot.messages;
        let i = i as usize;
        let mut v = json!({
            "message": m.id[i],
            "time": hearth_report::iso(m.time[i]),
            "author": self.person_name(m.author[i]),
            "space": self.space_name(m.space[i]),
        });
        if let Ok(Some((source, native))) = self.store.message_ref(hearth_model::MessageId(m.id[i]))
        {
            v["ref"] = Value::String(format!("{source}:{native}"));
        }
        if excerpt && let Ok(Some(text)) = self.store.message_text(hearth_model::MessageId(m.id[i]))
        {
            v["excerpt"] = Value::String(excerpt_of(&text));
        }
        v
    }
}

/// The first 120 characters of a message's own words, on one line.
pub fn excerpt_of(text: &str) -> String {
    let own = hearth_analysis::text::sentiment::own_words(text);
    let flat: String = own.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = flat.chars().take(120).collect();
    if flat.chars().count() > 120 {
        out.push('…');
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
