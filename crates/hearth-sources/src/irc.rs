//! `irc`: plain-text IRC logs in the irssi-like layout of the Ubuntu channel logs.
//!
//! **Format.** One line per event. A message is `[HH:MM] <nick> text`; a notice is
//! `[HH:MM] (nick/#channel) text` or `[HH:MM] -nick:#channel- text`; an action (`/me`) is
//! `=== nick text`; joins, parts, quits and nick changes are `=== nick [host] has joined
//! #channel`, `… has left …`, `… has quit …`, `=== old is now known as new`. Lines without a
//! time take the time of the line before. The date is not in the lines: it is the
//! `YYYY-MM-DD` the file name starts with, and a clock that goes back by more than an hour
//! starts the next day.
//!
//! **Mapping to the model.** message id `<file stem>:<line index>` (the 0-based line number,
//! as the irc-ubuntu annotations count lines); author: the nick, lower-cased as the account
//! key and kept as written as its name; time: date + `HH:MM` (minute precision, so messages
//! of one minute keep their file order); space: the channel — the file name when it starts
//! with `#` (`#ubuntu.txt`), else the folder the file is in; mentions: each word of the text
//! that is the nick of someone who already spoke in the file (at least 3 characters, compared
//! without case). IRC has no replies: who answers whom is inferred after ingest (see
//! `hearth_analysis::replies`).
//!
//! **Skipped, with a diagnostic:** system events (joins, parts, quits, nick changes:
//! `not_conversation`); a line that fits none of the shapes above (`not_a_record`, with its
//! line number and byte offset); a file whose name has no date (`missing_time`, once).
//!
//! **Checked against:** the irc-ubuntu corpus in `shared/data` (train and dev logs).
//!
//! **Known gaps:** time zone is UTC as the logs are; nick changes do not merge the two nicks
//! into one person (add an identity link in `hearth.toml`); mIRC and weechat layouts are not
//! read.

use crate::{Diagnostic, ReadError, Reader, Severity, Sink, SkipReason};
use hearth_model::{RawAccount, RawMessage};
use std::collections::HashSet;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Reads IRC text logs.
#[derive(Debug, Clone, Copy, Default)]
pub struct IrcReader;

/// One line of a log, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IrcLine<'a> {
    /// Someone said something (message, notice or action).
    Said {
        minute: Option<u32>,
        nick: &'a str,
        text: &'a str,
    },
    /// A join, part, quit or nick change, with the nick it is about when it names one.
    System { nick: Option<&'a str> },
}

impl IrcLine<'_> {
    pub fn is_system(&self) -> bool {
        matches!(self, IrcLine::System { .. })
    }
}

/// Reads the `[HH:MM] ` prefix: minutes since midnight and the rest.
fn clock(line: &str) -> Option<(u32, &str)> {
    let b = line.as_bytes();
    if b.len() < 8 || b[0] != b'[' || b[3] != b':' || b[6] != b']' || b[7] != b' ' {
        return None;
    }
    let h: u32 = line.get(1..3)?.parse().ok()?;
    let m: u32 = line.get(4..6)?.parse().ok()?;
    (h < 24 && m < 60).then_some((h * 60 + m, &line[8..]))
}

/// Parses one log line; `None` when it has none of the known shapes.
pub fn parse_line(line: &str) -> Option<IrcLine<'_>> {
    let line = line.trim_end_matches(['\r', '\n']);
    if let Some(rest) = line.strip_prefix("=== ") {
        let rest = rest.trim_start();
        let (nick, after) = rest.split_once(' ').unwrap_or((rest, ""));
        let system = after.contains(" has joined ")
            || after.contains(" has left ")
            || after.contains(" has quit")
            || after.starts_with("is now known as ")
            || (after.starts_with('[') && after.contains(" has "));
        if system || nick.is_empty() {
            return Some(IrcLine::System {
                nick: (!nick.is_empty()).then_some(nick),
            });
        }
        return Some(IrcLine::Said {
            minute: None,
            nick,
            text: after.trim(),
        });
    }
    let (minute, rest) = clock(line)?;
    let (nick, text) = if let Some(r) = rest.strip_prefix('<') {
        r.split_once("> ")
            .or_else(|| r.strip_suffix('>').map(|n| (n, "")))?
    } else if let Some(r) = rest.strip_prefix('(') {
        let (who, text) = r.split_once(") ")?;
        (who.split('/').next()?, text)
    } else if let Some(r) = rest.strip_prefix('-') {
        let (who, text) = r.split_once("- ")?;
        (who.split(':').next()?, text)
    } else if let Some(r) = rest.strip_prefix("* ") {
        r.split_once(' ').unwrap_or((r, ""))
    } else {
        return None;
    };
    let nick = nick.trim_start_matches(['@', '+', ' ']);
    if nick.is_empty() {
        return None;
    }
    Some(IrcLine::Said {
        minute: Some(minute),
        nick,
        text: text.trim(),
    })
}

/// The `YYYY-MM-DD` a file name starts with, as UTC seconds of midnight.
pub fn file_date(path: &Path) -> Option<i64> {
    let name = path.file_name()?.to_str()?;
    let date = name.get(0..10)?;
    if date.as_bytes().get(4) != Some(&b'-') || date.as_bytes().get(7) != Some(&b'-') {
        return None;
    }
    crate::text::parse_time(&format!("{date}T00:00:00Z"))
}

/// True for characters IRC allows in a nick (RFC 2812 letters, digits and specials).
pub fn is_nick_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_-[]\\^{}|`".contains(c)
}

/// The words of `text` that could be nicks, in order.
pub fn nick_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_nick_char(c))
        .filter(|w| !w.is_empty())
}

impl Reader for IrcReader {
    fn id(&self) -> &'static str {
        "irc"
    }

    fn chat(&self) -> bool {
        true
    }

    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        let files = crate::expand_paths(paths, &["txt", "log"])?;
        // The irc-ubuntu corpus keeps gold annotations beside its logs.
        Ok(files
            .into_iter()
            .filter(|p| {
                !p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(".annotation.txt"))
            })
            .collect())
    }

    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        read_log(unit, &mut crate::open(unit)?, sink)
    }
}

/// Reads one log from `input`; `path` gives the date, the channel and the ids.
pub fn read_log(
    path: &Path,
    input: &mut dyn BufRead,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let diag = |line: u64, byte_offset: u64, severity, reason, detail: String| Diagnostic {
        file: path.to_path_buf(),
        line,
        byte_offset,
        severity,
        reason,
        detail,
    };
    let Some(midnight) = file_date(path) else {
        sink.diagnostic(diag(
            1,
            0,
            Severity::Skipped,
            SkipReason::MissingTime,
            "expected the file name to start with the log's date (YYYY-MM-DD)".to_owned(),
        ));
        return Ok(());
    };
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("log")
        .to_owned();
    let channel = if stem.starts_with('#') {
        stem.clone()
    } else {
        path.parent()
            .and_then(|p| p.file_name())
            .and_then(|s| s.to_str())
            .map_or_else(
                || "irc".to_owned(),
                |p| format!("#{}", p.trim_start_matches('#')),
            )
    };
    let mut speakers: HashSet<String> = HashSet::new();
    let (mut day, mut last_minute) = (0i64, None::<u32>);
    let mut buf = Vec::new();
    let (mut index, mut offset) = (0u64, 0u64);
    let max = crate::limits::max_record();
    loop {
        let (n, over) =
            crate::limits::read_line_bounded(input, &mut buf, max).map_err(|source| {
                ReadError::Io {
                    path: path.to_path_buf(),
                    source,
                }
            })?;
        if n == 0 {
            break;
        }
        let (line_no, at) = (index, offset);
        index += 1;
        offset += n as u64;
        if over {
            sink.diagnostic(diag(
                line_no + 1,
                at,
                Severity::Skipped,
                SkipReason::NotARecord,
                format!("a line of {n} bytes is longer than the record limit of {max} bytes"),
            ));
            continue;
        }
        let line = String::from_utf8_lossy(&buf);
        if line.trim().is_empty() {
            continue;
        }
        let Some(parsed) = parse_line(&line) else {
            sink.diagnostic(diag(
                line_no + 1,
                at,
                Severity::Skipped,
                SkipReason::NotARecord,
                "expected `[HH:MM] <nick> text` or `=== …`".to_owned(),
            ));
            continue;
        };
        let IrcLine::Said { minute, nick, text } = parsed else {
            sink.diagnostic(diag(
                line_no + 1,
                at,
                Severity::Note,
                SkipReason::NotConversation,
                "a join, part, quit or nick change".to_owned(),
            ));
            continue;
        };
        if let Some(m) = minute {
            if last_minute.is_some_and(|l| m + 60 < l) {
                day += 1;
            }
            last_minute = Some(m);
        }
        let time = midnight + day * 86_400 + i64::from(last_minute.unwrap_or(0)) * 60;
        let key = nick.to_lowercase();
        let mut mentions: Vec<String> = Vec::new();
        for w in nick_words(text) {
            if w.len() < 3 {
                continue;
            }
            let w = w.to_lowercase();
            if w != key && speakers.contains(&w) && !mentions.contains(&w) {
                mentions.push(w);
            }
        }
        speakers.insert(key.clone());
        let message = RawMessage {
            native_id: format!("{stem}:{line_no}"),
            space: channel.clone(),
            space_name: channel.clone(),
            author: RawAccount {
                native_id: key,
                display_name: Some(nick.to_owned()),
                username: Some(nick.to_owned()),
                ..RawAccount::default()
            },
            time,
            subject: None,
            text: text.to_owned(),
            parent: None,
            mentions,
            metrics: None,
        };
        sink.message(message).map_err(|source| ReadError::Sink {
            path: path.to_path_buf(),
            source,
        })?;
        sink.progress(offset);
    }
    Ok(())
}

/// One line of a log with speakers numbered: what reply inference reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberedLine {
    /// Minutes since the file's first day began (a clock going back starts a new day).
    pub minute: i64,
    /// Speaker number within the log (same nick, same number; compared without case).
    pub speaker: u32,
    pub text: String,
    pub system: bool,
    /// Speakers named in the text: words equal to a nick seen earlier in the log.
    pub mentions: Vec<u32>,
}

/// A log of the irc-ubuntu corpus with its gold reply links.
#[derive(Debug, Clone, Default)]
pub struct AnnotatedLog {
    pub name: String,
    pub lines: Vec<NumberedLine>,
    /// Gold (parent line, line) links.
    pub gold: Vec<(u32, u32)>,
    /// Lines that carry annotations, ascending.
    pub annotated: Vec<u32>,
}

/// Numbers the speakers of a log and finds the nicks each line names. Lines that fit no
/// shape count as system lines, so line numbers stay those of the file.
pub fn number_lines(text: &str) -> Vec<NumberedLine> {
    let mut ids: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut out = Vec::new();
    let (mut day, mut last) = (0i64, None::<u32>);
    for raw in text.lines() {
        let parsed = parse_line(raw);
        let (nick, said, minute) = match parsed {
            Some(IrcLine::Said { minute, nick, text }) => (Some(nick), Some(text), minute),
            Some(IrcLine::System { nick }) => (nick, None, None),
            None => (None, None, None),
        };
        if let Some(m) = minute {
            if last.is_some_and(|l| m + 60 < l) {
                day += 1;
            }
            last = Some(m);
        }
        let next = ids.len() as u32;
        let speaker = match nick {
            Some(n) => *ids.entry(n.to_lowercase()).or_insert(next),
            None => u32::MAX,
        };
        let mut mentions = Vec::new();
        if let Some(text) = said {
            for w in nick_words(text) {
                if let Some(&id) = ids.get(&w.to_lowercase())
                    && id != speaker
                    && !mentions.contains(&id)
                {
                    mentions.push(id);
                }
            }
        }
        out.push(NumberedLine {
            minute: day * 1440 + i64::from(last.unwrap_or(0)),
            speaker,
            text: said.unwrap_or("").to_owned(),
            system: said.is_none(),
            mentions,
        });
    }
    out
}

/// Reads `NAME.raw.txt` and its `NAME.annotation.txt` (lines `A B -`: line B answers line A).
pub fn load_annotated(raw: &Path) -> Result<AnnotatedLog, String> {
    let text = std::fs::read(raw).map_err(|e| format!("{}: {e}", raw.display()))?;
    let name = raw
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".raw.txt"))
        .ok_or_else(|| format!("{}: expected a NAME.raw.txt file", raw.display()))?;
    let ann_path = raw.with_file_name(format!("{name}.annotation.txt"));
    let ann =
        std::fs::read_to_string(&ann_path).map_err(|e| format!("{}: {e}", ann_path.display()))?;
    let lines = number_lines(&String::from_utf8_lossy(&text));
    let mut gold = Vec::new();
    for (k, l) in ann.lines().enumerate() {
        let mut parts = l.split_whitespace();
        let (Some(a), Some(b)) = (parts.next(), parts.next()) else {
            continue;
        };
        let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) else {
            return Err(format!(
                "{}:{}: expected two line numbers, found `{l}`",
                ann_path.display(),
                k + 1
            ));
        };
        if a as usize >= lines.len() || b as usize >= lines.len() {
            return Err(format!(
                "{}:{}: line {} is past the log's end ({} lines)",
                ann_path.display(),
                k + 1,
                a.max(b),
                lines.len()
            ));
        }
        gold.push((a.min(b), a.max(b)));
    }
    let mut annotated: Vec<u32> = gold.iter().map(|g| g.1).collect();
    annotated.sort_unstable();
    annotated.dedup();
    Ok(AnnotatedLog {
        name: name.to_owned(),
        lines,
        gold,
        annotated,
    })
}

/// Every annotated log in a folder of the corpus (`*.raw.txt` beside `*.annotation.txt`),
/// in name order.
pub fn load_corpus(dir: &Path) -> Result<Vec<AnnotatedLog>, String> {
    let mut raws: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_str().is_some_and(|s| s.ends_with(".raw.txt")))
        .collect();
    raws.sort();
    if raws.is_empty() {
        return Err(format!(
            "{}: no *.raw.txt logs (expected the irc-ubuntu layout: NAME.raw.txt beside \
             NAME.annotation.txt)",
            dir.display()
        ));
    }
    raws.iter().map(|p| load_annotated(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_shapes() {
        assert_eq!(
            parse_line("[12:18] <tweaked> HrdwrBoB: ok how many?"),
            Some(IrcLine::Said {
                minute: Some(738),
                nick: "tweaked",
                text: "HrdwrBoB: ok how many?"
            })
        );
        assert!(
            parse_line("=== GOwin [~Miranda@210.213.142.27]  has left #ubuntu []")
                .is_some_and(|l| l.is_system())
        );
        assert!(
            parse_line("=== strestout1__ is now known as strestout1")
                .is_some_and(|l| l.is_system())
        );
        assert_eq!(
            parse_line("=== Tsjoklate nods at |QuaD"),
            Some(IrcLine::Said {
                minute: None,
                nick: "Tsjoklate",
                text: "nods at |QuaD"
            })
        );
        assert!(matches!(
            parse_line("[01:09] (soundray/#ubuntu) thomas: have you seen"),
            Some(IrcLine::Said {
                nick: "soundray",
                ..
            })
        ));
        assert!(matches!(
            parse_line("[05:12] -gfx:#ubuntu- happy"),
            Some(IrcLine::Said { nick: "gfx", .. })
        ));
        assert_eq!(parse_line("garbage"), None);
        assert_eq!(parse_line("[99:00] <a> b"), None);
    }
}
