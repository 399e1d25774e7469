//! What the social analytics readers share: a CSV of the brand's own posts, one row a post,
//! with the platform's counts. Each platform's reader (`twitter.rs`, `linkedin.rs`,
//! `facebook.rs`, `instagram.rs`, `socialcsv.rs`) is a [`Platform`]: which column holds which
//! field, and how the platform writes times. Columns are found by name (case-insensitive,
//! first match of a field's names wins), in any order; unknown columns are ignored.
//!
//! **Mapping:** every row becomes a message by the account the export belongs to, flagged
//! `owner` (so the role rules make it brand), in the space `<platform>:<account>`, with its
//! counts as [`PostMetrics`]. `-` or an empty cell is "not stated" (`None`), never 0.
//!
//! **Skipped, with a diagnostic:** a row without an id or a readable time; a file whose
//! header (looked for in its first five lines: some exports put a title line above it) lacks
//! the id or time column — reported once, with the columns found. A file of daily account
//! totals (no post column) is passed over as not conversation.

use crate::generic::parse_any_time;
use crate::{Diagnostic, ReadError, Severity, Sink, SkipReason};
use hearth_model::{PostMetrics, RawAccount, RawMessage};
use std::io::BufRead;
use std::path::Path;

/// Where a platform's export keeps each field (lower-case column names, first found wins).
#[derive(Debug)]
pub struct Platform {
    /// Reader id and the first part of the space key.
    pub id: &'static str,
    /// Readable platform name for space names.
    pub name: &'static str,
    pub post_id: &'static [&'static str],
    pub time: &'static [&'static str],
    pub text: &'static [&'static str],
    pub permalink: &'static [&'static str],
    /// The account's name or handle, when the export has a column for it.
    pub account: &'static [&'static str],
    pub impressions: &'static [&'static str],
    pub reach: &'static [&'static str],
    pub reactions: &'static [&'static str],
    pub comments: &'static [&'static str],
    pub shares: &'static [&'static str],
    pub clicks: &'static [&'static str],
    pub engagements: &'static [&'static str],
    pub conversions: &'static [&'static str],
    pub cost: &'static [&'static str],
    pub value: &'static [&'static str],
    pub followers: &'static [&'static str],
    pub video_views: &'static [&'static str],
    pub follows: &'static [&'static str],
    pub format: &'static [&'static str],
    /// The account when no column names it: from the permalink or the file name.
    pub account_from: fn(permalink: Option<&str>, file: &Path) -> Option<String>,
    /// `true`: dates are written month first (`03/15/2024`), as US-locale exports do.
    pub month_first: bool,
}

/// The account in a URL's first path segment (`https://twitter.com/ADHOrg/status/1` → ADHOrg).
pub fn account_in_url(url: Option<&str>, _file: &Path) -> Option<String> {
    let rest = url?.split("://").nth(1)?;
    let segment = rest.split('/').nth(1)?;
    (!segment.is_empty()).then(|| segment.to_owned())
}

/// The account as the file name's part between the platform prefix and the dates
/// (`tweet_activity_metrics_ADHOrg_20210401_20210501_en.csv` → ADHOrg), else the stem.
pub fn account_in_file_name(_url: Option<&str>, file: &Path) -> Option<String> {
    let stem = file.file_stem()?.to_str()?;
    let parts: Vec<&str> = stem.split('_').collect();
    let dated = parts
        .iter()
        .position(|p| p.len() == 8 && p.chars().all(|c| c.is_ascii_digit()));
    match dated {
        Some(k) if k > 0 => Some(parts[k - 1].to_owned()),
        _ => Some(stem.to_owned()),
    }
}

/// A time as analytics exports write it: RFC 3339, `2021-04-30 09:32 +0000`,
/// `2024-03-15 10:02`, `03/15/2024 10:02` (month first) or `15/03/2024` (day first), `2024-03-15`.
/// Times without a zone are taken as UTC.
pub fn parse_export_time(s: &str, month_first: bool) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(t) = parse_any_time(s) {
        return Some(t);
    }
    let fmts_zoned = ["%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S %z"];
    for f in fmts_zoned {
        if let Ok(t) = chrono::DateTime::parse_from_str(s, f) {
            return Some(t.timestamp());
        }
    }
    let (md, dm) = ("%m/%d/%Y", "%d/%m/%Y");
    let date_first = if month_first { md } else { dm };
    let naive = [
        "%Y-%m-%d %H:%M".to_owned(),
        format!("{date_first} %H:%M"),
        format!("{date_first} %H:%M:%S"),
    ];
    for f in &naive {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc().timestamp());
        }
    }
    for f in ["%Y-%m-%d", date_first] {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(s, f) {
            return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp());
        }
    }
    None
}

/// A count or amount: `1234`, `1,234`, `1234.0`, `12.5%` (a share, kept as written), `$3.20`.
/// `-`, `--`, `n/a` and empty cells are not stated.
pub fn number(cell: Option<&str>) -> Option<f64> {
    let c = cell?.trim();
    if c.is_empty() || c == "-" || c == "--" || c.eq_ignore_ascii_case("n/a") {
        return None;
    }
    let cleaned: String = c
        .chars()
        .filter(|ch| !matches!(ch, ',' | '$' | '€' | '£' | ' ' | '%'))
        .collect();
    cleaned.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Reads one analytics CSV of `platform`.
pub fn read(
    platform: &Platform,
    path: &Path,
    input: &mut dyn BufRead,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let diag = |line: u64, offset: u64, severity, reason, detail: String| Diagnostic {
        file: path.to_path_buf(),
        line: line.max(1),
        byte_offset: offset,
        severity,
        reason,
        detail,
    };
    let (input, marks) = crate::csv::crlf_aware(input);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(input);
    let mut record = csv::StringRecord::new();
    // The header: the first of the first five rows that names a post id and a time column.
    let mut header: Option<Vec<String>> = None;
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..5 {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let p = reader.position();
                sink.diagnostic(diag(
                    p.line(),
                    p.byte(),
                    Severity::Skipped,
                    SkipReason::NotARecord,
                    format!("expected a CSV header row: {e}"),
                ));
                return Ok(());
            }
        }
        let names: Vec<String> = record
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect();
        let has = |want: &[&str]| want.iter().any(|w| names.iter().any(|n| n == w));
        if has(platform.post_id) && has(platform.time) {
            header = Some(names);
            break;
        }
        if seen.is_empty() {
            seen = names;
        }
    }
    let Some(names) = header else {
        let daily = seen.iter().any(|n| n == "date") && !seen.is_empty();
        // Daily totals are a well-formed file that is not posts: passed over on purpose (a
        // note), not a broken one (a skip).
        sink.diagnostic(diag(
            1,
            0,
            if daily {
                Severity::Note
            } else {
                Severity::Skipped
            },
            if daily {
                SkipReason::NotConversation
            } else {
                SkipReason::NotARecord
            },
            if daily {
                format!(
                    "daily account totals, not posts: {} reads files with one row a post",
                    platform.id
                )
            } else {
                format!(
                    "expected a header row with a post id ({}) and a time ({}), found {:?}",
                    platform.post_id.join(" | "),
                    platform.time.join(" | "),
                    seen
                )
            },
        ));
        return Ok(());
    };
    let col = |want: &[&str]| want.iter().find_map(|w| names.iter().position(|n| n == w));
    let c = Columns {
        id: col(platform.post_id),
        time: col(platform.time),
        text: col(platform.text),
        permalink: col(platform.permalink),
        account: col(platform.account),
        impressions: col(platform.impressions),
        reach: col(platform.reach),
        reactions: col(platform.reactions),
        comments: col(platform.comments),
        shares: col(platform.shares),
        clicks: col(platform.clicks),
        engagements: col(platform.engagements),
        conversions: col(platform.conversions),
        cost: col(platform.cost),
        value: col(platform.value),
        followers: col(platform.followers),
        video_views: col(platform.video_views),
        follows: col(platform.follows),
        format: col(platform.format),
    };
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
                    Severity::Skipped,
                    SkipReason::NotARecord,
                    format!("expected a CSV record: {e}"),
                ));
                if io {
                    return Ok(()); // the input itself stopped (or a record was too long)
                }
                continue;
            }
        }
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).map(str::trim);
        let nonempty = |i: Option<usize>| get(i).filter(|s| !s.is_empty());
        let Some(id) = nonempty(c.id) else {
            sink.diagnostic(diag(
                line,
                offset,
                Severity::Skipped,
                SkipReason::NotARecord,
                "expected a post id".to_owned(),
            ));
            continue;
        };
        let Some(time) = nonempty(c.time)
            .and_then(|t| parse_export_time(t, platform.month_first))
            .filter(|t| *t >= crate::MIN_TIME)
        else {
            sink.diagnostic(diag(
                line,
                offset,
                Severity::Skipped,
                SkipReason::MissingTime,
                format!(
                    "expected a time on post {id}, found {:?}",
                    get(c.time).unwrap_or("")
                ),
            ));
            continue;
        };
        let permalink = nonempty(c.permalink);
        let account = nonempty(c.account)
            .map(str::to_owned)
            .or_else(|| (platform.account_from)(permalink, path))
            .unwrap_or_else(|| "account".to_owned());
        let metrics = PostMetrics {
            impressions: number(get(c.impressions)),
            reach: number(get(c.reach)),
            reactions: number(get(c.reactions)),
            comments: number(get(c.comments)),
            shares: number(get(c.shares)),
            clicks: number(get(c.clicks)),
            engagements: number(get(c.engagements)),
            conversions: number(get(c.conversions)),
            cost: number(get(c.cost)),
            value: number(get(c.value)),
            followers: number(get(c.followers)),
            video_views: number(get(c.video_views)),
            follows: number(get(c.follows)),
            format: nonempty(c.format).map(str::to_lowercase),
        };
        let message = RawMessage {
            native_id: id.to_owned(),
            space: format!("{}:{account}", platform.id),
            space_name: format!("{account} on {}", platform.name),
            author: RawAccount {
                native_id: account.clone(),
                display_name: Some(account.clone()),
                email: None,
                username: Some(account.clone()),
                flags: vec!["owner".to_owned()],
            },
            time,
            subject: None,
            text: get(c.text).unwrap_or("").to_owned(),
            parent: None,
            mentions: Vec::new(),
            metrics: Some(metrics),
        };
        sink.message(message).map_err(|source| ReadError::Sink {
            path: path.to_path_buf(),
            source,
        })?;
    }
}

struct Columns {
    id: Option<usize>,
    time: Option<usize>,
    text: Option<usize>,
    permalink: Option<usize>,
    account: Option<usize>,
    impressions: Option<usize>,
    reach: Option<usize>,
    reactions: Option<usize>,
    comments: Option<usize>,
    shares: Option<usize>,
    clicks: Option<usize>,
    engagements: Option<usize>,
    conversions: Option<usize>,
    cost: Option<usize>,
    value: Option<usize>,
    followers: Option<usize>,
    video_views: Option<usize>,
    follows: Option<usize>,
    format: Option<usize>,
}

/// A [`crate::Reader`] for one platform's analytics CSV.
#[derive(Debug, Clone, Copy)]
pub struct AnalyticsReader(pub &'static Platform);

impl crate::Reader for AnalyticsReader {
    fn id(&self) -> &'static str {
        self.0.id
    }

    fn units(&self, paths: &[std::path::PathBuf]) -> std::io::Result<Vec<std::path::PathBuf>> {
        crate::expand_paths(paths, &["csv"])
    }

    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        read(self.0, unit, &mut crate::open(unit)?, sink)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_as_exports_write_them() {
        assert_eq!(
            parse_export_time("2021-04-30 09:32 +0000", false),
            Some(1_619_775_120)
        );
        assert_eq!(
            parse_export_time("2021-04-30 19:32 +1000", false),
            Some(1_619_775_120)
        );
        assert_eq!(
            parse_export_time("04/30/2021 09:32", true),
            Some(1_619_775_120)
        );
        assert_eq!(
            parse_export_time("30/04/2021 09:32", false),
            Some(1_619_775_120)
        );
        assert_eq!(parse_export_time("2021-04-30", false), Some(1_619_740_800));
        assert_eq!(parse_export_time("yesterday", false), None);
    }

    #[test]
    fn numbers_as_exports_write_them() {
        assert_eq!(number(Some("1,234")), Some(1234.0));
        assert_eq!(number(Some("825.0")), Some(825.0));
        assert_eq!(number(Some("$3.20")), Some(3.2));
        assert_eq!(number(Some("-")), None);
        assert_eq!(number(Some("")), None);
        assert_eq!(number(Some("NaN")), None);
        assert_eq!(number(None), None);
    }

    #[test]
    fn accounts_from_links_and_file_names() {
        let p = Path::new("x/tweet_activity_metrics_ADHOrg_20210401_20210501_en.csv");
        assert_eq!(account_in_file_name(None, p).as_deref(), Some("ADHOrg"));
        assert_eq!(
            account_in_url(Some("https://twitter.com/ADHOrg/status/1"), p).as_deref(),
            Some("ADHOrg")
        );
    }
}
