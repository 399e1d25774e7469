//! `discord`: channel exports made by DiscordChatExporter (JSON format), one channel a file.
//!
//! **Format.** `{"guild": {id, name}, "channel": {id, type, category, name, topic},
//! "dateRange": …, "exportedAt": …, "messages": [ … ], "messageCount": n}`. A message has
//! `id` (a snowflake), `type` (`Default`, `Reply`, `GuildMemberJoin`, `ChannelPinnedMessage`,
//! `ThreadCreated`, …), `timestamp` (ISO 8601 with offset), `content`, `author` (`id`,
//! `name`, `nickname`, `isBot`, `roles[]` with `name`), `mentions[]` (`id`, …) and, for a
//! reply, `reference` (`messageId`, `channelId`). The messages array is streamed, so a file
//! of any size is read in constant memory.
//!
//! **Mapping to the model.** message id: `id`; space: the channel (`<guild> #<name>`);
//! parent: `reference.messageId`; author: `author.id`, named by `nickname` else `name`
//! (`name` is the username); flags: `bot` for `isBot`, and `role:<name>` for each server role
//! (brand when listed in `roles.brand_platform_roles`); mentions: `mentions[].id`; text:
//! `content`. Messages of type `Default` and `Reply` are conversation; joins, pins, calls,
//! boosts and other system messages are passed over with a note.
//!
//! **Skipped, with a diagnostic:** a message without `id`, `timestamp` or `author.id`; a file
//! that is not such JSON ends at the error (line and byte offset), keeping what came before.
//!
//! **Checked against:** a hand-written fixture that follows DiscordChatExporter's JSON writer
//! field for field (`fixtures/discord/`): no Discord data is in `shared/data`.
//!
//! **Known gaps:** threads exported as separate files are separate spaces; reactions and
//! edits are not read.

use crate::jsonstream::read_chat_export;
use crate::text::parse_time;
use crate::{MIN_TIME, ReadError, Reader, Sink, SkipReason};
use hearth_model::{RawAccount, RawMessage};
use serde_json::Value;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Reads DiscordChatExporter JSON files.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiscordReader;

impl Reader for DiscordReader {
    fn id(&self) -> &'static str {
        "discord"
    }

    fn chat(&self) -> bool {
        true
    }

    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        crate::jsonlines::json_files(paths)
    }

    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        read_export(unit, &mut crate::open(unit)?, sink)?;
        sink.progress(self.size(unit));
        Ok(())
    }
}

/// Reads one export from `input` (`path` names it in diagnostics).
pub fn read_export(
    path: &Path,
    input: &mut dyn BufRead,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    read_chat_export(
        path,
        input,
        sink,
        "a DiscordChatExporter JSON export",
        &|ctx, m| {
            let channel = ctx.get("channel").unwrap_or(&Value::Null);
            let guild = ctx
                .get("guild")
                .and_then(|g| g["name"].as_str())
                .unwrap_or("");
            message(m, channel, guild)
        },
        &|m| format!("message {} is a {} (not conversation)", m["id"], m["type"]),
    )
    .map(|_| ())
}

type Skip = (SkipReason, String);

fn message(m: &Value, channel: &Value, guild: &str) -> Result<Option<RawMessage>, Skip> {
    if !matches!(m["type"].as_str(), None | Some("Default" | "Reply")) {
        return Ok(None);
    }
    let id = match &m["id"] {
        Value::String(s) if !s.is_empty() => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Err((SkipReason::NotARecord, "expected a message id".to_owned())),
    };
    let time = m["timestamp"]
        .as_str()
        .and_then(parse_time)
        .filter(|t| *t >= MIN_TIME)
        .ok_or_else(|| {
            (
                SkipReason::MissingTime,
                format!("expected an ISO 8601 timestamp on message {id}"),
            )
        })?;
    let author = &m["author"];
    let author_id = author["id"]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            (
                SkipReason::MissingAuthor,
                format!("expected author.id on message {id}"),
            )
        })?;
    let mut flags = Vec::new();
    if author["isBot"].as_bool() == Some(true) {
        flags.push("bot".to_owned());
    }
    if let Some(roles) = author["roles"].as_array() {
        for r in roles {
            if let Some(name) = r["name"].as_str() {
                flags.push(format!("role:{name}"));
            }
        }
    }
    let username = author["name"].as_str().map(str::to_owned);
    let display = author["nickname"]
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
        .or_else(|| username.clone());
    let mentions = m["mentions"]
        .as_array()
        .map(|list| {
            let mut out: Vec<String> = Vec::new();
            for x in list {
                if let Some(i) = x["id"].as_str().filter(|i| *i != author_id)
                    && !out.iter().any(|o| o == i)
                {
                    out.push(i.to_owned());
                }
            }
            out
        })
        .unwrap_or_default();
    let channel_id = channel["id"].as_str().unwrap_or("channel");
    let channel_name = channel["name"].as_str().unwrap_or(channel_id);
    Ok(Some(RawMessage {
        native_id: id,
        space: channel_id.to_owned(),
        space_name: if guild.is_empty() {
            format!("#{channel_name}")
        } else {
            format!("{guild} #{channel_name}")
        },
        author: RawAccount {
            native_id: author_id.to_owned(),
            display_name: display,
            email: None,
            username: username.map(|u| u.to_lowercase()),
            flags,
        },
        time,
        subject: None,
        text: m["content"].as_str().unwrap_or("").to_owned(),
        parent: m["reference"]["messageId"].as_str().map(str::to_owned),
        mentions,
        metrics: None,
    }))
}
