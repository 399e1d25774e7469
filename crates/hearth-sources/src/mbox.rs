//! `mbox`: Unix mailbox archives (mailing-list exports, Mailman/Pipermail/HyperKitty downloads).
//!
//! **Format.** Messages follow each other, each starting with a separator line `From <sender>
//! <asctime date>` at the start of the file or after a blank line (mboxo/mboxrd). A separator
//! must also hold a digit and a `:` (the time of day), so that a body line "From here on ..."
//! after a blank line does not split a message. Bodies are kept as they are: `>From ` quoting
//! is not undone (mboxo and mboxrd cannot be told apart from the file).
//!
//! **Mapping to the model.**
//! - message id: `Message-ID` without angle brackets. A message without one gets
//!   `hearth:<fnv64 of its bytes>` (stable across re-reads) and a `synthesized_id` note.
//! - author: the first `From` address, lower-cased, is the account's native id. Lists that
//!   rewrite the sender (`Name via List <list@...>`, "DMARC munging") are undone: the real
//!   address comes from `X-Original-From`, else `Reply-To`; the name loses its ` via List`.
//! - time: `Date` (RFC 5322, leniently parsed by `mail-parser`), as UTC seconds.
//! - parent: the first id in `In-Reply-To` (bracketed `<id>` or a bare `id@host`), else the
//!   last id in `References`. The store links it when that message is in the store.
//! - space: the id inside `List-Id: ... <id>`, else the name of the file's folder.
//! - text: the author's own words (see [`crate::mailtext`]: quotes, attributions, quoted
//!   originals and the list footer removed) of the first `text/plain` part, transfer-decoded
//!   and converted to UTF-8. Single-part UTF-8/ASCII 7bit/8bit bodies are taken as they are
//!   (the fast path); everything else goes through `mail-parser`'s full MIME parser.
//!
//! **Skipped, with a diagnostic (file, line, byte offset):** bytes before the first separator,
//! a message with no header block, no author (no `From` address or name), or no usable `Date`
//! (missing, unparseable, or before 1971).
//!
//! **Checked against:** the usrp-users archive in `shared/data/mbox` (Mailman 3/HyperKitty
//! export, 8 files, 11,424 messages), plus hand-cut broken fixtures in `tests/fixtures`.
//!
//! **Known gaps:** `To`/`Cc` are not read as mentions; the mbox separator's own date is not
//! used as a fallback time; an HTML-only message has no text.

use crate::mailtext::own_words;
use crate::{Diagnostic, MIN_TIME, ReadError, Reader, Severity, Sink, SkipReason};
use hearth_model::{RawAccount, RawMessage};
use mail_parser::{MessageParser, MimeHeaders};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Reads mbox files.
#[derive(Debug, Clone, Copy, Default)]
pub struct MboxReader;

/// Bytes read from the input at a time.
const CHUNK: usize = 1 << 20;

impl Reader for MboxReader {
    fn id(&self) -> &'static str {
        "mbox"
    }

    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        crate::expand_paths(paths, &["mbox", "mbx"])
    }

    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        self.read_stream(unit, &mut crate::open(unit)?, sink)
    }
}

impl MboxReader {
    /// Reads one mbox stream; `file` names it in diagnostics.
    pub fn read_stream(
        &self,
        file: &Path,
        input: &mut dyn BufRead,
        sink: &mut dyn Sink,
    ) -> Result<(), ReadError> {
        Splitter::new(file, CHUNK).run(input, sink)
    }

    /// Reads with a given chunk size (tests use tiny chunks to cross every boundary).
    #[doc(hidden)]
    pub fn read_chunked(
        &self,
        file: &Path,
        input: &mut dyn BufRead,
        sink: &mut dyn Sink,
        chunk: usize,
    ) -> Result<(), ReadError> {
        Splitter::new(file, chunk.max(1)).run(input, sink)
    }
}

/// Where a record starts in its file.
#[derive(Debug, Clone, Copy)]
struct Start {
    offset: u64,
    line: u64,
}

/// Cuts a byte stream into messages. Reads [`CHUNK`]s into one buffer, finds separators
/// with a SIMD substring search, hands each message on as a slice of the buffer, and drops
/// what it has handed on; memory stays at about one chunk plus the largest message.
struct Splitter<'a> {
    file: &'a Path,
    parser: MessageParser,
    space_fallback: String,
    buf: Vec<u8>,
    /// File offset of `buf[0]`.
    base_offset: u64,
    /// Lines before `counted` (an index into `buf`), 1-based line number of `buf[counted]`.
    counted: usize,
    counted_line: u64,
    /// Where the first non-blank byte before any separator was seen.
    preamble: Option<Start>,
    finder: memchr::memmem::Finder<'static>,
    chunk: usize,
    /// The most bytes one message may take.
    max_record: usize,
    /// A message being passed over for its size: where it started, bytes dropped so far.
    skipping: Option<(Start, u64)>,
}

impl<'a> Splitter<'a> {
    fn new(file: &'a Path, chunk: usize) -> Self {
        let space_fallback = file
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "mbox".to_owned());
        Splitter {
            file,
            parser: MessageParser::default(),
            space_fallback,
            buf: Vec::with_capacity(2 * chunk),
            base_offset: 0,
            counted: 0,
            counted_line: 1,
            preamble: None,
            finder: memchr::memmem::Finder::new(b"\nFrom ").into_owned(),
            chunk,
            max_record: crate::limits::max_record(),
            skipping: None,
        }
    }

    /// The position of `buf[i]` (`i` never goes backwards between calls).
    fn position(&mut self, i: usize) -> Start {
        self.counted_line += memchr::memchr_iter(b'\n', &self.buf[self.counted..i]).count() as u64;
        self.counted = i;
        Start {
            offset: self.base_offset + i as u64,
            line: self.counted_line,
        }
    }

    fn run(&mut self, input: &mut dyn BufRead, sink: &mut dyn Sink) -> Result<(), ReadError> {
        // `current`: start in `buf` of the message being collected (its separator line).
        let mut current: Option<usize> = None;
        // Where to look for the next "\nFrom ".
        let mut scan = 0usize;
        let mut eof = false;
        let mut start_checked = false;
        while !eof {
            let old = self.buf.len();
            self.buf.resize(old + self.chunk, 0);
            let n = read_full(input, &mut self.buf[old..]).map_err(|source| ReadError::Io {
                path: self.file.to_path_buf(),
                source,
            })?;
            self.buf.truncate(old + n);
            eof = n == 0;
            if !start_checked {
                // The file's first line is a separator without a blank line before it.
                let first = line_at(&self.buf, 0);
                // A separator line is short: past 64 KiB without a line end, it is not one.
                if !(eof || first.ends_with(b"\n") || self.buf.len() > 1 << 16) {
                    continue; // need the whole first line
                }
                start_checked = true;
                if is_separator(first) {
                    current = Some(0);
                    scan = 1;
                }
            }
            // Separators wholly inside the buffer.
            loop {
                let Some(found) = self.finder.find(&self.buf[scan..]) else {
                    // None up to here: a separator that starts in the last bytes is looked
                    // for again with the next chunk; everything before is done with.
                    scan = scan.max(self.buf.len().saturating_sub(b"\nFrom ".len() - 1));
                    break;
                };
                let nl = scan + found;
                let line_start = nl + 1;
                let after_blank = (nl >= 1 && self.buf[nl - 1] == b'\n')
                    || (nl >= 2 && self.buf[nl - 2] == b'\n' && self.buf[nl - 1] == b'\r');
                let line = line_at(&self.buf, line_start);
                if !eof && line_start + line.len() == self.buf.len() && !line.ends_with(b"\n") {
                    break; // the line goes on in the next chunk
                }
                scan = line_start;
                if !(after_blank && is_separator(line)) {
                    continue;
                }
                match (current, self.skipping.take()) {
                    (_, Some((at, bytes))) => {
                        self.report_oversize(at, bytes + line_start as u64, sink);
                    }
                    (Some(start), None) => self.emit(start, line_start, sink)?,
                    (None, None) => self.note_preamble(0, line_start),
                }
                current = Some(line_start);
            }
            // A message larger than the record limit is passed over: its start is kept for
            // the diagnostic, its bytes are not.
            if let Some(start) = current
                && self.buf.len() - start > self.max_record
            {
                let at = self.position(start);
                self.skipping = Some((at, 0));
                current = None;
                scan = scan.max(start + 1);
            }
            // Keep only what is still needed.
            let keep_from = match current {
                Some(start) => start,
                // Two bytes before the next candidate stay: a separator needs the blank line
                // (`\n` or `\r\n`) before it.
                None if self.skipping.is_some() => scan.saturating_sub(2),
                None => {
                    let end = self.buf.len().saturating_sub(8);
                    self.note_preamble(0, end);
                    end.min(scan.saturating_sub(2))
                }
            };
            if let Some((_, bytes)) = &mut self.skipping {
                *bytes += keep_from as u64;
            }
            self.drop_front(keep_from);
            current = current.map(|c| c - keep_from);
            scan = scan
                .saturating_sub(keep_from)
                .max(current.map_or(0, |c| c + 1));
            sink.progress(self.base_offset + self.buf.len() as u64);
        }
        match (current, self.skipping.take()) {
            (_, Some((at, bytes))) => {
                self.report_oversize(at, bytes + self.buf.len() as u64, sink);
            }
            (Some(start), None) => self.emit(start, self.buf.len(), sink)?,
            (None, None) => self.note_preamble(0, self.buf.len()),
        }
        if let Some(at) = self.preamble.take() {
            self.report_preamble(at, sink);
        }
        Ok(())
    }

    /// Remembers where non-blank bytes outside any message begin in `buf[from..to]`.
    fn note_preamble(&mut self, from: usize, to: usize) {
        if self.preamble.is_some() {
            return;
        }
        if let Some(i) = self.buf[from..to]
            .iter()
            .position(|b| !b.is_ascii_whitespace())
        {
            let at = self.position(from + i);
            self.preamble = Some(at);
        }
    }

    fn report_oversize(&self, at: Start, bytes: u64, sink: &mut dyn Sink) {
        self.diag(
            sink,
            at,
            Severity::Skipped,
            SkipReason::NotARecord,
            format!(
                "a message of about {bytes} bytes is larger than the record limit of {} bytes \
                 (HEARTH_MAX_RECORD_BYTES); it was passed over",
                self.max_record
            ),
        );
    }

    fn report_preamble(&self, at: Start, sink: &mut dyn Sink) {
        self.diag(
            sink,
            at,
            Severity::Skipped,
            SkipReason::NotARecord,
            "expected an mbox separator line (\"From <sender> <date>\"); \
             text before the first one was skipped"
                .to_owned(),
        );
    }

    fn drop_front(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        self.position(n);
        self.buf.drain(..n);
        self.base_offset += n as u64;
        self.counted = 0;
    }

    fn diag(
        &self,
        sink: &mut dyn Sink,
        at: Start,
        severity: Severity,
        reason: SkipReason,
        detail: String,
    ) {
        sink.diagnostic(Diagnostic {
            file: self.file.to_path_buf(),
            line: at.line,
            byte_offset: at.offset,
            severity,
            reason,
            detail,
        });
    }

    /// Turns `buf[start..end]` (a separator line and its message) into a record or a
    /// diagnostic.
    fn emit(&mut self, start: usize, end: usize, sink: &mut dyn Sink) -> Result<(), ReadError> {
        let at = self.position(start);
        if let Some(pre) = self.preamble.take() {
            self.report_preamble(pre, sink);
        }
        let first_line = line_at(&self.buf, start).len();
        let mut bytes = &self.buf[start + first_line..end];
        // The blank line before the next separator belongs to the mbox format, not the body.
        if let Some(b) = bytes.strip_suffix(b"\r\n") {
            bytes = b;
        } else if let Some(b) = bytes.strip_suffix(b"\n") {
            bytes = b;
        }
        match parse_message(&self.parser, bytes, &self.space_fallback) {
            Ok((message, notes)) => {
                for (reason, detail) in notes {
                    self.diag(sink, at, Severity::Note, reason, detail);
                }
                sink.message(message).map_err(|source| ReadError::Sink {
                    path: self.file.to_path_buf(),
                    source,
                })
            }
            Err((reason, detail)) => {
                self.diag(sink, at, Severity::Skipped, reason, detail);
                Ok(())
            }
        }
    }
}

/// The line starting at `buf[i]`, with its newline when it has one.
fn line_at(buf: &[u8], i: usize) -> &[u8] {
    let rest = &buf[i.min(buf.len())..];
    match memchr::memchr(b'\n', rest) {
        Some(n) => &rest[..=n],
        None => rest,
    }
}

/// Reads until `out` is full or the input ends; the number of bytes read.
fn read_full(input: &mut dyn BufRead, out: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < out.len() {
        match input.read(&mut out[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// `From ` at the start of a line, followed by something holding a digit and a `:` (the
/// asctime date of the separator).
fn is_separator(line: &[u8]) -> bool {
    line.starts_with(b"From ")
        && line[5..].contains(&b':')
        && line[5..].iter().any(u8::is_ascii_digit)
}

type Skip = (SkipReason, String);

/// Parses one message (without its separator line).
fn parse_message(
    parser: &MessageParser,
    bytes: &[u8],
    space_fallback: &str,
) -> Result<(RawMessage, Vec<Skip>), Skip> {
    let mut notes = Vec::new();
    let headers = parser
        .parse_headers(bytes)
        .filter(|m| !m.headers().is_empty())
        .ok_or_else(|| {
            (
                SkipReason::NoHeaders,
                "expected a header block (\"Name: value\" lines) after the separator".to_owned(),
            )
        })?;

    let author = author(parser, &headers).ok_or_else(|| {
        (
            SkipReason::MissingAuthor,
            "expected a From header with an address or a name".to_owned(),
        )
    })?;

    let time = headers
        .date()
        .filter(|d| d.is_valid())
        .map(|d| d.to_timestamp())
        .filter(|t| *t >= MIN_TIME)
        .ok_or_else(|| {
            let found = headers.header_raw("Date").map(str::trim).unwrap_or("none");
            (
                SkipReason::MissingTime,
                format!("expected an RFC 5322 Date header after 1970, found {found:?}"),
            )
        })?;

    let native_id = match headers
        .message_id()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(id) => id.trim_matches(|c| c == '<' || c == '>').to_owned(),
        None => {
            let id = format!("hearth:{:016x}", fnv64(bytes));
            notes.push((
                SkipReason::SynthesizedId,
                format!("no Message-ID; derived {id} from the message's bytes"),
            ));
            id
        }
    };

    let parent = headers
        .header_raw("In-Reply-To")
        .and_then(|raw| message_ids(raw).into_iter().next())
        .or_else(|| {
            headers
                .header_raw("References")
                .and_then(|raw| message_ids(raw).into_iter().last())
        })
        .filter(|p| *p != native_id);

    let (space, space_name) = match headers.header_raw("List-Id").and_then(list_id) {
        Some(id) => (id.clone(), id),
        None => (
            format!("folder:{space_fallback}"),
            space_fallback.to_owned(),
        ),
    };

    let text = body_text(parser, &headers, bytes);

    Ok((
        RawMessage {
            native_id,
            space,
            space_name,
            author,
            time,
            subject: headers.subject().map(|s| s.trim().to_owned()),
            text,
            parent,
            mentions: Vec::new(),
            metrics: None,
        },
        notes,
    ))
}

/// The real author: `From`, with list munging undone.
fn author(parser: &MessageParser, headers: &mail_parser::Message<'_>) -> Option<RawAccount> {
    let from = headers.from().and_then(|a| a.first());
    let mut name = from
        .and_then(|a| a.name())
        .map(str::trim)
        .map(str::to_owned);
    let mut address = from
        .and_then(|a| a.address())
        .map(str::trim)
        .map(str::to_owned);

    if let Some(stripped) = name.as_deref().and_then(strip_via) {
        name = Some(stripped.to_owned());
        let original = headers
            .header_raw("X-Original-From")
            .and_then(|raw| {
                // Parse the raw value as a From header of a tiny message.
                let mini = format!("From:{raw}\n\n");
                parser.parse_headers(mini.as_bytes()).and_then(|m| {
                    m.from()
                        .and_then(|a| a.first())
                        .and_then(|a| a.address().map(str::to_owned))
                })
            })
            .or_else(|| {
                headers
                    .reply_to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address())
                    .map(str::to_owned)
            });
        if let Some(original) = original {
            address = Some(original);
        }
    }

    let address = address
        .filter(|a| !a.is_empty())
        .map(|a| a.to_ascii_lowercase());
    let name = name.filter(|n| !n.is_empty());
    let native_id = match (&address, &name) {
        (Some(a), _) => a.clone(),
        (None, Some(n)) => format!("name:{}", n.to_lowercase()),
        (None, None) => return None,
    };
    Some(RawAccount {
        native_id,
        display_name: name,
        email: address,
        username: None,
        flags: Vec::new(),
    })
}

/// `"Jane Doe via Some-List"` → `"Jane Doe"`.
fn strip_via(name: &str) -> Option<&str> {
    let lower = name.to_ascii_lowercase();
    let at = lower.rfind(" via ")?;
    let before = name[..at].trim();
    (!before.is_empty()).then_some(before)
}

/// Message ids in an `In-Reply-To` or `References` value, in order, without brackets.
/// Bracketed ids win; a value without brackets yields its bare `local@host` tokens.
pub fn message_ids(raw: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = raw;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else { break };
        let id = after[..close].trim();
        if !id.is_empty() {
            ids.push(id.to_owned());
        }
        rest = &after[close + 1..];
    }
    if ids.is_empty() {
        ids.extend(
            raw.split(|c: char| c.is_whitespace() || c == ',')
                .filter(|t| t.contains('@'))
                .map(|t| {
                    t.trim_matches(|c| c == '"' || c == '(' || c == ')')
                        .to_owned()
                })
                .filter(|t| !t.is_empty()),
        );
    }
    ids
}

/// `List-Id: Description <list.id.example>` → `list.id.example`.
fn list_id(raw: &str) -> Option<String> {
    let open = raw.rfind('<')?;
    let close = raw[open..].find('>')? + open;
    let id = raw[open + 1..close].trim();
    (!id.is_empty()).then(|| id.to_ascii_lowercase())
}

/// The plain text of the message.
fn body_text(parser: &MessageParser, headers: &mail_parser::Message<'_>, bytes: &[u8]) -> String {
    let simple = {
        let ct = headers.content_type();
        let plain = ct.is_none_or(|ct| {
            ct.ctype().eq_ignore_ascii_case("text")
                && ct.subtype().is_none_or(|s| s.eq_ignore_ascii_case("plain"))
        });
        let charset_ok = ct.and_then(|ct| ct.attribute("charset")).is_none_or(|c| {
            c.eq_ignore_ascii_case("utf-8")
                || c.eq_ignore_ascii_case("utf8")
                || c.eq_ignore_ascii_case("us-ascii")
        });
        let cte_ok = headers.content_transfer_encoding().is_none_or(|e| {
            let e = e.trim();
            e.eq_ignore_ascii_case("8bit")
                || e.eq_ignore_ascii_case("7bit")
                || e.eq_ignore_ascii_case("binary")
        });
        plain && charset_ok && cte_ok
    };
    if simple {
        let body = &bytes[body_start(bytes)..];
        return match std::str::from_utf8(body) {
            Ok(text) => own_words(text),
            Err(_) => own_words(&String::from_utf8_lossy(body)),
        };
    }
    parser
        .parse(bytes)
        .and_then(|m| m.body_text(0).map(|t| own_words(&t)))
        .unwrap_or_default()
}

/// Where the body starts: after the first empty line (`\n\n` or `\n\r\n`), else at the end.
fn body_start(bytes: &[u8]) -> usize {
    let lf = memchr::memmem::find(bytes, b"\n\n").map(|i| i + 2);
    let crlf = memchr::memmem::find(bytes, b"\n\r\n").map(|i| i + 3);
    match (lf, crlf) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).unwrap_or(bytes.len()),
    }
}

/// FNV-1a, 64 bits: a stable hash for derived ids (std's hasher may change between releases).
pub fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_bracketed_bare_and_mixed() {
        assert_eq!(message_ids(" <a@b> <c@d>\r\n"), vec!["a@b", "c@d"]);
        assert_eq!(message_ids(" a@b"), vec!["a@b"]);
        assert_eq!(
            message_ids(" <a@b> (Jane's message of Mon, 1 Jan)"),
            vec!["a@b"]
        );
        assert!(message_ids(" nothing here").is_empty());
    }

    #[test]
    fn via_is_stripped() {
        assert_eq!(strip_via("Jane Doe via USRP-users"), Some("Jane Doe"));
        assert_eq!(strip_via("Jane Doe VIA list"), Some("Jane Doe"));
        assert_eq!(strip_via("Jane Doe"), None);
        assert_eq!(strip_via(" via list"), None);
    }

    #[test]
    fn separators() {
        assert!(is_separator(b"From abc Thu Jan  1 00:00:00 1970\n"));
        assert!(is_separator(
            b"From MAILER-DAEMON Fri Jul  8 12:08:34 2011\n"
        ));
        assert!(!is_separator(b"From: someone\n"));
        assert!(!is_separator(b"From here on it works\n"));
    }

    #[test]
    fn body_starts_after_the_first_blank_line() {
        assert_eq!(body_start(b"A: b\n\nbody\n\nmore"), 6);
        assert_eq!(body_start(b"A: b\r\n\r\nbody"), 8);
        assert_eq!(body_start(b"A: b\n"), 5);
    }

    #[test]
    fn list_ids() {
        assert_eq!(
            list_id(" USRP-related discussion <usrp-users.lists.ettus.com>"),
            Some("usrp-users.lists.ettus.com".to_owned())
        );
        assert_eq!(list_id(" plain"), None);
    }
}
