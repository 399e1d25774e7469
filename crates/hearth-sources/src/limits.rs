//! Size limits that keep memory bounded on any file, however hostile.
//!
//! - **record**: the most bytes one record may take (a JSON element, a line of JSON lines or
//!   of an event log, a CSV row's text). A larger record is passed over with a diagnostic
//!   and reading goes on. Default 64 MiB; `HEARTH_MAX_RECORD_BYTES` or `[limits]
//!   record_bytes` in `hearth.toml` changes it.
//! - **file**: the most bytes read out of one compressed stream (a `.zst` file, a zip
//!   entry). Past it the rest is skipped with a diagnostic, so a decompression bomb costs
//!   bounded time as well as bounded memory. Default 64 GiB; `HEARTH_MAX_FILE_BYTES` or
//!   `[limits] file_bytes`.
//!
//! Readers are called without configuration, so the limits are process-wide settings,
//! set once by the application before it reads.

use std::sync::atomic::{AtomicU64, Ordering};

/// Default most bytes of one record.
pub const DEFAULT_RECORD: u64 = 64 << 20;
/// Default most bytes read out of one compressed stream.
pub const DEFAULT_FILE: u64 = 64 << 30;

static RECORD: AtomicU64 = AtomicU64::new(0);
static FILE: AtomicU64 = AtomicU64::new(0);

fn from_env(name: &str) -> Option<u64> {
    std::env::var(name)
        .ok()?
        .trim()
        .parse()
        .ok()
        .filter(|n| *n > 0)
}

/// Sets the limits (`None` keeps the environment's or the default).
pub fn set(record: Option<u64>, file: Option<u64>) {
    if let Some(r) = record.filter(|r| *r > 0) {
        RECORD.store(r, Ordering::Relaxed);
    }
    if let Some(f) = file.filter(|f| *f > 0) {
        FILE.store(f, Ordering::Relaxed);
    }
}

/// The most bytes one record may take.
pub fn max_record() -> usize {
    let set = RECORD.load(Ordering::Relaxed);
    let n = if set > 0 {
        set
    } else {
        from_env("HEARTH_MAX_RECORD_BYTES").unwrap_or(DEFAULT_RECORD)
    };
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The most bytes read out of one compressed stream.
pub fn max_file() -> u64 {
    let set = FILE.load(Ordering::Relaxed);
    if set > 0 {
        set
    } else {
        from_env("HEARTH_MAX_FILE_BYTES").unwrap_or(DEFAULT_FILE)
    }
}

/// A reader that ends (as if the file ended) after `limit` bytes, remembering that it cut.
#[derive(Debug)]
pub struct Capped<R> {
    inner: R,
    limit: u64,
    left: u64,
    /// Set when the limit was reached with bytes still to come.
    pub cut: bool,
}

impl<R> Capped<R> {
    pub fn new(inner: R, limit: u64) -> Capped<R> {
        Capped {
            inner,
            limit,
            left: limit,
            cut: false,
        }
    }
}

impl<R: std::io::Read> std::io::Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // Is there more? One byte tells.
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? > 0 {
                self.cut = true;
            }
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

impl<R> Capped<R> {
    /// The diagnostic for a stream that was cut at the limit, if it was (`file` names it).
    pub fn cut_diagnostic(&self, file: &std::path::Path) -> Option<crate::Diagnostic> {
        self.cut.then(|| crate::Diagnostic {
            file: file.to_path_buf(),
            line: 1,
            byte_offset: self.limit,
            severity: crate::Severity::Skipped,
            reason: crate::SkipReason::NotARecord,
            detail: format!(
                "it decompresses to more than the file limit of {} bytes \
                 (HEARTH_MAX_FILE_BYTES); the rest was skipped",
                self.limit
            ),
        })
    }
}

/// Reads one line (through `\n`) into `line`, keeping at most `max` bytes of it; returns the
/// bytes consumed (0 at the end) and whether the line was longer than `max`.
pub fn read_line_bounded(
    input: &mut dyn std::io::BufRead,
    line: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<(usize, bool)> {
    line.clear();
    let mut consumed = 0usize;
    let mut over = false;
    loop {
        let chunk = match input.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok((consumed, over));
        }
        let (n, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let room = max.saturating_sub(line.len());
        if n > room {
            over = true;
        }
        line.extend_from_slice(&chunk[..n.min(room)]);
        input.consume(n);
        consumed += n;
        if done {
            return Ok((consumed, over));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_counted_not_kept() {
        let text = format!("short\n{}\nnext\n", "x".repeat(1000));
        let mut input = text.as_bytes();
        let mut line = Vec::new();
        assert_eq!(
            read_line_bounded(&mut input, &mut line, 100).expect("read"),
            (6, false)
        );
        assert_eq!(line, b"short\n");
        assert_eq!(
            read_line_bounded(&mut input, &mut line, 100).expect("read"),
            (1001, true)
        );
        assert_eq!(line.len(), 100);
        assert_eq!(
            read_line_bounded(&mut input, &mut line, 100).expect("read"),
            (5, false)
        );
        assert_eq!(line, b"next\n");
        assert_eq!(
            read_line_bounded(&mut input, &mut line, 100).expect("read"),
            (0, false)
        );
    }

    #[test]
    fn a_capped_stream_ends_and_says_it_was_cut() {
        let mut r = Capped::new(&b"0123456789"[..], 4);
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut r, &mut out).expect("read");
        assert_eq!(out, b"0123");
        assert!(r.cut);
        let mut whole = Capped::new(&b"0123"[..], 4);
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut whole, &mut out).expect("read");
        assert!(!whole.cut);
    }
}
