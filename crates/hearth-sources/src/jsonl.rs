//! `jsonl`: Hearth's generic format as JSON lines, one message a line, for any platform
//! without a reader of its own. Fields (`docs/generic-format.md`): `id`, `time`, `author`
//! (required); `author_name`, `author_email`, `role` (`brand` | `member` | `bot`), `space`,
//! `space_name`, `parent`, `mentions` (an array of author ids), `subject`, `text`.
//!
//! **Mapping:** one-to-one (see `generic.rs`); `role` becomes the `staff` or `bot` flag, so
//! `hearth.toml` rules still come first.
//!
//! **Skipped, with a diagnostic (line, byte offset):** a line that is not a JSON object, a
//! record without `id`, a readable `time` or `author`, an unknown `role`.
//!
//! **Checked against:** `fixtures/generic/messages.jsonl`, written to the documented schema.

use crate::generic::{Fields, message};
use crate::{ReadError, Reader, Severity, Sink};
use serde_json::Value;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Reads the generic JSON-lines format.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonlReader;

impl Reader for JsonlReader {
    fn id(&self) -> &'static str {
        "jsonl"
    }

    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        crate::expand_paths(paths, &["jsonl", "ndjson"])
    }

    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        read_lines(unit, &mut crate::open(unit)?, sink)
    }
}

/// Reads generic JSON lines from `input` (`path` names it in diagnostics).
pub fn read_lines(
    path: &Path,
    input: &mut dyn BufRead,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    crate::jsonlines::for_each_object(path, input, sink, &mut |place, v, sink| {
        let text_of = |k: &str| v.get(k).and_then(Value::as_str);
        let number_id = v.get("id").and_then(Value::as_i64).map(|n| n.to_string());
        let number_time = v.get("time").and_then(Value::as_f64).map(|n| n.to_string());
        let fields = Fields {
            id: text_of("id").or(number_id.as_deref()),
            time: text_of("time").or(number_time.as_deref()),
            author: text_of("author"),
            author_name: text_of("author_name"),
            author_email: text_of("author_email"),
            role: text_of("role"),
            space: text_of("space"),
            space_name: text_of("space_name"),
            parent: text_of("parent"),
            subject: text_of("subject"),
            text: text_of("text"),
            mentions: v
                .get("mentions")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|m| m.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        };
        match message(&fields) {
            Ok(m) => sink.message(m).map_err(|source| ReadError::Sink {
                path: path.to_path_buf(),
                source,
            }),
            Err((reason, detail)) => {
                sink.diagnostic(place.diagnostic(path, Severity::Skipped, reason, detail));
                Ok(())
            }
        }
    })
}
