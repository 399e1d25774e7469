//! Hearth's export readers.
//!
//! Every format has one reader in its own file (`mbox.rs`, ...), behind the one [`Reader`]
//! trait: it streams an export, hands each good message to a [`Sink`] as a
//! [`RawMessage`](hearth_model::RawMessage), and reports every record it cannot use as a
//! [`Diagnostic`] (file, line, byte offset, reason) instead of failing or panicking.
//! [`conformance`] holds the one check every reader passes.

pub mod bluesky;
pub mod conformance;
pub mod csv;
mod detect;
mod diagnostic;
pub mod discord;
pub mod discourse;
pub mod edn;
pub mod facebook;
pub mod generic;
pub mod github;
pub mod instagram;
pub mod irc;
pub mod jsonl;
pub mod jsonlines;
pub mod jsonsplit;
pub mod jsonstream;
pub mod limits;
pub mod linkedin;
pub mod mailtext;
pub mod mastodon;
pub mod mbox;
mod paths;
pub mod reddit;
pub mod slack;
pub mod social;
pub mod socialcsv;
pub mod stackexchange;
pub mod telegram;
pub mod text;
pub mod twitter;

pub use detect::detect;
pub use diagnostic::{Diagnostic, MAX_DETAIL, Severity, SkipReason, excerpt};
pub use paths::expand_paths;

use hearth_model::RawMessage;
use std::path::{Path, PathBuf};

/// An error the sink returns to stop reading (for example, the store failed).
pub type SinkError = Box<dyn std::error::Error + Send + Sync>;

/// Where a reader puts what it reads.
pub trait Sink {
    /// One good message.
    fn message(&mut self, message: RawMessage) -> Result<(), SinkError>;
    /// A record skipped, or a note about one kept.
    fn diagnostic(&mut self, diagnostic: Diagnostic);
    /// The reader has consumed `bytes` bytes of the current file so far.
    fn progress(&mut self, _bytes: u64) {}
}

/// Why a read stopped. Bad records never stop a read; only these do.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("stopped while reading {path}: {source}")]
    Sink {
        path: PathBuf,
        #[source]
        source: SinkError,
    },
}

/// One export format. Readers are shared with the store's reading thread, so they are
/// `Send + Sync` (they hold no state between units).
pub trait Reader: Send + Sync {
    /// The format's id, as typed on the command line and stored as the source kind.
    fn id(&self) -> &'static str;

    /// The units of input under the paths a user gave: for a one-file format the files
    /// (folders searched recursively, in name order); for a dump format the dump folders.
    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>>;

    /// Bytes in a unit, for progress bars (what [`Sink::progress`] counts up to).
    fn size(&self, unit: &Path) -> u64 {
        std::fs::metadata(unit).map(|m| m.len()).unwrap_or(0)
    }

    /// Reads one unit, opening its files itself.
    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError>;

    /// Whether the format is chat: most messages state no parent, so who answers whom is
    /// inferred after ingest (the store marks each space with new messages for it).
    fn chat(&self) -> bool {
        false
    }
}

/// Opens a file for reading, naming it in the error.
pub fn open(path: &Path) -> Result<std::io::BufReader<std::fs::File>, ReadError> {
    std::fs::File::open(path)
        .map(|f| std::io::BufReader::with_capacity(1 << 16, f))
        .map_err(|source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// The reader for a format id, if Hearth knows it.
pub fn reader_for(id: &str) -> Option<Box<dyn Reader>> {
    match id {
        "mbox" => Some(Box::new(mbox::MboxReader)),
        "stackexchange" => Some(Box::new(stackexchange::StackExchangeReader)),
        "slack" => Some(Box::new(slack::SlackReader)),
        "discourse" => Some(Box::new(discourse::DiscourseReader)),
        "github" => Some(Box::new(github::GithubReader)),
        "discord" => Some(Box::new(discord::DiscordReader)),
        "reddit" => Some(Box::new(reddit::RedditReader)),
        "telegram" => Some(Box::new(telegram::TelegramReader)),
        "jsonl" => Some(Box::new(jsonl::JsonlReader)),
        "csv" => Some(Box::new(csv::CsvReader)),
        "irc" => Some(Box::new(irc::IrcReader)),
        "mastodon" => Some(Box::new(mastodon::MastodonReader)),
        "bluesky" => Some(Box::new(bluesky::BlueskyReader)),
        "twitter" => Some(Box::new(social::AnalyticsReader(&twitter::TWITTER))),
        "linkedin" => Some(Box::new(social::AnalyticsReader(&linkedin::LINKEDIN))),
        "facebook" => Some(Box::new(social::AnalyticsReader(&facebook::FACEBOOK))),
        "instagram" => Some(Box::new(social::AnalyticsReader(&instagram::INSTAGRAM))),
        "social-csv" => Some(Box::new(social::AnalyticsReader(&socialcsv::SOCIAL_CSV))),
        _ => None,
    }
}

/// Earliest plausible message time (1971-01-01 UTC): epoch-zero and earlier dates are
/// placeholders or damage, and a message without a plausible time is skipped.
pub const MIN_TIME: i64 = 31_536_000;

/// What a reader expects to find, in a few words: said when an input gives it nothing.
pub fn expectation(format: &str) -> &'static str {
    match format {
        "mbox" => "an mbox mail archive (messages after \"From \" separator lines)",
        "stackexchange" => "a Stack Exchange dump folder (Posts.xml, Comments.xml, Users.xml)",
        "slack" => {
            "a Slack export (folder or .zip with users.json, channels.json and <channel>/<day>.json) or an event-log folder"
        }
        "discourse" => {
            "a Discourse topic JSON (post_stream.posts), a Data Explorer result or the admin posts CSV"
        }
        "github" => "GitHub API JSON: issues and comments (an API page, a search result or a dump)",
        "discord" => "a DiscordChatExporter JSON export (guild, channel, messages)",
        "reddit" => "Pushshift NDJSON of comments or submissions (plain or .zst)",
        "telegram" => "a Telegram Desktop JSON export (messages, or chats.list)",
        "jsonl" => "Hearth's generic JSON lines (id, time, author, text; docs/generic-format.md)",
        "csv" => "Hearth's generic CSV (columns id, time, author, text; docs/generic-format.md)",
        "irc" => "IRC logs of `[HH:MM] <nick> text` lines, named by date",
        "mastodon" => {
            "a Mastodon archive's outbox.json (orderedItems), or the REST API's answers (*.mastodon.json)"
        }
        "bluesky" => "the Bluesky AppView's answers (*.bluesky.json: account, feed, notifications)",
        "twitter" => "X/Twitter analytics CSV (Tweet id, impressions, engagements)",
        "linkedin" => "LinkedIn page analytics CSV (Post link, impressions)",
        "facebook" => "Facebook page post insights CSV (Post ID, Page name)",
        "instagram" => "Instagram post insights CSV (Post ID, Account username)",
        "social-csv" => "Hearth's generic post analytics CSV (post_id, time; docs/social-csv.md)",
        _ => "one of the formats `hearth ingest --help` lists",
    }
}

/// The format ids Hearth can read.
pub const FORMATS: &[&str] = &[
    "mbox",
    "stackexchange",
    "slack",
    "discourse",
    "github",
    "discord",
    "reddit",
    "telegram",
    "jsonl",
    "csv",
    "irc",
    "mastodon",
    "bluesky",
    "twitter",
    "linkedin",
    "facebook",
    "instagram",
    "social-csv",
];
