//! The loop every JSON-lines reader shares: one object a line, with its line number and byte
//! offset; blank lines ignored; a line that is not a JSON object reported and skipped.

use crate::{Diagnostic, ReadError, Severity, Sink, SkipReason};
use serde_json::Value;
use std::io::BufRead;
use std::path::Path;

/// Where a line starts.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    /// 1-based line number.
    pub line: u64,
    /// Byte offset of the line's first byte.
    pub offset: u64,
}

impl Place {
    /// A diagnostic about this line of `path`.
    pub fn diagnostic(
        self,
        path: &Path,
        severity: Severity,
        reason: SkipReason,
        detail: String,
    ) -> Diagnostic {
        Diagnostic {
            file: path.to_path_buf(),
            line: self.line,
            byte_offset: self.offset,
            severity,
            reason,
            detail,
        }
    }
}

/// What a JSON-lines reader does with one object.
pub type EachObject<'a> = dyn FnMut(Place, Value, &mut dyn Sink) -> Result<(), ReadError> + 'a;

/// Calls `each` with every JSON object of `input`, one a line; other lines become
/// diagnostics. `each` returns an error only to stop (the store failed).
pub fn for_each_object(
    path: &Path,
    input: &mut dyn BufRead,
    sink: &mut dyn Sink,
    each: &mut EachObject<'_>,
) -> Result<(), ReadError> {
    let mut line = Vec::new();
    let (mut offset, mut line_no) = (0u64, 0u64);
    let max = crate::limits::max_record();
    loop {
        // A line longer than the record limit is counted, not kept (a decompression bomb
        // of one endless line costs no memory).
        let (n, over) =
            crate::limits::read_line_bounded(input, &mut line, max).map_err(|source| {
                ReadError::Io {
                    path: path.to_path_buf(),
                    source,
                }
            })?;
        if n == 0 {
            sink.progress(offset);
            return Ok(());
        }
        line_no += 1;
        let place = Place {
            line: line_no,
            offset,
        };
        offset += n as u64;
        if over {
            sink.diagnostic(place.diagnostic(
                path,
                Severity::Skipped,
                SkipReason::NotARecord,
                format!(
                    "a line of {n} bytes is longer than the record limit of {max} bytes \
                     (HEARTH_MAX_RECORD_BYTES); it was passed over"
                ),
            ));
            continue;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Value>(&line) {
            Ok(v @ Value::Object(_)) => each(place, v, sink)?,
            Ok(_) => sink.diagnostic(place.diagnostic(
                path,
                Severity::Skipped,
                SkipReason::NotARecord,
                "expected one JSON object a line".to_owned(),
            )),
            Err(e) => sink.diagnostic(place.diagnostic(
                path,
                Severity::Skipped,
                SkipReason::NotARecord,
                format!("expected one JSON object a line: {e}"),
            )),
        }
        if line_no.is_multiple_of(8192) {
            sink.progress(offset);
        }
    }
}

/// The `.json` files under `paths` (folders searched recursively, in name order).
pub fn json_files(paths: &[std::path::PathBuf]) -> std::io::Result<Vec<std::path::PathBuf>> {
    crate::expand_paths(paths, &["json"]).map(|files| {
        files
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "json"))
            .collect()
    })
}
