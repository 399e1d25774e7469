//! `telegram`: Telegram Desktop's JSON export (`result.json`), of one chat or of all chats.
//!
//! **Format.** One chat: `{"name", "type", "id", "messages": [ … ]}`; all chats:
//! `{"chats": {"list": [ {one chat}, … ]}, …}`. A message has `id`, `type` (`message` or
//! `service`), `date` (local time, no zone) and, in newer exports, `date_unixtime` (UTC
//! seconds, a string), `from` (a name), `from_id` (`user123…`, or `channel…` for posts by a
//! channel), `reply_to_message_id`, and `text`: a string, or a list of strings and entities
//! (`{"type": "mention_name", "text": "Bob", "user_id": 222}`, `{"type": "mention", "text":
//! "@bob"}`, links, bold…), with the same as `text_entities`.
//!
//! **Mapping to the model.** message id `<chat id>/<id>`; space: the chat (`name`); parent:
//! `<chat id>/<reply_to_message_id>`; author: `from_id`, named `from`; time: `date_unixtime`,
//! else `date` read as UTC; mentions: `mention_name` entities (`user<user_id>`); text: the
//! text with entities flattened. A one-chat export streams its messages (constant memory); an
//! all-chats export is read whole. Service messages (joins, pins, calls) are passed over with
//! a note. Admins are not in the export: list them in `roles.brand_accounts` (`user123…`).
//!
//! **Skipped, with a diagnostic:** a message without `id`, a date or `from_id`; a file that
//! is not such JSON ends at the error (line and byte offset), keeping what came before.
//!
//! **Checked against:** a hand-written fixture that follows Telegram Desktop's export field
//! for field (`fixtures/telegram/`); no Telegram data is in `shared/data`.
//!
//! **Known gaps:** `@username` mentions are not linked (the export has no username → id
//! table); reactions and edits are not read.

use crate::jsonstream::{Mapped, emit, read_records};
use crate::text::parse_time;
use crate::{MIN_TIME, ReadError, Reader, Sink, SkipReason};
use hearth_model::{RawAccount, RawMessage};
use serde_json::{Map, Value};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Reads Telegram Desktop JSON exports.
#[derive(Debug, Clone, Copy, Default)]
pub struct TelegramReader;

impl Reader for TelegramReader {
    fn id(&self) -> &'static str {
        "telegram"
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

/// Reads one export from `input` (`path` names it in diagnostics): a single chat's
/// `messages`, record by record, or an all-chats export's `chats.list`, a chat at a time
/// (each chat within the record limit).
pub fn read_export(
    path: &Path,
    input: &mut dyn BufRead,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let note = |m: &Value| format!("message {} is a service message ({})", m["id"], m["action"]);
    let what = "a Telegram Desktop JSON export";
    read_records(
        path,
        input,
        sink,
        &[&["messages"], &["chats", "list"]],
        what,
        &mut |top, which, record, place, sink| match which {
            0 => emit(path, place, sink, message(top, &record), || note(&record)),
            1 => {
                let Some(chat) = record.as_object() else {
                    return Ok(());
                };
                for m in chat
                    .get("messages")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    emit(path, place, sink, message(chat, m), || note(m))?;
                }
                Ok(())
            }
            _ => {
                sink.diagnostic(place.diagnostic(
                    path,
                    crate::Severity::Skipped,
                    crate::SkipReason::NotARecord,
                    format!("expected {what} (an object with a \"messages\" array or chats.list)"),
                ));
                Ok(())
            }
        },
    )?;
    Ok(())
}

fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn message(chat: &Map<String, Value>, m: &Value) -> Mapped {
    if m["type"].as_str() == Some("service") {
        return Ok(None);
    }
    let chat_id = chat
        .get("id")
        .and_then(id_text)
        .unwrap_or_else(|| "chat".to_owned());
    let chat_name = chat
        .get("name")
        .and_then(|n| n.as_str())
        .unwrap_or(&chat_id)
        .to_owned();
    let id = id_text(&m["id"])
        .ok_or_else(|| (SkipReason::NotARecord, "expected a message id".to_owned()))?;
    let time = m["date_unixtime"]
        .as_str()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .or_else(|| m["date_unixtime"].as_i64())
        .or_else(|| m["date"].as_str().and_then(parse_time))
        .filter(|t| *t >= MIN_TIME)
        .ok_or_else(|| {
            (
                SkipReason::MissingTime,
                format!("expected date_unixtime or date on message {id}"),
            )
        })?;
    let from_id = m["from_id"]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            (
                SkipReason::MissingAuthor,
                format!("expected from_id on message {id}"),
            )
        })?;
    let (text, mentions) = flatten(&m["text"]);
    let mentions = mentions.into_iter().filter(|u| u != from_id).collect();
    Ok(Some(RawMessage {
        native_id: format!("{chat_id}/{id}"),
        space: chat_id.clone(),
        space_name: chat_name,
        author: RawAccount {
            native_id: from_id.to_owned(),
            display_name: m["from"].as_str().map(str::to_owned),
            email: None,
            username: None,
            flags: Vec::new(),
        },
        time,
        subject: None,
        text,
        parent: id_text(&m["reply_to_message_id"]).map(|p| format!("{chat_id}/{p}")),
        mentions,
        metrics: None,
    }))
}

/// The plain text of a `text` value, and the users it mentions by name (`user<id>`).
fn flatten(text: &Value) -> (String, Vec<String>) {
    match text {
        Value::String(s) => (s.clone(), Vec::new()),
        Value::Array(parts) => {
            let mut out = String::new();
            let mut mentions = Vec::new();
            for p in parts {
                match p {
                    Value::String(s) => out.push_str(s),
                    Value::Object(e) => {
                        if let Some(t) = e.get("text").and_then(|t| t.as_str()) {
                            out.push_str(t);
                        }
                        if e.get("type").and_then(|t| t.as_str()) == Some("mention_name")
                            && let Some(u) = e.get("user_id").and_then(id_text)
                        {
                            let u = format!("user{u}");
                            if !mentions.contains(&u) {
                                mentions.push(u);
                            }
                        }
                    }
                    _ => {}
                }
            }
            (out, mentions)
        }
        _ => (String::new(), Vec::new()),
    }
}
