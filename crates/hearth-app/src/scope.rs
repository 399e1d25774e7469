//! What every use case shares: the scope (window and space), the loaded store with its
//! resolved snapshot, and how people and messages are shown in answers.

use crate::{AppError, Result, config};
use hearth_analysis::{Prepared, Window};
use hearth_model::Snapshot;
use hearth_store::Store;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The part of the data an answer covers: a window of time and optionally one space, as a
/// person types them (`--since 2025-01`, `?space=usrp-users.lists.ettus.com`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Deserialize)]
pub struct Scope {
    /// Start of the window (inclusive): YYYY-MM-DD, YYYY-MM or RFC 3339; UTC.
    pub since: Option<String>,
    /// End of the window (exclusive): YYYY-MM-DD, YYYY-MM or RFC 3339; UTC.
    pub until: Option<String>,
    /// Only this space (its name or native id, as `hearth report` lists them).
    pub space: Option<String>,
}

/// The window `since..until` typed by a person; `since` must come first.
pub fn window(since: Option<&str>, until: Option<&str>) -> Result<Window> {
    let w = Window {
        since: since.map(crate::dates::parse).transpose()?,
        until: until.map(crate::dates::parse).transpose()?,
    };
    if let (Some(s), Some(u)) = (w.since, w.until)
        && s >= u
    {
        crate::bail!("since must be before until");
    }
    Ok(w)
}

/// The store's snapshot with accounts joined into persons by the identity rules; problems
/// in the rules are logged as warnings.
pub fn resolved_snapshot(store: &Store, config: &hearth_model::Config) -> Result<Snapshot> {
    Ok(resolved_with_generation(store, config)?.1)
}

fn resolved_with_generation(
    store: &Store,
    config: &hearth_model::Config,
) -> Result<(i64, Snapshot)> {
    let (generation, raw) = store.snapshot_and_generation()?;
    let (mut snapshot, problems) = hearth_analysis::identity::resolve(raw, &config.identity);
    config.replies.apply(&mut snapshot);
    for p in problems {
        tracing::warn!("{p}");
    }
    Ok((generation, snapshot))
}

/// The last resolved snapshot and its prepared view, kept in the process under what they
/// were made from: the data directory, the store's generation (bumped by every write:
/// ingests, merges, splits, erasures, measures) and the rules. A server computing many answers
/// of one generation resolves it once instead of once an answer; a command loads it once
/// anyway.
type Resolved = (Arc<Snapshot>, Arc<Prepared>);
type ResolvedKey = (PathBuf, i64, String);

fn memo() -> &'static Mutex<Option<(ResolvedKey, Resolved)>> {
    static MEMO: OnceLock<Mutex<Option<(ResolvedKey, Resolved)>>> = OnceLock::new();
    MEMO.get_or_init(|| Mutex::new(None))
}

/// The resolved snapshot and prepared view of `data`, with the store generation they are of.
fn resolved_shared(
    data: &Path,
    store: &Store,
    config: &hearth_model::Config,
) -> Result<(Resolved, i64)> {
    let rules = serde_json::to_string(config)?;
    let generation = store.generation()?;
    if let Some((key, hit)) = crate::memo::lock(memo()).as_ref()
        && key.0 == data
        && key.1 == generation
        && key.2 == rules
    {
        return Ok((hit.clone(), generation));
    }
    let (generation, snapshot) = resolved_with_generation(store, config)?;
    tracing::debug!(generation, data = %data.display(), "resolved the snapshot");
    let prepared = Prepared::new(&snapshot, config);
    let made: Resolved = (Arc::new(snapshot), Arc::new(prepared));
    *crate::memo::lock(memo()) = Some(((data.to_path_buf(), generation, rules), made.clone()));
    Ok((made, generation))
}

/// Opens the store of `data`, or says how to make one.
pub fn open_store(data: &Path) -> Result<Store> {
    if !data.join(hearth_store::STORE_FILE).exists() {
        return Err(AppError::NoStore {
            dir: data.display().to_string(),
        });
    }
    let mut store = Store::open(data)?;
    let marked = store.mark_replies_of_older_model(crate::ingest::REPLY_MODEL_VERSION)?;
    if marked > 0 {
        tracing::warn!(
            spaces = marked,
            method = crate::ingest::INFERENCE_METHOD,
            "replies were inferred by an older model: inferring them again"
        );
    }
    crate::ingest::repair_if_idle(data, &mut store)?;
    Ok(store)
}

/// The store, its resolved snapshot and what every metric needs.
pub struct Loaded {
    pub store: Store,
    /// The rules of `hearth.toml` the answers were computed with.
    pub config: hearth_model::Config,
    pub snapshot: Arc<Snapshot>,
    pub prepared: Arc<Prepared>,
    pub window: Window,
    pub space: Option<u32>,
    /// The store generation the snapshot was read at (see [`hearth_store::Store::generation`]).
    pub generation: i64,
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("messages", &self.snapshot.messages.len())
            .finish()
    }
}

/// Opens `data` and loads what the scope's answers need.
pub fn load(data: &Path, scope: &Scope) -> Result<Loaded> {
    let window = window(scope.since.as_deref(), scope.until.as_deref())?;
    let config = config::load(data)?;
    let store = open_store(data)?;
    crate::measures::refresh_if_idle(data, &store, &config)?;
    let ((snapshot, prepared), generation) = resolved_shared(data, &store, &config)?;
    let space = match &scope.space {
        None => None,
        Some(name) => Some(
            snapshot
                .spaces
                .iter()
                .position(|s| &s.name == name || &s.native_id == name)
                .map(|p| p as u32)
                .ok_or_else(|| {
                    let known: Vec<&str> =
                        snapshot.spaces.iter().map(|s| s.name.as_str()).collect();
                    AppError::NotFound(format!(
                        "no space named {name:?}; known: {}",
                        known.join(", ")
                    ))
                })?,
        ),
    };
    Ok(Loaded {
        store,
        config,
        snapshot,
        prepared,
        window,
        space,
        generation,
    })
}

impl Loaded {
    /// The same scope, snapshot and rules with a store connection of its own: for work done
    /// on another thread (a connection is used by one thread at a time).
    pub fn again(&self) -> Result<Loaded> {
        let dir = self.store.path().parent().unwrap_or(Path::new("."));
        Ok(Loaded {
            store: Store::open(dir)?,
            config: self.config.clone(),
            snapshot: self.snapshot.clone(),
            prepared: self.prepared.clone(),
            window: self.window,
            space: self.space,
            generation: self.generation,
        })
    }

    pub fn context(&self) -> hearth_analysis::Context<'_> {
        hearth_analysis::Context::new(&self.snapshot, &self.prepared, self.window, self.space)
    }

    pub fn person(&self, p: u32) -> Value {
        match self.snapshot.persons.get(p as usize) {
            Some(info) => json!({
                "id": info.id.0,
                "name": info.display_name,
                "role": self.prepared.roles[p as usize].role.as_str(),
            }),
            None => Value::Null,
        }
    }

    pub fn person_name(&self, p: u32) -> String {
        self.snapshot
            .persons
            .get(p as usize)
            .map_or_else(|| "?".to_owned(), |i| i.display_name.clone())
    }

    pub fn space_name(&self, s: u32) -> String {
        self.snapshot
            .spaces
            .get(s as usize)
            .map_or_else(|| "?".to_owned(), |i| i.name.clone())
    }

    /// A message for drill-down: store id, `ref` (source and the export's own id, stable
    /// across stores), time, author, space and (when `excerpt`) the first words of its own
    /// text.
    pub fn message(&self, i: u32, excerpt: bool) -> Value {
        // Kept per resolved snapshot: pages show the same messages again (the latest examples
        // of the role audit in every window, queue items, alerts), and an excerpt costs
        // reading the text and stripping quotes and signatures.
        const KEEP: usize = 50_000;
        static SEEN: crate::memo::Memo<Mutex<HashMap<(u32, bool), Value>>> =
            crate::memo::Memo::new(2);
        let key = crate::memo::Key::of(self, 0, 0);
        let seen = SEEN.get(&key).unwrap_or_else(|| {
            let made = Arc::new(Mutex::new(HashMap::new()));
            SEEN.put(key, made.clone());
            made
        });
        if let Some(v) = crate::memo::lock(&seen).get(&(i, excerpt)) {
            return v.clone();
        }
        let v = self.message_uncached(i, excerpt);
        let mut seen = crate::memo::lock(&seen);
        if seen.len() < KEEP {
            seen.insert((i, excerpt), v.clone());
        }
        v
    }

    fn message_uncached(&self, i: u32, excerpt: bool) -> Value {
        self.message_later(i).shown(&self.store, excerpt)
    }

    /// Message `i` as [`Loaded::message`] shows it, with what comes from the store (its
    /// reference and excerpt) read only when it is shown: a list of thousands whose pages
    /// show a hundred keeps these.
    pub fn message_later(&self, i: u32) -> MessageLater {
        let m = &self.snapshot.messages;
        let i = i as usize;
        MessageLater {
            id: m.id[i],
            time: m.time[i],
            author: self.person_name(m.author[i]),
            space: self.space_name(m.space[i]),
        }
    }
}

/// A message whose reference and excerpt are read from the store when it is shown
/// ([`Loaded::message_later`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageLater {
    id: i64,
    time: i64,
    author: String,
    space: String,
}

impl MessageLater {
    /// The message as [`Loaded::message`] shows it.
    pub fn shown(&self, store: &Store, excerpt: bool) -> Value {
        let mut v = json!({
            "message": self.id,
            "time": hearth_report::iso(self.time),
            "author": self.author,
            "space": self.space,
        });
        if let Ok(Some((source, native))) = store.message_ref(hearth_model::MessageId(self.id)) {
            v["ref"] = Value::String(format!("{source}:{native}"));
        }
        if excerpt && let Ok(Some(text)) = store.message_text(hearth_model::MessageId(self.id)) {
            v["excerpt"] = Value::String(excerpt_of(&text));
        }
        v
    }
}

/// The first 120 characters of a message's own words, on one line.
pub fn excerpt_of(text: &str) -> String {
    let own = hearth_analysis::text::sentiment::own_words(text);
    let flat: String = own.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = flat.chars().take(120).collect();
    if flat.chars().count() > 120 {
        out.push('…');
    }
    out
}
