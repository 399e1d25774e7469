//! Reading one big JSON document record by record: `{"meta": …, "messages": [ {…}, … ]}`,
//! a top-level array, or records deeper in (`post_stream.posts`).
//!
//! Chat exports put a whole channel's history in one array. [`crate::jsonsplit`] cuts the
//! records out one at a time, so memory is one record whatever the file size; the keys
//! before the array are kept as context. Each record keeps its line and byte offset, so a
//! skipped one is reported where it is, and a record that does not parse (or is larger than
//! the record limit) is skipped without losing the rest of the file.

use crate::jsonsplit::{Piece, RecordPath, SplitError, split};
use crate::{ReadError, Severity, Sink, SkipReason};
use serde_json::{Map, Value};
use std::path::Path;

/// Where a record starts: 1-based line, byte offset (the same place the JSON-lines readers use).
pub use crate::jsonlines::Place;

/// What a reader does with one record: the document's context so far, which of the record
/// paths it came from (`usize::MAX`: the document had none of them, and this is all of it),
/// the record and its place. An error stops the read (the store failed).
pub type EachRecord<'a> = dyn FnMut(&Map<String, Value>, usize, Value, Place, &mut dyn Sink) -> Result<(), ReadError>
    + 'a;

/// Reads the records at `paths` of the document in `input`. Records that cannot be taken are
/// skipped with a diagnostic at their place; a broken document ends the file with one
/// (naming `what` was expected), keeping what came before. Returns the context.
pub fn read_records(
    path: &Path,
    input: &mut dyn std::io::BufRead,
    sink: &mut dyn Sink,
    paths: &[RecordPath<'_>],
    what: &str,
    each: &mut EachRecord<'_>,
) -> Result<Map<String, Value>, ReadError> {
    let mut context = Map::new();
    let mut stopped: Option<ReadError> = None;
    let result = split(input, paths, what, &mut |piece| {
        match piece {
            Piece::Context { key, value } => {
                context.insert(key.to_owned(), value);
            }
            Piece::Bad {
                line,
                offset,
                problem,
            } => sink.diagnostic(Place { line, offset }.diagnostic(
                path,
                Severity::Skipped,
                SkipReason::NotARecord,
                problem,
            )),
            Piece::Record {
                path: which,
                value,
                line,
                offset,
            } => {
                sink.progress(offset);
                if let Err(e) = each(&context, which, value, Place { line, offset }, &mut *sink) {
                    let message = e.to_string();
                    stopped = Some(e);
                    return Err(message.into());
                }
            }
        }
        Ok(())
    });
    if let Some(e) = stopped {
        return Err(e);
    }
    match result {
        Ok(()) => Ok(context),
        Err(SplitError::Io(source)) => Err(ReadError::Io {
            path: path.to_path_buf(),
            source,
        }),
        Err(SplitError::Stop(source)) => Err(ReadError::Sink {
            path: path.to_path_buf(),
            source,
        }),
        Err(SplitError::Syntax {
            line,
            offset,
            message,
        }) => {
            sink.diagnostic(Place { line, offset }.diagnostic(
                path,
                Severity::Skipped,
                SkipReason::NotARecord,
                format!("expected {what}: {message}; the rest of the file was skipped"),
            ));
            Ok(context)
        }
    }
}

/// How a chat export's element maps: a message, `None` for a system message (passed over
/// with a note), or a reason to skip it.
pub type Mapped = Result<Option<hearth_model::RawMessage>, (crate::SkipReason, String)>;

/// Hands one mapped element to the sink: the message, a note (`note` says what it was), or a
/// skip, at the element's place.
pub fn emit(
    path: &Path,
    place: Place,
    sink: &mut dyn Sink,
    mapped: Mapped,
    note: impl FnOnce() -> String,
) -> Result<(), ReadError> {
    match mapped {
        Ok(Some(m)) => sink.message(m).map_err(|source| ReadError::Sink {
            path: path.to_path_buf(),
            source,
        }),
        Ok(None) => {
            sink.diagnostic(place.diagnostic(
                path,
                Severity::Note,
                SkipReason::NotConversation,
                note(),
            ));
            Ok(())
        }
        Err((reason, detail)) => {
            sink.diagnostic(place.diagnostic(path, Severity::Skipped, reason, detail));
            Ok(())
        }
    }
}

/// Reads a chat export whose messages are the `messages` array of one JSON object, element by
/// element: `map` turns each into a message (with the object's other keys as context),
/// `note` says what a passed-over element was. Returns the other keys.
pub fn read_chat_export(
    path: &Path,
    input: &mut dyn std::io::BufRead,
    sink: &mut dyn Sink,
    what: &str,
    map: &dyn Fn(&Map<String, Value>, &Value) -> Mapped,
    note: &dyn Fn(&Value) -> String,
) -> Result<Map<String, Value>, ReadError> {
    read_array(path, input, sink, "messages", what, map, note)
}

/// [`read_chat_export`] for any array key (`orderedItems` of an ActivityStreams outbox).
pub fn read_array(
    path: &Path,
    input: &mut dyn std::io::BufRead,
    sink: &mut dyn Sink,
    key: &str,
    what: &str,
    map: &dyn Fn(&Map<String, Value>, &Value) -> Mapped,
    note: &dyn Fn(&Value) -> String,
) -> Result<Map<String, Value>, ReadError> {
    read_records(
        path,
        input,
        sink,
        &[&[key]],
        what,
        &mut |ctx, which, m, place, sink| {
            if which == usize::MAX {
                let found = match &m {
                    Value::Array(a) => format!("a JSON array of {} values", a.len()),
                    Value::Object(o) => format!(
                        "an object with keys {}",
                        crate::excerpt(&o.keys().cloned().collect::<Vec<_>>().join(", "), 120)
                    ),
                    other => format!("a JSON {}", kind(other)),
                };
                sink.diagnostic(place.diagnostic(
                    path,
                    Severity::Skipped,
                    SkipReason::NotARecord,
                    format!("expected {what} (an object with a {key:?} array), found {found}"),
                ));
                return Ok(());
            }
            emit(path, place, sink, map(ctx, &m), || note(&m))
        },
    )
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Diagnostic;

    struct Collect(Vec<hearth_model::RawMessage>, Vec<Diagnostic>);

    impl Sink for Collect {
        fn message(&mut self, m: hearth_model::RawMessage) -> Result<(), crate::SinkError> {
            self.0.push(m);
            Ok(())
        }
        fn diagnostic(&mut self, d: Diagnostic) {
            self.1.push(d);
        }
    }

    #[test]
    fn records_stream_with_context_and_a_broken_one_is_reported_where_it_is() {
        let doc = b"{\"channel\": {\"name\": \"general\"}, \"messages\": [{\"id\": 1},\n {\"id\": }, {\"id\": 3}], \"n\": 2}";
        let mut sink = Collect(Vec::new(), Vec::new());
        let mut seen = Vec::new();
        let ctx = read_records(
            Path::new("x.json"),
            &mut &doc[..],
            &mut sink,
            &[&["messages"]],
            "a test export",
            &mut |ctx, _, v, _, _| {
                seen.push((ctx["channel"]["name"].clone(), v["id"].clone()));
                Ok(())
            },
        )
        .expect("read");
        assert_eq!(seen.len(), 2, "the records beside the broken one are read");
        assert_eq!(ctx["n"], 2);
        let d = &sink.1[0];
        assert_eq!(d.line, 2);
        // At the error itself: the `}` where a value was expected.
        assert_eq!(
            &doc[d.byte_offset as usize..d.byte_offset as usize + 3],
            b"}, "
        );
    }
}
