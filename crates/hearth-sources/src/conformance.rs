//! The one check every reader passes (run by each reader's tests and by the fuzz targets).
//!
//! A reader conforms when, on any input: it never panics; every message it emits has a
//! non-empty unique id, an author and a plausible time; every skipped record is reported
//! with its file, a 1-based line and a byte offset inside the input.

use crate::{Diagnostic, ReadError, Reader, Severity, Sink, SinkError};
use hearth_model::RawMessage;
use std::collections::HashSet;
use std::path::Path;

/// A sink that keeps everything in memory.
#[derive(Debug, Default)]
pub struct CollectSink {
    pub messages: Vec<RawMessage>,
    pub diagnostics: Vec<Diagnostic>,
}

impl CollectSink {
    pub fn skipped(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Skipped)
            .count()
    }
}

impl Sink for CollectSink {
    fn message(&mut self, message: RawMessage) -> Result<(), SinkError> {
        self.messages.push(message);
        Ok(())
    }

    fn diagnostic(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}

/// Runs the conformance check on one unit on disk (a file or a dump folder).
/// Duplicate ids *within one input* are allowed only when the input itself repeats them
/// (the store drops them); `allow_duplicate_ids` says whether this input does.
pub fn check(
    reader: &dyn Reader,
    unit: &Path,
    allow_duplicate_ids: bool,
) -> Result<CollectSink, String> {
    let mut sink = CollectSink::default();
    reader.read(unit, &mut sink).map_err(|e| e.to_string())?;
    verify(&sink, unit, allow_duplicate_ids)?;
    for d in &sink.diagnostics {
        // In a compressed file (or a file inside an archive), offsets count decompressed bytes.
        let compressed = d.file.ancestors().any(|a| {
            a.extension()
                .is_some_and(|e| e == "zst" || e == "gz" || e == "zip")
        });
        let len = std::fs::metadata(&d.file).map(|m| m.len()).unwrap_or(0);
        if !compressed && d.byte_offset > len {
            return Err(format!("diagnostic points outside its file: {d}"));
        }
    }
    Ok(sink)
}

/// The same check on an in-memory stream: `read` fills the sink from `input`, named `file`.
pub fn check_stream(
    file: &Path,
    input: &[u8],
    read: impl FnOnce(&mut dyn std::io::BufRead, &mut CollectSink) -> Result<(), ReadError>,
    allow_duplicate_ids: bool,
) -> Result<CollectSink, String> {
    let mut sink = CollectSink::default();
    let mut cursor = input;
    read(&mut cursor, &mut sink).map_err(|e| e.to_string())?;
    verify(&sink, file, allow_duplicate_ids)?;
    for d in &sink.diagnostics {
        if d.file != file || d.byte_offset > input.len() as u64 {
            return Err(format!("diagnostic points outside the input: {d}"));
        }
    }
    Ok(sink)
}

fn verify(sink: &CollectSink, unit: &Path, allow_duplicate_ids: bool) -> Result<(), String> {
    let mut seen = HashSet::new();
    for m in &sink.messages {
        if m.native_id.is_empty() {
            return Err(format!("message without id: {m:?}"));
        }
        if !seen.insert(m.native_id.as_str()) && !allow_duplicate_ids {
            return Err(format!("duplicate id {}", m.native_id));
        }
        if m.author.native_id.is_empty() {
            return Err(format!("message {} without author", m.native_id));
        }
        if m.time <= 0 {
            return Err(format!("message {} without time", m.native_id));
        }
        if m.mentions.iter().any(String::is_empty) {
            return Err(format!(
                "message {} mentions an empty account id",
                m.native_id
            ));
        }
        if m.space.is_empty() {
            return Err(format!("message {} without space", m.native_id));
        }
    }
    for d in &sink.diagnostics {
        if !d.file.starts_with(unit) {
            return Err(format!(
                "diagnostic names a file outside {}: {d}",
                unit.display()
            ));
        }
        if d.line == 0 {
            return Err(format!("diagnostic without a line: {d}"));
        }
        if d.detail.is_empty() {
            return Err(format!("diagnostic without detail: {d}"));
        }
    }
    Ok(())
}
