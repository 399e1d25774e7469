//! `csv`: Hearth's generic format as CSV with a header row, for any platform without a
//! reader of its own (a spreadsheet export, a database query). Columns
//! (`docs/generic-format.md`, any order, unknown columns ignored): `id`, `time`, `author`
//! (required); `author_name`, `author_email`, `role` (`brand` | `member` | `bot`), `space`,
//! `space_name`, `parent`, `mentions` (author ids separated by spaces), `subject`, `text`.
//!
//! **Mapping:** one-to-one (see `generic.rs`); RFC 4180 quoting, so text may hold commas,
//! quotes and line breaks.
//!
//! **Skipped, with a diagnostic (line, byte offset of the record):** a record that cannot be
//! parsed, without `id`, a readable `time` or `author`, or with an unknown `role`. A file
//! without the three required columns is reported once and skipped.
//!
//! **Checked against:** `fixtures/generic/messages.csv`, written to the documented schema.

use crate::generic::{Fields, message};
use crate::{Diagnostic, ReadError, Reader, Severity, Sink, SkipReason};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Reads the generic CSV format.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvReader;

impl Reader for CsvReader {
    fn id(&self) -> &'static str {
        "csv"
    }

    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        crate::expand_paths(paths, &["csv"])
    }

    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        read_csv(unit, &mut crate::open(unit)?, sink)
    }
}

const COLUMNS: &[&str] = &[
    "id",
    "time",
    "author",
    "author_name",
    "author_email",
    "role",
    "space",
    "space_name",
    "parent",
    "mentions",
    "subject",
    "text",
];

/// Reads generic CSV from `input` (`path` names it in diagnostics).
pub fn read_csv(
    path: &Path,
    input: &mut dyn BufRead,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let diag = |line: u64, offset: u64, reason, detail: String| Diagnostic {
        file: path.to_path_buf(),
        line: line.max(1),
        byte_offset: offset,
        severity: Severity::Skipped,
        reason,
        detail,
    };
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            sink.diagnostic(diag(
                1,
                0,
                SkipReason::NotARecord,
                format!("expected a header row: {e}"),
            ));
            return Ok(());
        }
    };
    let column: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|c| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(c))
        })
        .collect();
    if column[..3].iter().any(Option::is_none) {
        sink.diagnostic(diag(
            1,
            0,
            SkipReason::NotARecord,
            format!(
                "expected columns id, time and author in the header row, found {:?}",
                headers.iter().collect::<Vec<_>>()
            ),
        ));
        return Ok(());
    }
    let mut record = csv::StringRecord::new();
    loop {
        let (line, offset) = {
            let p = reader.position();
            (p.line(), p.byte())
        };
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                sink.diagnostic(diag(
                    line,
                    offset,
                    SkipReason::NotARecord,
                    format!("expected a CSV record: {e}"),
                ));
                // The reader resynchronises at the next record.
                continue;
            }
        }
        let get = |i: usize| column[i].and_then(|c| record.get(c));
        let fields = Fields {
            id: get(0),
            time: get(1),
            author: get(2),
            author_name: get(3),
            author_email: get(4),
            role: get(5),
            space: get(6),
            space_name: get(7),
            parent: get(8),
            mentions: get(9)
                .map(|m| m.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default(),
            subject: get(10),
            text: get(11),
        };
        match message(&fields) {
            Ok(m) => sink.message(m).map_err(|source| ReadError::Sink {
                path: path.to_path_buf(),
                source,
            })?,
            Err((reason, detail)) => sink.diagnostic(diag(line, offset, reason, detail)),
        }
    }
}
