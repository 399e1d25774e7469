//! Streaming one big JSON document in bounded memory: the elements of its record arrays are
//! cut out one at a time, with the line and byte where each starts, and parsed alone.
//!
//! Chat and API exports put whole histories into one document (`{"messages": [...]}`, a
//! top-level array of issues, `{"post_stream": {"posts": [...]}}`). This scanner finds the
//! boundaries of each element with a small lexical state machine (strings, escapes, nesting)
//! and hands its bytes to `serde_json`, so memory is one record, whatever the file size; a
//! record larger than [`crate::limits::max_record`] is passed over (its bytes are counted,
//! not kept) and reported, and reading goes on with the next one. A record that does not
//! parse is reported with its place and skipped; only a broken document structure (or the
//! end of the file inside a record) ends the file.

use serde_json::{Map, Value};
use std::io::BufRead;

/// Which arrays hold the records: a path of object keys from the top (`&[]` for a top-level
/// array, `&["messages"]`, `&["post_stream", "posts"]`).
pub type RecordPath<'a> = &'a [&'a str];

/// What the scanner hands over.
#[derive(Debug)]
pub enum Piece<'a> {
    /// One record: the path of the array it is in, its parsed value, and where it starts.
    Record {
        path: usize,
        value: Value,
        line: u64,
        offset: u64,
    },
    /// A record that could not be taken: too large, or not valid JSON.
    Bad {
        line: u64,
        offset: u64,
        problem: String,
    },
    /// A value outside the record arrays (at the top level or inside an object on a record
    /// path), by key, seen before the records that follow it.
    Context { key: &'a str, value: Value },
}

/// Why a document could not be read to its end.
#[derive(Debug)]
pub enum SplitError {
    /// The document's structure is broken here (1-based line, byte offset).
    Syntax {
        line: u64,
        offset: u64,
        message: String,
    },
    Io(std::io::Error),
    /// The callback asked to stop (the store failed).
    Stop(crate::SinkError),
}

/// Bytes with their place: line and offset of the next byte.
struct Cursor<R> {
    input: R,
    offset: u64,
    line: u64,
}

impl<R: BufRead> Cursor<R> {
    fn peek(&mut self) -> Result<Option<u8>, SplitError> {
        Ok(self
            .input
            .fill_buf()
            .map_err(SplitError::Io)?
            .first()
            .copied())
    }

    fn bump(&mut self) -> Result<Option<u8>, SplitError> {
        let b = self.peek()?;
        if let Some(b) = b {
            self.input.consume(1);
            self.offset += 1;
            if b == b'\n' {
                self.line += 1;
            }
        }
        Ok(b)
    }

    fn skip_ws(&mut self) -> Result<Option<u8>, SplitError> {
        loop {
            let chunk = self.input.fill_buf().map_err(SplitError::Io)?;
            if chunk.is_empty() {
                return Ok(None);
            }
            let mut n = 0;
            let mut lines = 0;
            for b in chunk {
                match b {
                    b' ' | b'\t' | b'\r' => n += 1,
                    b'\n' => {
                        n += 1;
                        lines += 1;
                    }
                    _ => break,
                }
            }
            let next = chunk.get(n).copied();
            self.input.consume(n);
            self.offset += n as u64;
            self.line += lines;
            if next.is_some() {
                return Ok(next);
            }
        }
    }

    fn error(&self, message: impl Into<String>) -> SplitError {
        SplitError::Syntax {
            line: self.line,
            offset: self.offset,
            message: message.into(),
        }
    }

    fn expect(&mut self, want: u8, what: &str) -> Result<(), SplitError> {
        match self.skip_ws()? {
            Some(b) if b == want => {
                self.bump()?;
                Ok(())
            }
            Some(b) => Err(self.error(format!("expected {what}, found {:?}", b as char))),
            None => Err(self.error(format!("expected {what}, found the end of the file"))),
        }
    }

    /// Copies one JSON value's bytes into `out` (at most `max` of them; the rest are only
    /// counted). Returns the value's length. The value itself is not checked here.
    fn capture(&mut self, out: &mut Vec<u8>, max: usize) -> Result<u64, SplitError> {
        out.clear();
        let start = self.offset;
        let Some(first) = self.skip_ws()? else {
            return Err(self.error("expected a value, found the end of the file"));
        };
        let keep = |out: &mut Vec<u8>, chunk: &[u8]| {
            let room = max.saturating_sub(out.len());
            out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        };
        match first {
            b'{' | b'[' | b'"' => {
                let (mut depth, mut in_string, mut escaped) = (0u32, false, false);
                loop {
                    let chunk = self.input.fill_buf().map_err(SplitError::Io)?;
                    if chunk.is_empty() {
                        return Err(SplitError::Syntax {
                            line: self.line,
                            offset: start,
                            message: "the file ends inside this value".to_owned(),
                        });
                    }
                    let mut end = None;
                    let mut lines = 0;
                    for (i, &b) in chunk.iter().enumerate() {
                        if b == b'\n' {
                            lines += 1;
                        }
                        if in_string {
                            if escaped {
                                escaped = false;
                            } else if b == b'\\' {
                                escaped = true;
                            } else if b == b'"' {
                                in_string = false;
                                if depth == 0 {
                                    end = Some(i + 1);
                                    break;
                                }
                            }
                            continue;
                        }
                        match b {
                            b'"' => in_string = true,
                            b'{' | b'[' => depth += 1,
                            b'}' | b']' => {
                                depth = depth.saturating_sub(1);
                                if depth == 0 {
                                    end = Some(i + 1);
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                    let n = end.unwrap_or(chunk.len());
                    keep(out, &chunk[..n]);
                    self.input.consume(n);
                    self.offset += n as u64;
                    self.line += lines;
                    if end.is_some() {
                        return Ok(self.offset - start);
                    }
                }
            }
            _ => {
                // A number, true, false or null: up to the next delimiter.
                loop {
                    match self.peek()? {
                        Some(b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n') | None => {
                            return Ok(self.offset - start);
                        }
                        Some(b) => {
                            keep(out, &[b]);
                            self.bump()?;
                        }
                    }
                }
            }
        }
    }
}

/// Reads the document in `input`, handing each record of the arrays at `paths` (and each
/// value beside them) to `each`. `what` names the expected document in errors.
pub fn split(
    input: impl BufRead,
    paths: &[RecordPath<'_>],
    what: &str,
    each: &mut dyn FnMut(Piece<'_>) -> Result<(), crate::SinkError>,
) -> Result<(), SplitError> {
    let mut c = Cursor {
        input,
        offset: 0,
        line: 1,
    };
    // A UTF-8 byte order mark is not part of the document.
    if c.peek()? == Some(0xEF) {
        let bom = c.input.fill_buf().map_err(SplitError::Io)?;
        if bom.starts_with(&[0xEF, 0xBB, 0xBF]) {
            c.input.consume(3);
            c.offset += 3;
        }
    }
    let mut buf = Vec::new();
    let max = crate::limits::max_record();
    let mut prefix: Vec<String> = Vec::new();
    level(&mut c, paths, &mut prefix, what, &mut buf, max, each)?;
    match c.skip_ws()? {
        None => Ok(()),
        Some(b) => Err(c.error(format!(
            "expected the end of the file after the document, found {:?}",
            b as char
        ))),
    }
}

/// One value at `prefix`: the records of an array on a record path, the members of an object
/// on the way to one, or (anywhere else) a context value the caller gets whole.
fn level<R: BufRead>(
    c: &mut Cursor<R>,
    paths: &[RecordPath<'_>],
    prefix: &mut Vec<String>,
    what: &str,
    buf: &mut Vec<u8>,
    max: usize,
    each: &mut dyn FnMut(Piece<'_>) -> Result<(), crate::SinkError>,
) -> Result<(), SplitError> {
    let at = |p: &RecordPath<'_>| {
        p.len() == prefix.len() && p.iter().zip(prefix.iter()).all(|(a, b)| a == b)
    };
    let below = |p: &RecordPath<'_>| {
        p.len() > prefix.len() && p.iter().zip(prefix.iter()).all(|(a, b)| a == b)
    };
    let record_path = paths.iter().position(at);
    let next = c.skip_ws()?;
    match (next, record_path) {
        (Some(b'['), Some(path)) => {
            c.bump()?;
            if c.skip_ws()? == Some(b']') {
                c.bump()?;
                return Ok(());
            }
            loop {
                record(c, path, buf, max, each)?;
                match c.skip_ws()? {
                    Some(b',') => {
                        c.bump()?;
                    }
                    Some(b']') => {
                        c.bump()?;
                        return Ok(());
                    }
                    Some(b) => {
                        return Err(c.error(format!(
                            "expected `,` or `]` after a record, found {:?}",
                            b as char
                        )));
                    }
                    None => return Err(c.error("the file ends inside the array of records")),
                }
            }
        }
        (Some(b'{'), Some(path)) if !prefix.is_empty() => {
            // An object of records (a dump's `{"1": {…}, "2": {…}}`): each member's value.
            c.bump()?;
            if c.skip_ws()? == Some(b'}') {
                c.bump()?;
                return Ok(());
            }
            loop {
                if c.skip_ws()? != Some(b'"') {
                    return Err(c.error(format!("expected a key of {what}")));
                }
                c.capture(buf, max)?;
                c.expect(b':', "`:` after a key")?;
                record(c, path, buf, max, each)?;
                match c.skip_ws()? {
                    Some(b',') => {
                        c.bump()?;
                    }
                    Some(b'}') => {
                        c.bump()?;
                        return Ok(());
                    }
                    Some(b) => {
                        return Err(c.error(format!(
                            "expected `,` or `}}` after a record, found {:?}",
                            b as char
                        )));
                    }
                    None => return Err(c.error("the file ends inside the object of records")),
                }
            }
        }
        (Some(b'{'), _) if paths.iter().any(below) => {
            c.bump()?;
            if c.skip_ws()? == Some(b'}') {
                c.bump()?;
                return Ok(());
            }
            loop {
                if c.skip_ws()? != Some(b'"') {
                    return Err(c.error(format!("expected a key of {what}")));
                }
                c.capture(buf, max)?;
                let key: String = serde_json::from_slice(buf)
                    .map_err(|e| c.error(format!("expected a key of {what}: {e}")))?;
                c.expect(b':', "`:` after a key")?;
                prefix.push(key);
                let on_the_way = paths.iter().any(|p| {
                    p.len() >= prefix.len() && p.iter().zip(prefix.iter()).all(|(a, b)| a == b)
                });
                if on_the_way {
                    level(c, paths, prefix, what, buf, max, each)?;
                } else {
                    c.skip_ws()?;
                    let (line, offset) = (c.line, c.offset);
                    let len = c.capture(buf, max)?;
                    let key = prefix.last().map(String::as_str).unwrap_or("");
                    if len as usize > max {
                        each(Piece::Bad {
                            line,
                            offset,
                            problem: format!(
                                "the value of {key:?} ({len} bytes) is larger than the limit of \
                                 {max} bytes (HEARTH_MAX_RECORD_BYTES); it was passed over"
                            ),
                        })
                        .map_err(SplitError::Stop)?;
                    } else {
                        let value = serde_json::from_slice::<Value>(buf).map_err(|e| {
                            SplitError::Syntax {
                                line,
                                offset,
                                message: format!("expected {what}: {e}"),
                            }
                        })?;
                        if prefix.len() == 1 {
                            each(Piece::Context { key, value }).map_err(SplitError::Stop)?;
                        }
                    }
                }
                prefix.pop();
                match c.skip_ws()? {
                    Some(b',') => {
                        c.bump()?;
                    }
                    Some(b'}') => {
                        c.bump()?;
                        return Ok(());
                    }
                    Some(b) => {
                        return Err(c.error(format!(
                            "expected `,` or `}}` in {what}, found {:?}",
                            b as char
                        )));
                    }
                    None => return Err(c.error(format!("the file ends inside {what}"))),
                }
            }
        }
        (Some(_), _) if prefix.is_empty() => {
            // Not the expected shape at the top: one value, whole (bounded), as a record of
            // no path, for readers that accept other shapes.
            c.skip_ws()?;
            let (line, offset) = (c.line, c.offset);
            let len = c.capture(buf, max)?;
            if len as usize > max {
                return Err(SplitError::Syntax {
                    line,
                    offset,
                    message: format!(
                        "expected {what}; found a document of {len} bytes without record arrays, \
                         larger than the limit of {max} bytes (HEARTH_MAX_RECORD_BYTES)"
                    ),
                });
            }
            let value = serde_json::from_slice::<Value>(buf).map_err(|e| SplitError::Syntax {
                line: line + e.line().saturating_sub(1) as u64,
                offset: offset + crate::slack::offset_of(buf, e.line(), e.column()),
                message: format!("expected {what}: {e}"),
            })?;
            each(Piece::Record {
                path: usize::MAX,
                value,
                line,
                offset,
            })
            .map_err(SplitError::Stop)
        }
        (Some(b), _) => Err(c.error(format!(
            "expected {what}: an array or object at {:?}, found {:?}",
            prefix.join("."),
            b as char
        ))),
        (None, _) => Err(c.error(format!("expected {what}, found an empty file"))),
    }
}

/// One record at the cursor: cut out, parsed, handed over (or reported).
fn record<R: BufRead>(
    c: &mut Cursor<R>,
    path: usize,
    buf: &mut Vec<u8>,
    max: usize,
    each: &mut dyn FnMut(Piece<'_>) -> Result<(), crate::SinkError>,
) -> Result<(), SplitError> {
    // A record's place is its first byte, after the white space before it.
    c.skip_ws()?;
    let (line, offset) = (c.line, c.offset);
    let len = c.capture(buf, max)?;
    let piece = if len as usize > max {
        Piece::Bad {
            line,
            offset,
            problem: format!(
                "a record of {len} bytes is larger than the limit of {max} bytes \
                 (HEARTH_MAX_RECORD_BYTES); it was passed over"
            ),
        }
    } else {
        match serde_json::from_slice::<Value>(buf) {
            Ok(value) => Piece::Record {
                path,
                value,
                line,
                offset,
            },
            // The place of the error itself, inside the record.
            Err(e) => Piece::Bad {
                line: line + e.line().saturating_sub(1) as u64,
                offset: offset + crate::slack::offset_of(buf, e.line(), e.column()),
                problem: format!("expected a JSON record: {e}"),
            },
        }
    };
    each(piece).map_err(SplitError::Stop)
}

/// The keys of a document's context, gathered from [`Piece::Context`].
pub fn context_of(map: &mut Map<String, Value>, key: &str, value: Value) {
    map.insert(key.to_owned(), value);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(doc: &str, paths: &[RecordPath<'_>]) -> (Vec<String>, Option<String>) {
        let mut out = Vec::new();
        let r = split(doc.as_bytes(), paths, "a test document", &mut |p| {
            out.push(match p {
                Piece::Record {
                    path,
                    value,
                    line,
                    offset,
                } => format!("{path}@{line}:{offset} {value}"),
                Piece::Bad { line, offset, .. } => format!("bad@{line}:{offset}"),
                Piece::Context { key, value } => format!("{key}={value}"),
            });
            Ok(())
        });
        (out, r.err().map(|e| format!("{e:?}")))
    }

    #[test]
    fn records_come_with_their_place_and_context_before_them() {
        let doc = "{\"guild\": {\"id\": 1},\n \"messages\": [\n {\"a\": \"x]}\\\"\"},\n 5, {\"b\": [1, {}]}\n]}\n";
        let (p, err) = pieces(doc, &[&["messages"]]);
        assert_eq!(err, None);
        assert_eq!(
            p,
            [
                "guild={\"id\":1}",
                "0@3:37 {\"a\":\"x]}\\\"\"}",
                "0@4:54 5",
                "0@4:57 {\"b\":[1,{}]}"
            ]
        );
    }

    #[test]
    fn a_bad_record_is_skipped_and_reading_goes_on() {
        let (p, err) = pieces("[{\"a\": 1}, {\"a\" 2}, {\"a\": 3}]", &[&[]]);
        assert_eq!(err, None);
        assert_eq!(p, ["0@1:1 {\"a\":1}", "bad@1:16", "0@1:20 {\"a\":3}"]);
    }

    #[test]
    fn nested_record_paths_and_other_shapes() {
        let (p, _) = pieces(
            "{\"title\": \"t\", \"post_stream\": {\"posts\": [{\"id\": 1}], \"stream\": [1]}}",
            &[&["post_stream", "posts"]],
        );
        assert_eq!(p, ["title=\"t\"", "0@1:41 {\"id\":1}"]);
        let (p, _) = pieces(
            "{\"issues\": {\"1\": {\"a\": 1}, \"2\": [2]}}",
            &[&["issues"]],
        );
        assert_eq!(p, ["0@1:17 {\"a\":1}", "0@1:32 [2]"]);
        let (p, _) = pieces("{\"id\": 7}", &[&[]]);
        assert_eq!(p, [format!("{}@1:0 {{\"id\":7}}", usize::MAX)]);
    }

    #[test]
    fn a_truncated_document_keeps_the_records_before_the_cut() {
        let (p, err) = pieces("[{\"a\": 1}, {\"a\": \"cut", &[&[]]);
        assert_eq!(p, ["0@1:1 {\"a\":1}"]);
        assert!(err.is_some_and(|e| e.contains("ends inside")));
    }
}
