//! Streaming one big JSON document: `{"meta": …, "messages": [ {…}, {…}, … ]}`.
//!
//! Chat exports put a whole channel's history in one array. Reading it element by element
//! keeps memory at one message, whatever the file size: the keys before the array are kept
//! as context, the array's elements are handed over one at a time as they are parsed.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::io::Read;
use std::rc::Rc;

/// Why a stream stopped early.
#[derive(Debug)]
pub enum StreamError {
    /// Not valid JSON (or not an object): 1-based line, byte offset, message.
    Syntax {
        line: u64,
        offset: u64,
        message: String,
    },
    /// The item callback failed (the store stopped).
    Item(crate::SinkError),
}

/// Where the last lines read begin, so that an error's line and column become a byte
/// offset (the parser reads ahead, so the bytes read so far are not the error's place).
#[derive(Debug, Default)]
struct Lines {
    read: u64,
    /// (1-based line number, offset of its first byte) of the most recent lines.
    starts: std::collections::VecDeque<(u64, u64)>,
    line: u64,
}

const KEEP_LINES: usize = 4096;

/// Reads through, noting line starts.
struct Counting<R> {
    inner: R,
    lines: Rc<RefCell<Lines>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut l = self.lines.borrow_mut();
        for nl in memchr::memchr_iter(b'\n', &buf[..n]) {
            l.line += 1;
            let start = l.read + nl as u64 + 1;
            let line = l.line + 1;
            l.starts.push_back((line, start));
            if l.starts.len() > KEEP_LINES {
                l.starts.pop_front();
            }
        }
        l.read += n as u64;
        Ok(n)
    }
}

impl Lines {
    fn offset(&self, line: u64, column: u64) -> u64 {
        let start = if line <= 1 {
            Some(0)
        } else {
            self.starts
                .iter()
                .find(|(l, _)| *l == line)
                .map(|(_, s)| *s)
        };
        match start {
            Some(s) => (s + column.saturating_sub(1)).min(self.read),
            None => self.read,
        }
    }
}

type ItemFn<'a> = dyn FnMut(&Map<String, Value>, Value) -> Result<(), crate::SinkError> + 'a;

/// Streams the elements of `array_key` of the top-level object in `input` to `item`, with
/// the object's other keys seen so far as context. Returns the context (all other keys).
/// `input` should be buffered; it is read one byte at a time.
pub fn stream_object(
    input: impl Read,
    array_key: &str,
    item: &mut ItemFn<'_>,
) -> Result<Map<String, Value>, StreamError> {
    let lines = Rc::new(RefCell::new(Lines::default()));
    let reader = Counting {
        inner: input,
        lines: Rc::clone(&lines),
    };
    let failed = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_reader(reader);
    let top = Top {
        key: array_key,
        item,
        failed: &failed,
    };
    let result = de
        .deserialize_map(top)
        .and_then(|ctx| de.end().map(|()| ctx));
    if let Some(e) = failed.into_inner() {
        return Err(StreamError::Item(e));
    }
    result.map_err(|e| StreamError::Syntax {
        line: e.line().max(1) as u64,
        offset: lines.borrow().offset(e.line() as u64, e.column() as u64),
        message: e.to_string(),
    })
}

struct Top<'a, 'b> {
    key: &'a str,
    item: &'a mut ItemFn<'b>,
    failed: &'a RefCell<Option<crate::SinkError>>,
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = Map<String, Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a JSON object with a \"{}\" array", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut context = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == self.key {
                map.next_value_seed(Items {
                    context: &context,
                    item: &mut *self.item,
                    failed: self.failed,
                })?;
            } else {
                let value: Value = map.next_value()?;
                context.insert(key, value);
            }
        }
        Ok(context)
    }
}

struct Items<'a, 'b> {
    context: &'a Map<String, Value>,
    item: &'a mut ItemFn<'b>,
    failed: &'a RefCell<Option<crate::SinkError>>,
}

impl<'de> DeserializeSeed<'de> for Items<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Items<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of messages")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            if let Err(e) = (self.item)(self.context, v) {
                *self.failed.borrow_mut() = Some(e);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

/// How a chat export's element maps: a message, `None` for a system message (passed over
/// with a note), or a reason to skip it.
pub type Mapped = Result<Option<hearth_model::RawMessage>, (crate::SkipReason, String)>;

/// Hands one mapped element to the sink: the message, a note (`note` says what it was), or a
/// skip. Streamed elements keep no position, so their diagnostics name the file.
pub fn emit(
    path: &std::path::Path,
    sink: &mut dyn crate::Sink,
    mapped: Mapped,
    note: impl FnOnce() -> String,
) -> Result<(), crate::SinkError> {
    let diag = |severity, reason, detail| crate::Diagnostic {
        file: path.to_path_buf(),
        line: 1,
        byte_offset: 0,
        severity,
        reason,
        detail,
    };
    match mapped {
        Ok(Some(m)) => sink.message(m),
        Ok(None) => {
            sink.diagnostic(diag(
                crate::Severity::Note,
                crate::SkipReason::NotConversation,
                note(),
            ));
            Ok(())
        }
        Err((reason, detail)) => {
            sink.diagnostic(diag(crate::Severity::Skipped, reason, detail));
            Ok(())
        }
    }
}

/// Reads a chat export whose messages are the `messages` array of one JSON object, element by
/// element: `map` turns each into a message (with the object's other keys as context),
/// `note` says what a passed-over element was. A syntax error ends the file with a diagnostic
/// naming `what` was expected; the messages before it are kept. Returns the other keys.
pub fn read_chat_export(
    path: &std::path::Path,
    input: &mut dyn std::io::BufRead,
    sink: &mut dyn crate::Sink,
    what: &str,
    map: &dyn Fn(&Map<String, Value>, &Value) -> Mapped,
    note: &dyn Fn(&Value) -> String,
) -> Result<Map<String, Value>, crate::ReadError> {
    read_array(path, input, sink, "messages", what, map, note)
}

/// [`read_chat_export`] for any array key (`orderedItems` of an ActivityStreams outbox).
pub fn read_array(
    path: &std::path::Path,
    input: &mut dyn std::io::BufRead,
    sink: &mut dyn crate::Sink,
    key: &str,
    what: &str,
    map: &dyn Fn(&Map<String, Value>, &Value) -> Mapped,
    note: &dyn Fn(&Value) -> String,
) -> Result<Map<String, Value>, crate::ReadError> {
    let result = {
        let mut each =
            |ctx: &Map<String, Value>, m: Value| emit(path, &mut *sink, map(ctx, &m), || note(&m));
        stream_object(input, key, &mut each)
    };
    match result {
        Ok(context) => Ok(context),
        Err(StreamError::Item(source)) => Err(crate::ReadError::Sink {
            path: path.to_path_buf(),
            source,
        }),
        Err(StreamError::Syntax {
            line,
            offset,
            message,
        }) => {
            sink.diagnostic(crate::Diagnostic {
                file: path.to_path_buf(),
                line,
                byte_offset: offset,
                severity: crate::Severity::Skipped,
                reason: crate::SkipReason::NotARecord,
                detail: format!("expected {what}: {message}; the rest of the file was skipped"),
            });
            Ok(Map::new())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_stream_with_context_and_errors_keep_what_came_before() {
        let doc =
            br#"{"channel": {"name": "general"}, "messages": [{"id": 1}, {"id": 2}], "n": 2}"#;
        let mut seen = Vec::new();
        let ctx = stream_object(&doc[..], "messages", &mut |ctx, v| {
            seen.push((ctx["channel"]["name"].clone(), v["id"].clone()));
            Ok(())
        })
        .expect("valid");
        assert_eq!(seen.len(), 2);
        assert_eq!(ctx["n"], 2);

        let broken = b"{\"messages\": [{\"id\": 1},\n {\"id\": }]}";
        let mut n = 0;
        let err = stream_object(&broken[..], "messages", &mut |_, _| {
            n += 1;
            Ok(())
        })
        .expect_err("broken");
        assert_eq!(n, 1);
        match err {
            StreamError::Syntax { line, offset, .. } => {
                assert_eq!(line, 2);
                // Line 2 starts at byte 25; the error is at its 9th column (the `}`).
                assert_eq!(&broken[offset as usize..offset as usize + 1], b"}");
            }
            StreamError::Item(_) => panic!("syntax expected"),
        }
    }
}
