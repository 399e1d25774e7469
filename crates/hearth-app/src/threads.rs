//! One thread as people read it (`/threads/{id}`): its messages in order, who answered first,
//! which authors are brand, and how long each reply came after the first message.

use crate::scope::Loaded;
use crate::{AppError, Result};
use hearth_model::{NO_PARENT, Role};
use serde_json::{Value, json};

/// At most this many messages of a thread are shown.
pub const MAX_MESSAGES: usize = 500;

/// The snapshot index of the message with store id `id`.
pub fn index_of(loaded: &Loaded, id: i64) -> Result<usize> {
    loaded
        .snapshot
        .messages
        .id
        .binary_search(&id)
        .map_err(|_| AppError::NotFound(format!("no message {id} in the store")))
}

/// The thread of message `id` (any message of it): root, messages oldest first, first
/// responder.
pub fn thread_json(loaded: &Loaded, id: i64) -> Result<Value> {
    let m = &loaded.snapshot.messages;
    let i = index_of(loaded, id)?;
    let root = loaded.prepared.roots[i] as usize;
    let mut members: Vec<usize> = (0..m.len())
        .filter(|&j| loaded.prepared.roots[j] as usize == root)
        .collect();
    members.sort_by_key(|&j| (m.time[j], j));
    let total = members.len();
    members.truncate(MAX_MESSAGES);
    let starter = m.author[root];
    let first = members
        .iter()
        .copied()
        .find(|&j| j != root && m.author[j] != starter);
    let ids: Vec<i64> = members.iter().map(|&j| m.id[j]).collect();
    let subjects = loaded.store.subjects(&[m.id[root]])?;
    let messages: Vec<Value> = members
        .iter()
        .zip(&ids)
        .map(|(&j, &sid)| {
            let author = m.author[j];
            let role = loaded.prepared.roles[author as usize].role;
            let text = loaded
                .store
                .message_text(hearth_model::MessageId(sid))
                .ok()
                .flatten()
                .map(|t| hearth_analysis::text::sentiment::own_words(&t))
                .unwrap_or_default();
            let parent = m.parent[j];
            json!({
                "message": sid,
                "time": hearth_report::iso(m.time[j]),
                "person": loaded.person(author),
                "brand": role == Role::Brand,
                "parent": (parent != NO_PARENT).then(|| m.id[parent as usize]),
                "inferred": m.inferred(j),
                "first_response": Some(j) == first,
                "after_hours": (j != root).then(|| (m.time[j] - m.time[root]) as f64 / 3600.0),
                "text": text,
            })
        })
        .collect();
    Ok(json!({
        "root": m.id[root],
        "subject": subjects.get(&m.id[root]),
        "space": loaded.space_name(m.space[root]),
        "started_by": loaded.person(starter),
        "messages_total": total,
        "first_response": first.map(|j| json!({
            "message": m.id[j],
            "person": loaded.person(m.author[j]),
            "brand": loaded.prepared.roles[m.author[j] as usize].role == Role::Brand,
            "after_hours": (m.time[j] - m.time[root]) as f64 / 3600.0,
        })),
        "messages": messages,
    }))
}
