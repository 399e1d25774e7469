//! `hearth members lapsed|helpers|introductions`: the people lists behind the work queues.

use crate::scope::Loaded;
use hearth_analysis::metrics::{helpers, introductions, lapsed};
use serde_json::{Value, json};

/// One of the three lists as JSON: `{"kind", "parameters", "people"|"pairs"}`.
pub fn list(loaded: &Loaded, kind: &str, limit: usize) -> Value {
    let cx = loaded.context();
    match kind {
        "lapsed" => json!({
            "kind": "lapsed",
            "as_of": hearth_report::iso(cx.as_of()),
            "parameters": {
                "min_messages": lapsed::MIN_MESSAGES,
                "factor": lapsed::FACTOR,
                "min_silence_days": lapsed::MIN_SILENCE_DAYS,
                "max_silence_days": lapsed::MAX_SILENCE_DAYS,
            },
            "people": crate::memo::lapsed(loaded, &cx, limit).iter().map(|l| json!({
                "person": loaded.person(l.person),
                "messages": l.messages,
                "usual_gap_days": l.usual_gap_days,
                "silent_days": l.silent_days,
                "people_talked_with": l.people_talked_with,
                "talked_with_most": l.talked_with_most.iter()
                    .map(|(p, n)| json!({"name": loaded.person_name(*p), "interactions": n}))
                    .collect::<Vec<_>>(),
                "spaces": l.spaces.iter().map(|s| loaded.space_name(*s)).collect::<Vec<_>>(),
                "last_message": loaded.message(l.last_message, true),
            })).collect::<Vec<_>>(),
        }),
        "helpers" => json!({
            "kind": "helpers",
            "as_of": hearth_report::iso(cx.as_of()),
            "parameters": { "trend_days": helpers::TREND_DAYS },
            "people": helpers::helpers(&cx, limit).iter().map(|h| json!({
                "person": loaded.person(h.person),
                "answers": h.answers,
                "people_helped": h.people_helped,
                "threads": h.threads,
                "recent": h.recent,
                "before": h.before,
                "trend": h.trend,
            })).collect::<Vec<_>>(),
        }),
        _ => json!({
            "kind": "introductions",
            "parameters": {
                "min_shared_threads": introductions::MIN_SHARED_THREADS,
                "max_thread_people": introductions::MAX_THREAD_PEOPLE,
            },
            "pairs": introductions::introductions(&cx, limit).iter().map(|p| json!({
                "a": loaded.person(p.a),
                "b": loaded.person(p.b),
                "shared_threads": p.shared_threads,
                "spaces": p.spaces.iter().map(|s| loaded.space_name(*s)).collect::<Vec<_>>(),
                "example_threads": p.example_threads.iter()
                    .map(|t| loaded.message(*t, true))
                    .collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }),
    }
}
