//! What readers say about records they skip or repair.

use std::fmt;
use std::path::PathBuf;

/// Why a record was skipped or noted. The key (`as_str`) is what summaries count by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// Bytes that do not belong to any record (e.g. text before the first mbox separator).
    NotARecord,
    /// A record without a header block.
    NoHeaders,
    /// No author could be found.
    MissingAuthor,
    /// No usable time.
    MissingTime,
    /// Kept: the record had no id, so one was derived from its content.
    SynthesizedId,
    /// Passed over on purpose: a well-formed record that is not conversation (a wiki page).
    NotConversation,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::NotARecord => "not_a_record",
            SkipReason::NoHeaders => "no_headers",
            SkipReason::MissingAuthor => "missing_author",
            SkipReason::MissingTime => "missing_time",
            SkipReason::SynthesizedId => "synthesized_id",
            SkipReason::NotConversation => "not_conversation",
        }
    }
}

/// Whether the record was dropped or kept with a repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Skipped,
    Note,
}

/// One thing a reader reports about its input, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line where the record starts.
    pub line: u64,
    /// 0-based byte offset where the record starts.
    pub byte_offset: u64,
    pub severity: Severity,
    pub reason: SkipReason,
    /// What was expected and what was found.
    pub detail: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.severity {
            Severity::Skipped => "skipped",
            Severity::Note => "note",
        };
        write!(
            f,
            "{}:{} (byte {}): {what}: {}",
            self.file.display(),
            self.line,
            self.byte_offset,
            self.detail
        )
    }
}

/// Longest detail a diagnostic keeps, in characters; longer ones are cut with a note of
/// their length (a 50 MB header line must not become a 50 MB warning).
pub const MAX_DETAIL: usize = 240;

/// `text` cut to at most `max` characters, with `…` and the full length when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}… ({} bytes in all)", text.len())
}

impl Diagnostic {
    /// The same diagnostic with its detail cut to [`MAX_DETAIL`] characters.
    pub fn bounded(mut self) -> Diagnostic {
        if self.detail.len() > MAX_DETAIL {
            self.detail = excerpt(&self.detail, MAX_DETAIL);
        }
        self
    }
}
