//! `hearth audit roles`: how each brand person's messages split into broadcasting, answering
//! and facilitating, with examples and a verdict per person and for the team.

use crate::scope::Loaded;
use hearth_analysis::audit::{self, Activity, Audit, Classified, Reason, Split, Verdict};
use serde_json::{Value, json};
use std::collections::HashMap;

/// Every brand message of a space classified up to an as-of moment (a window without a
/// start), kept for the windows of that space and end (see [`crate::memo`]).
static CLASSIFIED: crate::memo::Memo<Vec<Classified>> = crate::memo::Memo::new(4);
/// The classification index of a whole space (a window without a start or an end), which
/// classifies the brand messages of any window of that space, whatever its end.
static INDEXES: crate::memo::Memo<audit::Index> = crate::memo::Memo::new(2);
/// The classification of a whole space (no start, no end), beside its index: the classes
/// that had settled before a window's end are taken from it (see `audit::classify_cut`).
/// Kept apart from [`CLASSIFIED`], whose windows would push it out.
static WHOLE: crate::memo::Memo<audit::Whole> = crate::memo::Memo::new(2);

/// The audit as JSON: parameters, the team, and one entry a brand person.
pub fn roles(loaded: &Loaded, examples: usize, min_messages: u64) -> crate::Result<Value> {
    roles_page(loaded, examples, min_messages, None)
}

/// [`roles`] with only some of its people (first, how many) and `people_total` saying how
/// many there are: a page of a team of thousands costs that page's examples.
pub fn roles_page(
    loaded: &Loaded,
    examples: usize,
    min_messages: u64,
    page: Option<(usize, usize)>,
) -> crate::Result<Value> {
    roles_page_in(loaded, &loaded.context(), examples, min_messages, page)
}

/// [`roles_page`] in a context made already (of `loaded`'s scope).
pub fn roles_page_in(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    examples: usize,
    min_messages: u64,
    page: Option<(usize, usize)>,
) -> crate::Result<Value> {
    let result: Audit = if examples == 0 {
        // Without examples only the counts are wanted.
        tally(loaded, cx)?
    } else {
        audit::summarize(cx, classified(loaded, cx)?)
    };
    let listed: Vec<&audit::PersonAudit> = result
        .people
        .iter()
        .filter(|p| p.split.messages() >= min_messages)
        .collect();
    let total = listed.len();
    let listed = match page {
        Some((first, n)) => &listed[first.min(total)..first.saturating_add(n).min(total)],
        None => &listed[..],
    };
    let people: Vec<Value> = listed
        .iter()
        .map(|p| {
            let mut v = split_json(&p.split);
            let mut obj = serde_json::Map::new();
            obj.insert("person".into(), loaded.person(p.person));
            if let Value::Object(fields) = v.take() {
                obj.extend(fields);
            }
            obj.insert(
                "by_year".into(),
                Value::Array(p.by_year.iter().map(|(y, s)| year_json(*y, s)).collect()),
            );
            let mut ex = serde_json::Map::new();
            for a in Activity::ALL {
                // The most recent examples of each activity.
                let list: Vec<Value> = p
                    .messages
                    .iter()
                    .rev()
                    .filter(|c| c.activity == a)
                    .take(examples)
                    .map(|c| example(loaded, c))
                    .collect();
                ex.insert(a.as_str().into(), Value::Array(list));
            }
            obj.insert("examples".into(), Value::Object(ex));
            Value::Object(obj)
        })
        .collect();
    let mut team = split_json(&result.team);
    team["people"] = json!(result.people.len());
    team["by_year"] = Value::Array(
        result
            .team_by_year
            .iter()
            .map(|(y, s)| year_json(*y, s))
            .collect(),
    );
    let mut out = json!({
        "as_of": hearth_report::iso(cx.as_of()),
        "space": loaded.space.map(|s| loaded.space_name(s)),
        "parameters": {
            "follow_days": audit::FOLLOW_DAYS,
            "introduction_days": audit::INTRODUCTION_DAYS,
            "min_messages": audit::MIN_MESSAGES,
            "facilitator_share": audit::FACILITATOR_SHARE,
        },
        "team": team,
        "people": people,
    });
    if page.is_some() {
        out["people_total"] = json!(total);
    }
    Ok(out)
}

/// Shares with four decimals that sum to exactly 1 (largest remainder).
fn shares(split: &Split) -> [f64; 3] {
    let n = split.messages();
    if n == 0 {
        return [0.0; 3];
    }
    const UNITS: u64 = 10_000;
    let exact: Vec<f64> = Activity::ALL
        .iter()
        .map(|&a| split.count(a) as f64 * UNITS as f64 / n as f64)
        .collect();
    let mut units: Vec<u64> = exact.iter().map(|x| x.floor() as u64).collect();
    let mut left = UNITS - units.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..3).collect();
    order.sort_by(|&a, &b| {
        let ra = exact[a] - exact[a].floor();
        let rb = exact[b] - exact[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for k in order {
        if left == 0 {
            break;
        }
        units[k] += 1;
        left -= 1;
    }
    [0, 1, 2].map(|k| units[k] as f64 / UNITS as f64)
}

fn split_json(split: &Split) -> Value {
    let [b, a, f] = shares(split);
    let verdict = split.verdict();
    json!({
        "messages": split.messages(),
        "broadcasting": b,
        "answering": a,
        "facilitating": f,
        "counts": {
            "broadcasting": split.broadcasting,
            "answering": split.answering,
            "facilitating": split.facilitating,
        },
        "verdict": verdict.as_str(),
        "summary": summary(split),
    })
}

fn year_json(year: i32, split: &Split) -> Value {
    let [b, a, f] = shares(split);
    json!({
        "year": year,
        "messages": split.messages(),
        "broadcasting": b,
        "answering": a,
        "facilitating": f,
    })
}

/// The verdict in words.
fn summary(split: &Split) -> String {
    match split.verdict() {
        Verdict::TooFewMessages => format!(
            "too few messages for a verdict (fewer than {})",
            audit::MIN_MESSAGES
        ),
        Verdict::GetsManyTalking => "gets many talking to each other".to_owned(),
        Verdict::TalksToMany => format!("talks to many (mostly {})", split.mostly().as_str()),
    }
}

/// Whether welcomes are stored flags, the key of the window's end and the key of its space's
/// whole classification.
fn keys(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
) -> (bool, crate::memo::Key, crate::memo::Key) {
    let stored = crate::measures::measured(loaded);
    let key = crate::memo::Key::of(loaded, cx.as_of(), u64::from(stored));
    let index_key = crate::memo::Key::of(loaded, 0, u64::from(stored));
    (stored, key, index_key)
}

/// The audit's counts of the window without its messages: from the kept classification of
/// its end, or cut from the whole space's (nothing settled is copied), or [`classified`].
fn tally(loaded: &Loaded, cx: &hearth_analysis::Context<'_>) -> crate::Result<Audit> {
    let (_, key, index_key) = keys(loaded, cx);
    let m = &loaded.snapshot.messages;
    if let Some(all) = CLASSIFIED.get(&key) {
        let window = loaded.window;
        return Ok(audit::tally(
            cx,
            all.iter()
                .filter(|c| window.contains(m.time[c.message as usize]))
                .map(|c| (c.message, c.activity)),
        ));
    }
    if let Some(index) = INDEXES.get(&index_key)
        && let Some(counts) = audit::tally_cut(cx, &index, WHOLE.get(&index_key).as_deref())
    {
        return Ok(counts);
    }
    Ok(audit::summarize(cx, classified(loaded, cx)?))
}

/// Keeps `list`, the classification of a whole space, as [`WHOLE`] when its index is kept.
fn keep_whole(cx: &hearth_analysis::Context<'_>, index_key: crate::memo::Key, list: &[Classified]) {
    if let Some(index) = INDEXES.get(&index_key) {
        let whole = audit::Whole::new(cx, &index, list.to_vec());
        WHOLE.put(index_key, std::sync::Arc::new(whole));
    }
}

/// The brand messages of the window, classified: filtered from the classification of the
/// window without a start when it is kept, classified with the space's index when that is
/// kept, computed for the window alone otherwise (a command asks once).
fn classified(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
) -> crate::Result<Vec<Classified>> {
    let (stored, key, index_key) = keys(loaded, cx);
    let m = &loaded.snapshot.messages;
    let whole_space = loaded.window == hearth_analysis::Window::default();
    if let Some(all) = CLASSIFIED.get(&key) {
        if whole_space && WHOLE.get(&index_key).is_none() {
            keep_whole(cx, index_key, &all);
        }
        return Ok(all
            .iter()
            .filter(|c| loaded.window.contains(m.time[c.message as usize]))
            .cloned()
            .collect());
    }
    // With the space's index kept: the messages whose class had settled before the end come
    // from the whole classification when it is kept too (see `audit::classify_cut`).
    let kept = INDEXES
        .get(&index_key)
        .and_then(|index| audit::classify_cut(cx, &index, WHOLE.get(&index_key).as_deref()));
    let list = match kept {
        Some(list) => list,
        None => {
            let mut index = audit::Index::without_texts(cx, stored);
            // What the texts said is kept beside the store for the whole space: a command
            // (or a server started again) on the same data and rules reads no text.
            if !(whole_space && restore(loaded, cx, &mut index, stored)) {
                if whole_space {
                    // A restore that failed part way may have kept some: start again.
                    index = audit::Index::without_texts(cx, stored);
                }
                read_brand_texts(loaded, cx, &mut index)?;
                if whole_space {
                    keep(loaded, cx, &index, stored);
                }
            }
            // An index covers its own scope.
            let list = audit::classify_with(cx, &index).unwrap_or_default();
            if whole_space {
                INDEXES.put(index_key.clone(), std::sync::Arc::new(index));
            }
            list
        }
    };
    if loaded.window.since.is_none() {
        // Every message of the space up to the as-of moment: the whole classification.
        if whole_space {
            keep_whole(cx, index_key, &list);
        }
        CLASSIFIED.put(key, std::sync::Arc::new(list.clone()));
    }
    Ok(list)
}

/// Where what the brand's texts say to the audit is kept (see [`crate::kept_file`]).
const KEPT_FILE: &str = "audit.cache";
const KEPT_MAGIC: &[u8; 8] = b"HAUDIT01";
/// Spaces (and rules) kept at once.
const KEPT: usize = 4;

/// The key of a whole space's index: the store generation, the rules, the space, whether
/// welcomes are stored flags, the as-of moment and how many names the index knows.
fn kept_key(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    index: &audit::Index,
    stored: bool,
) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        loaded.generation,
        crate::memo::rules_key(&loaded.config).ok()?,
        loaded.space,
        stored,
        cx.as_of(),
        index.name_count(),
    )
        .hash(&mut h);
    Some(h.finish())
}

fn kept_path(loaded: &Loaded) -> Option<std::path::PathBuf> {
    Some(loaded.store.path().parent()?.join(KEPT_FILE))
}

/// Keeps what `index` read in the brand's texts: one row a message that names someone or
/// welcomes (message, welcome, name count, names; little-endian). Numbers only: no text and
/// no name leaves the store.
fn keep(loaded: &Loaded, cx: &hearth_analysis::Context<'_>, index: &audit::Index, stored: bool) {
    let (Some(path), Some(key)) = (kept_path(loaded), kept_key(loaded, cx, index, stored)) else {
        return;
    };
    let mut body = Vec::new();
    for (i, names, welcome) in index.kept() {
        body.extend_from_slice(&i.to_le_bytes());
        body.push(u8::from(welcome));
        body.extend_from_slice(&(names.len() as u32).to_le_bytes());
        for n in names {
            body.extend_from_slice(&n.to_le_bytes());
        }
    }
    crate::kept_file::put(&path, KEPT_MAGIC, key, body, KEPT);
}

/// Gives `index` what [`keep`] kept for the same data, rules and space; `false` when nothing
/// is kept for them or what is kept does not fit the index.
fn restore(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    index: &mut audit::Index,
    stored: bool,
) -> bool {
    let (Some(path), Some(key)) = (kept_path(loaded), kept_key(loaded, cx, index, stored)) else {
        return false;
    };
    let Some(body) = crate::kept_file::find(&path, KEPT_MAGIC, key) else {
        return false;
    };
    let mut rest = body.as_slice();
    let u32_of = |rest: &mut &[u8]| -> Option<u32> {
        let (head, tail) = rest.split_first_chunk::<4>()?;
        *rest = tail;
        Some(u32::from_le_bytes(*head))
    };
    while !rest.is_empty() {
        let Some(i) = u32_of(&mut rest) else {
            return false;
        };
        let Some((&welcome, tail)) = rest.split_first() else {
            return false;
        };
        rest = tail;
        let Some(k) = u32_of(&mut rest) else {
            return false;
        };
        let Some(names) = (0..k)
            .map(|_| u32_of(&mut rest))
            .collect::<Option<Vec<u32>>>()
        else {
            return false;
        };
        if welcome > 1 || !index.restore(cx, i, names, welcome == 1) {
            return false;
        }
    }
    tracing::debug!(path = %path.display(), "the brand's texts as the audit read them, kept");
    true
}

/// Brand messages read on the calling thread alone (below this, a worker costs more than
/// it saves).
const READ_ALONE: usize = 512;
/// Texts handed to the worker at a time.
const READ_BATCH: usize = 256;

/// Reads the text of every brand message the index wants (names and welcomes are read from
/// it) into the index. The texts come from SQLite on this thread while a worker reads what
/// they say, batch by batch: on two cores the reading of the store and of the words overlap,
/// and no more than a few batches of text are held at once.
fn read_brand_texts(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    index: &mut audit::Index,
) -> crate::Result<()> {
    let m = &loaded.snapshot.messages;
    let mut wanted: Vec<(i64, u32)> = index
        .wants_text(cx)
        .into_iter()
        .map(|i| (m.id[i as usize], i))
        .collect();
    wanted.sort_unstable();
    let ids: Vec<i64> = wanted.iter().map(|w| w.0).collect();
    let at: HashMap<i64, u32> = wanted.iter().copied().collect();
    if ids.len() < READ_ALONE {
        let mut found = Vec::with_capacity(ids.len());
        loaded.store.for_each_text(&ids, |id, _, body| {
            if let Some(&i) = at.get(&id) {
                found.push((i, index.read(body)));
            }
        })?;
        for (i, read) in found {
            index.keep(i, read);
        }
        return Ok(());
    }
    let shared = &*index;
    let (stored, found) = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(u32, String)>>(4);
        let worker = scope.spawn(move || {
            let mut found = Vec::new();
            for batch in rx {
                found.extend(batch.into_iter().map(|(i, text)| (i, shared.read(&text))));
            }
            found
        });
        let mut batch = Vec::with_capacity(READ_BATCH);
        let stored = loaded.store.for_each_text(&ids, |id, _, body| {
            if let Some(&i) = at.get(&id) {
                batch.push((i, body.to_owned()));
                if batch.len() == READ_BATCH {
                    // The worker only stops when this side hangs up.
                    let _ = tx.send(std::mem::replace(
                        &mut batch,
                        Vec::with_capacity(READ_BATCH),
                    ));
                }
            }
        });
        if !batch.is_empty() {
            let _ = tx.send(batch);
        }
        drop(tx);
        let found = worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (stored, found)
    });
    stored?;
    for (i, read) in found {
        index.keep(i, read);
    }
    Ok(())
}

fn example(loaded: &Loaded, c: &Classified) -> Value {
    let mut v = loaded.message(c.message, true);
    v["why"] = Value::String(why(loaded, c));
    v
}

/// Why a message got its activity, in one sentence.
fn why(loaded: &Loaded, c: &Classified) -> String {
    let m = &loaded.snapshot.messages;
    let name = |p: u32| loaded.person_name(p);
    let days_after = |j: u32| {
        let d = (m.time[j as usize] - m.time[c.message as usize]) as f64 / 86_400.0;
        if d < 1.0 {
            format!("{:.0} hours later", d * 24.0)
        } else {
            format!("{d:.0} days later")
        }
    };
    match &c.reason {
        Reason::NewThread => "starts a thread: addressed to everyone".to_owned(),
        Reason::InBrandThread => "continues a thread the brand started".to_owned(),
        Reason::ReplyToMember { member } => format!("replies to {}", name(*member)),
        Reason::InMemberThread => "replies inside a thread a member started".to_owned(),
        Reason::Introduction {
            members,
            a,
            b,
            message,
        } => format!(
            "names {} members; {} and {}, who had never talked, talked {} (message {})",
            members.len(),
            name(*a),
            name(*b),
            days_after(*message),
            m.id[*message as usize]
        ),
        Reason::Welcome { newcomer, message } => format!(
            "welcomes {} on their first message; they talked with a member {} (message {})",
            name(*newcomer),
            days_after(*message),
            m.id[*message as usize]
        ),
        Reason::MembersJoined { joined, message } => {
            let names: Vec<String> = joined.iter().take(3).map(|&p| name(p)).collect();
            let more = joined.len().saturating_sub(3);
            format!(
                "afterwards {} new to the thread answered other members{} — first {} (message {})",
                names.join(", "),
                if more > 0 {
                    format!(" (and {more} more)")
                } else {
                    String::new()
                },
                days_after(*message),
                m.id[*message as usize]
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_sum_to_one_after_rounding() {
        for (b, a, f) in [(1, 1, 1), (1, 2, 4), (7, 0, 0), (3, 3, 1), (0, 0, 0)] {
            let split = Split {
                broadcasting: b,
                answering: a,
                facilitating: f,
            };
            let s = shares(&split);
            let total: f64 = s.iter().sum();
            if b + a + f > 0 {
                assert!((total - 1.0).abs() < 1e-9, "{s:?}");
            }
        }
        let third = shares(&Split {
            broadcasting: 1,
            answering: 1,
            facilitating: 1,
        });
        assert_eq!(third, [0.3334, 0.3333, 0.3333]);
    }
}
