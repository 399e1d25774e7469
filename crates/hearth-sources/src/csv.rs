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
    let (input, marks) = crlf_aware(input);
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
                "expected columns id, time and author in the header row, found {}",
                crate::excerpt(&format!("{:?}", headers.iter().collect::<Vec<_>>()), 120)
            ),
        ));
        return Ok(());
    }
    let mut record = csv::StringRecord::new();
    loop {
        let (line, offset) = marks.start(reader.position());
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                let io = e.is_io_error();
                sink.diagnostic(diag(
                    line,
                    offset,
                    SkipReason::NotARecord,
                    format!("expected a CSV record: {e}"),
                ));
                if io {
                    return Ok(()); // the input itself stopped (or a record was too long)
                }
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

/// Where records start in a CSV file with CRLF line ends: before a read the csv crate's
/// position is still on the previous line's LF (its parser stops at the CR), a line and a
/// byte early. This reader notes every LF that follows a CR, so [`CrlfMarks::start`] can
/// move such a position past it.
#[derive(Debug)]
pub struct CrlfAware<R> {
    inner: R,
    state: std::rc::Rc<std::cell::RefCell<CrlfState>>,
}

#[derive(Debug, Default)]
struct CrlfState {
    read: u64,
    /// Where the record being read started: no record may run past the record limit.
    record_start: u64,
    last_was_cr: bool,
    /// Offsets of the most recent CRLF line ends' LF bytes.
    lfs: std::collections::VecDeque<u64>,
}

/// The positions noted by a [`CrlfAware`] reader.
#[derive(Debug)]
pub struct CrlfMarks(std::rc::Rc<std::cell::RefCell<CrlfState>>);

/// LF offsets kept: the csv crate reads at most this far ahead of the record it returns.
const KEEP_LFS: usize = 1 << 14;

/// Wraps `inner`; the marks tell where records really start.
pub fn crlf_aware<R: std::io::Read>(inner: R) -> (CrlfAware<R>, CrlfMarks) {
    let state = std::rc::Rc::new(std::cell::RefCell::new(CrlfState::default()));
    (
        CrlfAware {
            inner,
            state: state.clone(),
        },
        CrlfMarks(state),
    )
}

impl<R: std::io::Read> std::io::Read for CrlfAware<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        {
            // The csv crate keeps a whole record in memory: a record past the record limit
            // (an endless quoted field, a 2 GB line) ends the file here, with its place.
            let st = self.state.borrow();
            let max = crate::limits::max_record() as u64;
            if st.read.saturating_sub(st.record_start) > max.saturating_add(1 << 16) {
                return Err(std::io::Error::other(format!(
                    "the record at byte {} is longer than the record limit of {max} bytes \
                     (HEARTH_MAX_RECORD_BYTES); the rest of the file was not read",
                    st.record_start
                )));
            }
        }
        let n = self.inner.read(buf)?;
        let mut st = self.state.borrow_mut();
        for (i, b) in buf[..n].iter().enumerate() {
            if *b == b'\n' && st.last_was_cr {
                let at = st.read + i as u64;
                st.lfs.push_back(at);
                if st.lfs.len() > KEEP_LFS {
                    st.lfs.pop_front();
                }
            }
            st.last_was_cr = *b == b'\r';
        }
        st.read += n as u64;
        Ok(n)
    }
}

impl CrlfMarks {
    /// (1-based line, byte offset) where the record at `p` starts.
    pub fn start(&self, p: &csv::Position) -> (u64, u64) {
        let mut st = self.0.borrow_mut();
        st.record_start = p.byte();
        if st.lfs.binary_search(&p.byte()).is_ok() {
            (p.line() + 1, p.byte() + 1)
        } else {
            (p.line(), p.byte())
        }
    }
}
