//! Reading exports into the store: batched transactions, duplicate detection, parent linking.

use crate::{Store, StoreError};
use hearth_model::{RawAccount, RawMessage};
use hearth_sources::{Diagnostic, ReadError, Reader, Severity, Sink, SinkError};
use rusqlite::{Connection, OptionalExtension, Statement, params};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Messages per transaction by default ([`Store::set_batch_size`] changes it). A kill during ingest loses at most this many (uncommitted)
/// messages; reading the file again adds them.
pub const BATCH: usize = 50_000;

/// How far an ingest has come, for progress bars.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub file: &'a Path,
    /// Bytes of `file` read so far.
    pub bytes: u64,
}

/// What happened to one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSummary {
    pub path: PathBuf,
    /// Good messages the reader produced.
    pub read: u64,
    /// Of those, new to the store.
    pub added: u64,
    /// Of those, already in the store (or earlier in this run).
    pub duplicates: u64,
    /// Records the reader skipped.
    pub skipped: u64,
    /// Of the messages read, those of erased people: kept anonymous and textless, or left
    /// out when their erasure dropped their messages.
    pub erased: u64,
    pub skipped_by_reason: BTreeMap<&'static str, u64>,
    /// Messages kept with a repair (e.g. a derived id), by reason.
    pub notes_by_reason: BTreeMap<&'static str, u64>,
    /// The first diagnostics of this file: the first of each reason, then up to
    /// [`KEEP_DIAGNOSTICS`] skips and [`KEEP_NOTES`] notes.
    pub diagnostics: Vec<Diagnostic>,
}

/// Skipped-record diagnostics kept per file for display (all are counted by reason, and the
/// first of each reason is always kept).
pub const KEEP_DIAGNOSTICS: usize = 100;
/// Notes kept per file for display, beside the skips.
pub const KEEP_NOTES: usize = 20;

/// What happened to a whole ingest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestSummary {
    pub source: String,
    pub files: Vec<FileSummary>,
    /// Replies linked to their parent by this ingest: when stored (parent already there),
    /// or afterwards (replies, also from earlier ingests, whose parent arrived now).
    pub parents_linked: u64,
    /// Chat messages given an inferred parent after this ingest (set by the caller that runs
    /// reply inference; the store itself infers nothing).
    pub replies_inferred: u64,
}

impl IngestSummary {
    pub fn read(&self) -> u64 {
        self.files.iter().map(|f| f.read).sum()
    }
    pub fn added(&self) -> u64 {
        self.files.iter().map(|f| f.added).sum()
    }
    pub fn duplicates(&self) -> u64 {
        self.files.iter().map(|f| f.duplicates).sum()
    }
    pub fn skipped(&self) -> u64 {
        self.files.iter().map(|f| f.skipped).sum()
    }
    pub fn skipped_by_reason(&self) -> BTreeMap<&'static str, u64> {
        let mut all = BTreeMap::new();
        for f in &self.files {
            for (k, v) in &f.skipped_by_reason {
                *all.entry(*k).or_default() += v;
            }
        }
        all
    }
}

impl Store {
    /// Reads `units` (files, or dump folders: see [`Reader::units`]) with `reader` into the
    /// store. Each unit's records are committed in batches of [`BATCH`]; its summary row is
    /// committed with its last batch.
    /// Bad records are skipped and reported in the summary; only IO and store errors stop
    /// the ingest (and roll back the batch in flight).
    pub fn ingest(
        &mut self,
        reader: &dyn Reader,
        units: &[PathBuf],
        on_progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<IngestSummary, StoreError> {
        let source_id = self.source_id(reader.id())?;
        let mut summary = IngestSummary {
            source: reader.id().to_owned(),
            ..IngestSummary::default()
        };
        let mut spaces = HashMap::new();
        let mut accounts = HashMap::new();
        // A first ingest that measures every message leaves the measures complete.
        let fresh = self.measurer.is_some() && self.message_count()? == 0;
        // New words of a file rolled back go with it: the ingest stops there.
        let mut vocab = if self.measurer.is_some() {
            crate::terms::Vocab::load(&self.conn)?
        } else {
            crate::terms::Vocab::default()
        };
        for path in units {
            tracing::debug!(path = %path.display(), "reading");
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            let outcome = (|| -> Result<(FileSummary, u64), StoreError> {
                let mut sink = IngestSink::new(
                    &self.conn,
                    self.batch,
                    (source_id, reader.id(), reader.chat()),
                    path,
                    &mut spaces,
                    &mut accounts,
                    on_progress,
                    self.measurer.as_ref(),
                    &mut vocab,
                )?;
                read_pipelined(reader, path, &mut sink)?;
                let file = std::mem::take(&mut sink.summary);
                let linked = sink.linked;
                drop(sink);
                self.conn.execute(
                    "INSERT INTO ingests (source_id, path, finished_at, read, added, duplicates,
                                          skipped, skipped_by_reason)
                     VALUES (?1, ?2, unixepoch(), ?3, ?4, ?5, ?6, ?7)",
                    params![
                        source_id,
                        path.to_string_lossy(),
                        file.read as i64,
                        file.added as i64,
                        file.duplicates as i64,
                        file.skipped as i64,
                        serde_json::to_string(&file.skipped_by_reason).unwrap_or_default(),
                    ],
                )?;
                Ok((file, linked))
            })();
            match outcome {
                Ok((file, linked)) => {
                    summary.parents_linked += linked;
                    crate::bump_generation(&self.conn)?;
                    self.conn.execute_batch("COMMIT")?;
                    tracing::info!(
                        path = %path.display(),
                        read = file.read,
                        added = file.added,
                        skipped = file.skipped,
                        "file ingested"
                    );
                    summary.files.push(file);
                }
                Err(e) => {
                    // The batch in flight is lost; committed batches stay (and dedupe on re-read).
                    let _ = self.conn.execute_batch("ROLLBACK");
                    // Cached ids may name rows that were rolled back.
                    return Err(e);
                }
            }
        }
        if let (true, Some(m)) = (fresh, &self.measurer) {
            let tx = self.conn.unchecked_transaction()?;
            crate::measures::complete(&tx, m.key)?;
            crate::bump_generation(&tx)?;
            tx.commit()?;
        }
        let started = std::time::Instant::now();
        summary.parents_linked += self.link_parents(source_id)?;
        tracing::info!(
            linked = summary.parents_linked,
            seconds = started.elapsed().as_secs_f64(),
            "replies linked to their parents"
        );
        Ok(summary)
    }

    fn source_id(&self, kind: &str) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO sources (kind) VALUES (?1) ON CONFLICT (kind) DO NOTHING",
            [kind],
        )?;
        Ok(self
            .conn
            .query_row("SELECT id FROM sources WHERE kind = ?1", [kind], |r| {
                r.get(0)
            })?)
    }

    /// Sets `parent_id` on every message of the source whose stated parent is now stored,
    /// and clears the source's pending mark in the same transaction.
    pub fn link_parents(&mut self, source_id: i64) -> Result<u64, StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM pending WHERE kind = 'links' AND id = ?1",
            [source_id],
        )?;
        let n = tx.execute(
            "UPDATE messages AS m
                SET parent_id = p.id
               FROM messages AS p
              WHERE m.source_id = ?1
                AND m.parent_id IS NULL
                AND m.parent_native IS NOT NULL
                AND p.source_id = m.source_id
                AND p.native_id = m.parent_native",
            [source_id],
        )?;
        if n > 0 {
            crate::bump_generation(&tx)?;
        }
        tx.commit()?;
        Ok(n as u64)
    }
}

/// What the reading thread hands to the writing thread. Events travel in groups (a `Vec`
/// per [`GROUP`]), so the message variant's size costs no allocation; boxing it would.
#[allow(clippy::large_enum_variant)]
enum Event {
    Message(RawMessage),
    Diagnostic(Diagnostic),
    Progress(u64),
}

/// Events travel in groups of this many, to keep channel overhead off the hot path.
const GROUP: usize = 256;
/// Groups in flight between the two threads (bounds memory).
const GROUPS_IN_FLIGHT: usize = 16;

/// The reading thread's sink: groups events, numbers the groups, measures the messages'
/// text when the ingest measures, and sends each group to the writer.
///
/// Measuring is most of the reading side's work for mail. When the writer is found waiting
/// for groups ([`STARVED`] times: the reading side is the slower), a measuring worker is
/// started; from then on a group goes to the worker, or is measured here when the worker is
/// still busy with the ones before it, so that both cores stay busy. The writer puts the
/// groups back in order. A file of few groups, or one whose writer is the slower side (chat
/// lines are short and cheap to measure), never starts the worker, nor pays for its thread
/// and its malloc arena.
struct ChannelSink<'m, 'scope, 'env> {
    tx: std::sync::mpsc::SyncSender<Measured>,
    measurer: Option<&'m crate::measures::Measurer>,
    group: Vec<Event>,
    /// The number of the next group.
    next: u64,
    /// Groups sent and not yet taken by the writer.
    in_flight: &'env std::sync::atomic::AtomicUsize,
    /// Times the writer was found waiting, before the worker started.
    starved: u32,
    scope: &'scope std::thread::Scope<'scope, 'env>,
    worker: Option<Worker<'scope>>,
}

/// The measuring worker: its queue and its thread.
struct Worker<'scope> {
    queue: std::sync::mpsc::SyncSender<(u64, Vec<Event>)>,
    thread: std::thread::ScopedJoinHandle<'scope, ()>,
}

/// Times the writer must be found waiting before the measuring worker starts.
const STARVED: u32 = 2;
/// Groups queued for the measuring worker: when it holds this many, the reading thread
/// measures the next group itself.
const MEASURE_QUEUE: usize = 2;

impl<'m: 'scope, 'scope, 'env> ChannelSink<'m, 'scope, 'env> {
    fn push(&mut self, e: Event) -> Result<(), SinkError> {
        self.group.push(e);
        if self.group.len() >= GROUP {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), SinkError> {
        use std::sync::atomic::Ordering;
        if self.group.is_empty() {
            return Ok(());
        }
        let stopped = || SinkError::from("the store stopped taking messages");
        let group = std::mem::replace(&mut self.group, Vec::with_capacity(GROUP));
        let seq = self.next;
        self.next += 1;
        if let Some(me) = self.measurer
            && self.worker.is_none()
            && self.in_flight.load(Ordering::Relaxed) == 0
        {
            self.starved += 1;
            if self.starved >= STARVED {
                self.worker = Some(self.start_worker(me));
            }
        }
        let group = match &self.worker {
            Some(worker) => match worker.queue.try_send((seq, group)) {
                Ok(()) => return Ok(()),
                Err(std::sync::mpsc::TrySendError::Full((_, group))) => group,
                Err(std::sync::mpsc::TrySendError::Disconnected(_)) => return Err(stopped()),
            },
            None => group,
        };
        let measures = measure_group(self.measurer, &group);
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        self.tx.send((seq, group, measures)).map_err(|_| stopped())
    }

    fn start_worker(&self, me: &'m crate::measures::Measurer) -> Worker<'scope> {
        let (queue, groups) = std::sync::mpsc::sync_channel::<(u64, Vec<Event>)>(MEASURE_QUEUE);
        let (done, in_flight) = (self.tx.clone(), self.in_flight);
        let thread = self.scope.spawn(move || {
            for (seq, group) in groups {
                let measures = measure_group(Some(me), &group);
                in_flight.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if done.send((seq, group, measures)).is_err() {
                    break;
                }
            }
        });
        Worker { queue, thread }
    }

    /// Sends the last group, then waits for the worker to hand over what it holds; an error
    /// if the worker panicked.
    fn finish(mut self) -> Result<(), SinkError> {
        let flushed = self.flush();
        if let Some(Worker { queue, thread }) = self.worker.take() {
            drop(queue);
            if thread.join().is_err() {
                return Err(SinkError::from("the text measuring thread panicked"));
            }
        }
        flushed
    }
}

/// Each message's text measures, when the ingest measures.
fn measure_group(
    measurer: Option<&crate::measures::Measurer>,
    group: &[Event],
) -> Vec<Option<hearth_model::Measured>> {
    let Some(me) = measurer else {
        return Vec::new();
    };
    group
        .iter()
        .map(|e| match e {
            Event::Message(m) => Some((me.measure)(m.subject.as_deref().unwrap_or(""), &m.text)),
            _ => None,
        })
        .collect()
}

impl<'m: 'scope, 'scope, 'env> Sink for ChannelSink<'m, 'scope, 'env> {
    fn message(&mut self, message: RawMessage) -> Result<(), SinkError> {
        self.push(Event::Message(message))
    }

    fn diagnostic(&mut self, diagnostic: Diagnostic) {
        let _ = self.push(Event::Diagnostic(diagnostic));
    }

    fn progress(&mut self, bytes: u64) {
        let _ = self.push(Event::Progress(bytes));
    }
}

/// A group's number, its events and, when the ingest measures, each message's text measures.
type Measured = (u64, Vec<Event>, Vec<Option<hearth_model::Measured>>);

/// Numbered items put back in their order: each is handed out once every item numbered
/// before it has been.
struct InOrder<T> {
    next: u64,
    /// Items that arrived before one numbered lower (a few at most: the worker's queue).
    early: std::collections::BTreeMap<u64, T>,
}

impl<T> Default for InOrder<T> {
    fn default() -> Self {
        InOrder {
            next: 0,
            early: std::collections::BTreeMap::new(),
        }
    }
}

impl<T> InOrder<T> {
    fn arrive(&mut self, seq: u64, item: T) {
        self.early.insert(seq, item);
    }

    /// The next item in order, if it has arrived.
    fn next_ready(&mut self) -> Option<T> {
        let item = self.early.remove(&self.next)?;
        self.next += 1;
        Some(item)
    }

    /// Items held for one that has not arrived.
    fn waiting(&self) -> usize {
        self.early.len()
    }
}

/// Reads one file on a second thread while this thread writes to SQLite: parsing (and
/// measuring the text, on up to two threads: [`ChannelSink`]) and storing overlap on two
/// cores. Order is kept: groups are numbered, and this thread writes them in their order. A
/// store error stops the reader (its next send fails); a read error arrives after the
/// messages read before it, which are written.
fn read_pipelined(
    reader: &dyn Reader,
    path: &Path,
    sink: &mut IngestSink<'_, '_>,
) -> Result<(), StoreError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let measurer = sink.measurer;
    let in_flight = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Measured>(GROUPS_IN_FLIGHT);
        let in_flight = &in_flight;
        let handle = scope.spawn(move || {
            let mut channel = ChannelSink {
                tx,
                measurer,
                group: Vec::with_capacity(GROUP),
                next: 0,
                in_flight,
                starved: 0,
                scope,
                worker: None,
            };
            let result = reader.read(path, &mut channel);
            let finished = channel.finish();
            result.and_then(|()| {
                finished.map_err(|source| ReadError::Sink {
                    path: path.to_path_buf(),
                    source,
                })
            })
        });
        let mut written: Result<(), StoreError> = Ok(());
        let mut order = InOrder::default();
        'groups: for (seq, group, measures) in rx.iter() {
            in_flight.fetch_sub(1, Ordering::Relaxed);
            order.arrive(seq, (group, measures));
            while let Some((group, mut measures)) = order.next_ready() {
                for (n, event) in group.into_iter().enumerate() {
                    let step = match event {
                        Event::Message(m) => {
                            let measured = measures.get_mut(n).and_then(Option::take);
                            sink.store(m, measured)
                        }
                        Event::Diagnostic(d) => {
                            sink.diagnostic(d);
                            Ok(())
                        }
                        Event::Progress(b) => {
                            sink.progress(b);
                            Ok(())
                        }
                    };
                    if let Err(e) = step {
                        written = Err(e);
                        break 'groups;
                    }
                }
            }
        }
        drop(rx);
        let mut read = handle.join().unwrap_or_else(|_| {
            Err(ReadError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::other("the reader thread panicked"),
            })
        });
        if read.is_ok() && written.is_ok() && order.waiting() > 0 {
            // Never reached: every group numbered before these arrived, or a thread failed.
            read = Err(ReadError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::other(format!(
                    "{} groups of records arrived without the ones before them",
                    order.waiting()
                )),
            });
        }
        // A store error comes first: the reader only failed because the store stopped.
        written?;
        read.map_err(StoreError::from)
    })
}

/// What an ingest remembers of an account it has written or read.
struct KnownAccount {
    id: i64,
    flags: Vec<String>,
    named: bool,
}

/// Receives one file's records and writes them inside the open transaction.
struct IngestSink<'c, 'p> {
    conn: &'c Connection,
    batch: usize,
    source_id: i64,
    source: &'static str,
    path: &'p Path,
    spaces: &'p mut HashMap<String, i64>,
    accounts: &'p mut HashMap<String, KnownAccount>,
    on_progress: &'p mut dyn FnMut(Progress<'_>),
    /// Chat: spaces with new messages are marked for reply inference.
    chat: bool,
    /// Spaces marked pending (replies) in this file, and whether the source's parent links are.
    marked_spaces: std::collections::HashSet<i64>,
    marked_links: bool,
    /// Keyed hashes of erased accounts, and what each account id of this ingest turned out
    /// to be: `Some((erasure, anonymous person))` for an erased one.
    erased: crate::erase::ErasedKeys,
    erased_seen: HashMap<String, Option<(i64, Option<i64>)>>,
    insert_message: Statement<'c>,
    insert_text: Statement<'c>,
    upsert_metrics: Statement<'c>,
    find_message: Statement<'c>,
    insert_mention: Statement<'c>,
    /// Text measures of each new message, computed while its text is here.
    measurer: Option<&'c crate::measures::Measurer>,
    insert_measure: Statement<'c>,
    /// The theme terms' vocabulary (loaded once an ingest).
    vocab: &'p mut crate::terms::Vocab,
    in_batch: usize,
    linked: u64,
    summary: FileSummary,
}

impl<'c, 'p> IngestSink<'c, 'p> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        conn: &'c Connection,
        batch: usize,
        (source_id, source, chat): (i64, &'static str, bool),
        path: &'p Path,
        spaces: &'p mut HashMap<String, i64>,
        accounts: &'p mut HashMap<String, KnownAccount>,
        on_progress: &'p mut dyn FnMut(Progress<'_>),
        measurer: Option<&'c crate::measures::Measurer>,
        vocab: &'p mut crate::terms::Vocab,
    ) -> Result<Self, StoreError> {
        // Messages measured with another key (or not at all) leave the measures incomplete.
        if measurer.map(|m| m.key) != crate::measures::state(conn)? {
            crate::measures::invalidate(conn)?;
        }
        Ok(IngestSink {
            measurer,
            vocab,
            insert_measure: conn.prepare(crate::measures::INSERT)?,
            conn,
            batch,
            source_id,
            source,
            path,
            spaces,
            accounts,
            on_progress,
            chat,
            marked_spaces: std::collections::HashSet::new(),
            marked_links: false,
            erased: crate::erase::ErasedKeys::load(conn)?,
            erased_seen: HashMap::new(),
            insert_message: conn.prepare(
                "INSERT INTO messages (source_id, native_id, space_id, account_id, time,
                                       subject, parent_native, parent_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (source_id, native_id) DO NOTHING",
            )?,
            find_message: conn
                .prepare("SELECT id FROM messages WHERE source_id = ?1 AND native_id = ?2")?,
            insert_mention: conn.prepare(
                "INSERT INTO mentions (message_id, account_id) VALUES (?1, ?2)
                 ON CONFLICT DO NOTHING",
            )?,
            insert_text: conn
                .prepare("INSERT INTO message_text (message_id, body) VALUES (?1, ?2)")?,
            upsert_metrics: conn.prepare(
                "INSERT OR REPLACE INTO post_metrics (message_id, impressions, reach, reactions,
                     comments, shares, clicks, engagements, conversions, cost, value, followers,
                     video_views, follows, format)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?,
            in_batch: 0,
            linked: 0,
            summary: FileSummary {
                path: path.to_path_buf(),
                ..FileSummary::default()
            },
        })
    }

    fn space_id(&mut self, m: &RawMessage) -> Result<i64, StoreError> {
        if let Some(id) = self.spaces.get(&m.space) {
            return Ok(*id);
        }
        self.conn.execute(
            "INSERT INTO spaces (source_id, native_id, name) VALUES (?1, ?2, ?3)
             ON CONFLICT (source_id, native_id) DO NOTHING",
            params![self.source_id, m.space, m.space_name],
        )?;
        let id: i64 = self.conn.query_row(
            "SELECT id FROM spaces WHERE source_id = ?1 AND native_id = ?2",
            params![self.source_id, m.space],
            |r| r.get(0),
        )?;
        self.spaces.insert(m.space.clone(), id);
        Ok(id)
    }

    /// The account's row id, creating the account (and its person) when new. What a message
    /// adds to a known account is kept: new platform flags are merged in, and a name replaces
    /// a missing one (an account first seen as a mention has no name yet).
    fn account_id(&mut self, a: &RawAccount) -> Result<i64, StoreError> {
        if let Some(known) = self.accounts.get(&a.native_id) {
            let adds_flag = a.flags.iter().any(|f| !known.flags.contains(f));
            let adds_name = !known.named && a.display_name.is_some();
            if !adds_flag && !adds_name {
                return Ok(known.id);
            }
        }
        let existing: Option<(i64, String, Option<String>, i64)> = self
            .conn
            .query_row(
                "SELECT id, flags, display_name, person_id FROM accounts
                  WHERE source_id = ?1 AND native_id = ?2",
                params![self.source_id, a.native_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let known = match existing {
            Some((id, flags, name, person)) => {
                let mut flags: Vec<String> = serde_json::from_str(&flags).unwrap_or_default();
                let before = flags.len();
                for f in &a.flags {
                    if !flags.contains(f) {
                        flags.push(f.clone());
                    }
                }
                if flags.len() != before {
                    self.conn.execute(
                        "UPDATE accounts SET flags = ?1 WHERE id = ?2",
                        params![serde_json::to_string(&flags).unwrap_or_default(), id],
                    )?;
                }
                let mut named = name.is_some();
                if let (false, Some(new_name)) = (named, &a.display_name) {
                    self.conn.execute(
                        "UPDATE accounts SET display_name = ?1,
                                             username = coalesce(username, ?3),
                                             email = coalesce(email, ?4)
                          WHERE id = ?2",
                        params![new_name, id, a.username, a.email],
                    )?;
                    // The person was named after the account id; give it the real name.
                    self.conn.execute(
                        "UPDATE persons SET display_name = ?1 WHERE id = ?2 AND display_name = ?3",
                        params![new_name, person, a.native_id],
                    )?;
                    named = true;
                }
                KnownAccount { id, flags, named }
            }
            None => {
                let name = a.display_name.as_deref().unwrap_or(&a.native_id);
                self.conn
                    .execute("INSERT INTO persons (display_name) VALUES (?1)", [name])?;
                let person = self.conn.last_insert_rowid();
                self.conn.execute(
                    "INSERT INTO accounts (source_id, native_id, display_name, email, flags,
                                           person_id, username)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        self.source_id,
                        a.native_id,
                        a.display_name,
                        a.email,
                        serde_json::to_string(&a.flags).unwrap_or_else(|_| "[]".to_owned()),
                        person,
                        a.username,
                    ],
                )?;
                KnownAccount {
                    id: self.conn.last_insert_rowid(),
                    flags: a.flags.clone(),
                    named: a.display_name.is_some(),
                }
            }
        };
        let id = known.id;
        self.accounts.insert(a.native_id.clone(), known);
        Ok(id)
    }

    fn write_metrics(&mut self, id: i64, p: &hearth_model::PostMetrics) -> Result<(), StoreError> {
        self.upsert_metrics.execute(params![
            id,
            p.impressions,
            p.reach,
            p.reactions,
            p.comments,
            p.shares,
            p.clicks,
            p.engagements,
            p.conversions,
            p.cost,
            p.value,
            p.followers,
            p.video_views,
            p.follows,
            p.format,
        ])?;
        Ok(())
    }

    /// The erasure that covers account `a`, if any (remembered for the ingest).
    fn erasure_of(&mut self, native_id: &str, email: Option<&str>) -> Option<(i64, Option<i64>)> {
        if let Some(known) = self.erased_seen.get(native_id) {
            return *known;
        }
        let found = self.erased.find(self.source, native_id, email);
        self.erased_seen.insert(native_id.to_owned(), found);
        found
    }

    /// An account id for `a`: its own, or for an erased account the anonymous one of its
    /// erasure; `None` when the erasure dropped its messages.
    fn author_id(&mut self, a: &RawAccount) -> Result<Option<i64>, StoreError> {
        match self.erasure_of(&a.native_id, a.email.as_deref()) {
            None => self.account_id(a).map(Some),
            Some((_, None)) => Ok(None),
            Some((erasure, Some(person))) => {
                crate::erase::anonymous_account(self.conn, self.source_id, erasure, person)
                    .map(Some)
            }
        }
    }

    /// Stores one message; `measured` are its text measures when a measuring thread computed
    /// them (else the measurer, if any, runs here).
    fn store(
        &mut self,
        mut m: RawMessage,
        measured: Option<hearth_model::Measured>,
    ) -> Result<(), StoreError> {
        let space = self.space_id(&m)?;
        let account = match self.author_id(&m.author)? {
            Some(a) => a,
            None => {
                // Erased, and their messages dropped: it stays out.
                self.summary.read += 1;
                self.summary.erased += 1;
                return Ok(());
            }
        };
        let erased = self
            .erased_seen
            .get(&m.author.native_id)
            .is_some_and(Option::is_some);
        if erased {
            // Erased: kept as an anonymous, textless record (counted, never shown).
            m.text.clear();
            m.subject = None;
            self.summary.erased += 1;
        }
        // Most parents are already stored (archives run in time order); the rest are
        // linked at the end of the ingest.
        let parent_id: Option<i64> = match &m.parent {
            Some(p) => self
                .find_message
                .query_row(params![self.source_id, p], |r| r.get(0))
                .optional()?,
            None => None,
        };
        let inserted = self.insert_message.execute(params![
            self.source_id,
            m.native_id,
            space,
            account,
            m.time,
            m.subject,
            m.parent,
            parent_id,
        ])?;
        self.summary.read += 1;
        if inserted == 0 {
            self.summary.duplicates += 1;
            // A later analytics export of the same post carries newer counts.
            if let Some(metrics) = &m.metrics {
                let id: i64 = self
                    .find_message
                    .query_row(params![self.source_id, m.native_id], |r| r.get(0))?;
                self.write_metrics(id, metrics)?;
            }
            return Ok(());
        }
        let id = self.conn.last_insert_rowid();
        // Derived data to compute is marked in the same transaction as the message, so a kill
        // before it is computed leaves the mark for the next run.
        if self.chat && self.marked_spaces.insert(space) {
            self.conn.execute(
                "INSERT OR IGNORE INTO pending (kind, id) VALUES ('replies', ?1)",
                [space],
            )?;
        }
        if m.parent.is_some() && parent_id.is_none() && !self.marked_links {
            self.conn.execute(
                "INSERT OR IGNORE INTO pending (kind, id) VALUES ('links', ?1)",
                [self.source_id],
            )?;
            self.marked_links = true;
        }
        if let Some(metrics) = &m.metrics {
            self.write_metrics(id, metrics)?;
        }
        self.insert_text.execute(params![id, m.text])?;
        if let Some(measurer) = self.measurer {
            // An erased author's text was emptied after it was measured: measure it again.
            let measure = match measured {
                Some(x) if !erased => x,
                _ => (measurer.measure)(m.subject.as_deref().unwrap_or(""), &m.text),
            };
            crate::measures::insert(
                self.conn,
                &mut self.insert_measure,
                self.vocab,
                id,
                measurer.key,
                &measure,
            )?;
        }
        for mentioned in &m.mentions {
            let Some(account) = self.author_id(&RawAccount {
                native_id: mentioned.clone(),
                ..RawAccount::default()
            })?
            else {
                continue;
            };
            self.insert_mention.execute(params![id, account])?;
        }
        self.summary.added += 1;
        self.linked += u64::from(parent_id.is_some());
        self.in_batch += 1;
        if self.in_batch >= self.batch {
            crate::bump_generation(self.conn)?;
            self.conn.execute_batch("COMMIT; BEGIN IMMEDIATE")?;
            self.in_batch = 0;
        }
        Ok(())
    }
}

impl Sink for IngestSink<'_, '_> {
    fn message(&mut self, message: RawMessage) -> Result<(), SinkError> {
        self.store(message, None)
            .map_err(|e| Box::new(e) as SinkError)
    }

    fn diagnostic(&mut self, d: Diagnostic) {
        let d = d.bounded();
        let key = d.reason.as_str();
        match d.severity {
            Severity::Skipped => {
                self.summary.skipped += 1;
                *self.summary.skipped_by_reason.entry(key).or_default() += 1;
                tracing::debug!("{d}");
            }
            Severity::Note => {
                *self.summary.notes_by_reason.entry(key).or_default() += 1;
                tracing::debug!("{d}");
            }
        }
        // The first of each reason is always kept; then up to KEEP_DIAGNOSTICS skips and
        // KEEP_NOTES notes, so notes never crowd a skipped record out of the report.
        let (kept_same, kept_kind) =
            self.summary
                .diagnostics
                .iter()
                .fold((false, 0usize), |(same, kind), k| {
                    (
                        same || (k.severity == d.severity && k.reason == d.reason),
                        kind + usize::from(k.severity == d.severity),
                    )
                });
        let room = match d.severity {
            Severity::Skipped => KEEP_DIAGNOSTICS,
            Severity::Note => KEEP_NOTES,
        };
        if !kept_same || kept_kind < room {
            self.summary.diagnostics.push(d);
        }
    }

    fn progress(&mut self, bytes: u64) {
        (self.on_progress)(Progress {
            file: self.path,
            bytes,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::InOrder;

    #[test]
    fn groups_measured_out_of_order_are_written_in_order() {
        let mut order = InOrder::default();
        let mut out = Vec::new();
        // The worker's groups 1 and 2 arrive after group 3, measured by the reading thread.
        for seq in [0, 3, 1, 4, 2, 5] {
            order.arrive(seq, seq * 10);
            while let Some(item) = order.next_ready() {
                out.push(item);
            }
        }
        assert_eq!(out, [0, 10, 20, 30, 40, 50]);
        assert_eq!(order.waiting(), 0);
        // A group that never arrives holds back every later one.
        order.arrive(7, 70);
        assert_eq!(order.next_ready(), None);
        assert_eq!(order.waiting(), 1);
    }
}
