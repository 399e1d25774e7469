//! `/search?q=`: people by name, address or account, and messages by their text.

use crate::Result;
use crate::scope::Loaded;
use serde_json::{Value, json};

/// At most this many messages are listed.
pub const MAX_MESSAGES: usize = 50;

/// People and messages matching `q` (case-insensitive substring), newest messages first.
pub fn search_json(loaded: &Loaded, q: &str) -> Result<Value> {
    let q = q.trim();
    if q.chars().count() < 2 {
        crate::bail!("search for at least 2 characters");
    }
    let needle = q.to_lowercase();
    let people: Vec<Value> = loaded
        .snapshot
        .persons
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.display_name.to_lowercase().contains(&needle)
                || p.accounts.iter().any(|a| {
                    a.native_id.to_lowercase().contains(&needle)
                        || a.email
                            .as_deref()
                            .is_some_and(|e| e.to_lowercase().contains(&needle))
                        || a.username
                            .as_deref()
                            .is_some_and(|u| u.to_lowercase().contains(&needle))
                })
        })
        .take(50)
        .map(|(i, _)| loaded.person(i as u32))
        .collect();
    let ids = loaded.store.search_text(q, MAX_MESSAGES)?;
    let m = &loaded.snapshot.messages;
    let messages: Vec<Value> = ids
        .iter()
        .filter_map(|id| m.id.binary_search(id).ok())
        .filter(|&i| loaded.window.contains(m.time[i]))
        .filter(|&i| loaded.space.is_none_or(|s| m.space[i] == s))
        .map(|i| {
            let mut v = loaded.message(i as u32, true);
            v["thread"] = json!(m.id[loaded.prepared.roots[i] as usize]);
            v
        })
        .collect();
    Ok(json!({"query": q, "people": people, "messages": messages}))
}
