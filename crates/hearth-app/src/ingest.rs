//! Reading exports into the store (`hearth ingest`, the server's upload), reply inference
//! for chat, and the summary of what was read.

use crate::{AppError, Result};
use hearth_sources::FORMATS;
use hearth_store::{InferredLink, IngestSummary, Store, StoredLine};
use serde_json::json;
use std::path::{Path, PathBuf};

/// The formats, and `auto`.
pub fn format_names() -> Vec<&'static str> {
    let mut v = vec!["auto"];
    v.extend_from_slice(FORMATS);
    v
}

/// Where an ingest has got to: the file being read, and bytes read of all files.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub file: &'a Path,
    pub done: u64,
    pub total: u64,
}

/// Groups paths by their detected format, keeping the order in which formats first appear.
pub fn detect_groups(paths: &[PathBuf]) -> Result<Vec<(&'static str, Vec<PathBuf>)>> {
    let mut groups: Vec<(&'static str, Vec<PathBuf>)> = Vec::new();
    for p in paths {
        let format = hearth_sources::detect(p).map_err(AppError::Invalid)?;
        tracing::info!(path = %p.display(), format, "detected");
        match groups.iter_mut().find(|(f, _)| *f == format) {
            Some((_, paths)) => paths.push(p.clone()),
            None => groups.push((format, vec![p.clone()])),
        }
    }
    Ok(groups)
}

/// `ingest auto`: each path in its detected format, one summary a format.
pub fn ingest_auto(
    data: &Path,
    paths: &[PathBuf],
    progress: &mut dyn FnMut(Progress<'_>),
    actor: &str,
) -> Result<Vec<IngestSummary>> {
    let mut out = Vec::new();
    for (format, paths) in detect_groups(paths)? {
        out.push(ingest(data, format, &paths, progress, actor)?);
    }
    Ok(out)
}

/// Reads `paths` in `format` into the store in `data`, with a progress bar.
pub fn ingest(
    data: &Path,
    format: &str,
    paths: &[PathBuf],
    progress: &mut dyn FnMut(Progress<'_>),
    actor: &str,
) -> Result<IngestSummary> {
    let reader = hearth_sources::reader_for(format).ok_or_else(|| {
        crate::invalid!("unknown format {format:?}; known: {}", FORMATS.join(", "))
    })?;
    // The reader's error names the path already.
    let files = reader
        .units(paths)
        .map_err(|e| AppError::Invalid(e.to_string()))?;
    if files.is_empty() {
        crate::bail!("no {format} files found in {}", show_paths(paths));
    }
    crate::config::ensure_template(data)?;
    let config = crate::config::load(data)?;
    let limits = &config.limits;
    hearth_sources::limits::set(limits.record_bytes, limits.file_bytes);
    // One ingest at a time per data directory; readers that find pending work leave it to
    // the ingest holding this.
    let _lock = ingest_lock(data)?;
    let mut store = Store::open(data)?;
    // Text measures computed while each message's text is in memory.
    store.set_measurer(crate::measures::measurer(&config));
    if let Some(batch) = std::env::var("HEARTH_INGEST_BATCH")
        .ok()
        .and_then(|b| b.parse().ok())
    {
        store.set_batch_size(batch);
    }
    let sizes: Vec<u64> = files.iter().map(|f| reader.size(f)).collect();
    let total: u64 = sizes.iter().sum();
    let started = std::time::Instant::now();
    let mut done_before = 0u64;
    let mut current: Option<PathBuf> = None;
    let mut summary = store.ingest(reader.as_ref(), &files, &mut |p| {
        if current.as_deref() != Some(p.file) {
            if let Some(prev) = &current {
                let i = files.iter().position(|f| f == prev).unwrap_or(0);
                done_before += sizes.get(i).copied().unwrap_or(0);
            }
            current = Some(p.file.to_path_buf());
        }
        progress(Progress {
            file: p.file,
            done: done_before + p.bytes,
            total,
        });
    })?;
    crash_point("after-messages");
    // Reply inference for the chat spaces with new messages, and anything an earlier,
    // interrupted run left to do.
    summary.replies_inferred = complete_pending(&mut store)?.replies_inferred;
    let secs = started.elapsed().as_secs_f64();
    tracing::info!(
        messages = summary.read(),
        seconds = secs,
        per_second = summary.read() as f64 / secs.max(1e-9),
        "ingest finished"
    );
    store.log_change(
        &hearth_store::Change::new(
            actor,
            "ingest",
            &show_paths(paths),
            json!({
                "format": format,
                "read": summary.read(),
                "added": summary.added(),
                "skipped": summary.skipped(),
            }),
        ),
        hearth_store::now(),
    )?;
    Ok(summary)
}

/// Formats whose spaces are chat: most messages have no explicit parent, so who answers whom
/// is inferred after ingest.
pub const CHAT_FORMATS: &[&str] = &["irc", "slack", "discord", "telegram"];

/// Method recorded with each inferred parent: the shipped model's format version.
pub const INFERENCE_METHOD: &str = "model-2";
/// The shipped reply model's version (the number in [`INFERENCE_METHOD`]): a store whose
/// replies an older one inferred infers them again when it is next opened.
pub const REPLY_MODEL_VERSION: i64 = 2;

/// What [`complete_pending`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Completed {
    /// Replies linked to a parent that is now stored.
    pub parents_linked: u64,
    /// Chat spaces whose replies were inferred.
    pub spaces: u64,
    /// Messages given an inferred parent there.
    pub replies_inferred: u64,
}

/// Completes the derived data the store marks pending: parent links of sources, reply
/// inference of chat spaces. Each piece clears its mark in the transaction that stores it,
/// so a kill at any moment leaves the mark and the next run completes it.
pub fn complete_pending(store: &mut Store) -> Result<Completed> {
    let pending = store.pending()?;
    let mut done = Completed::default();
    if pending.is_empty() {
        return Ok(done);
    }
    for source in &pending.links {
        done.parents_linked += store.link_parents(*source)?;
    }
    let spaces: Vec<i64> = pending
        .replies
        .iter()
        .filter(|(_, kind)| CHAT_FORMATS.contains(&kind.as_str()))
        .map(|(space, _)| *space)
        .collect();
    done.spaces = spaces.len() as u64;
    done.replies_inferred = infer_spaces(store, &spaces)?;
    Ok(done)
}

/// Completes pending derived data for a reader of the store (report, server), unless an
/// ingest is running in this data directory: that ingest completes it itself.
pub fn repair_if_idle(data: &Path, store: &mut Store) -> Result<()> {
    if store.pending()?.is_empty() {
        return Ok(());
    }
    let lock = lock_file(data)?;
    match lock.try_lock() {
        Ok(()) => {
            let done = complete_pending(store)?;
            tracing::warn!(
                parents_linked = done.parents_linked,
                spaces = done.spaces,
                replies_inferred = done.replies_inferred,
                "completed what an interrupted ingest left to do"
            );
            Ok(())
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            tracing::warn!("an ingest is running; its replies are not all linked yet");
            Ok(())
        }
        Err(std::fs::TryLockError::Error(e)) => {
            Err(AppError::io("cannot lock", &data.join(LOCK_FILE), e))
        }
    }
}

/// The lock an ingest holds in its data directory.
pub const LOCK_FILE: &str = "ingest.lock";

fn lock_file(data: &Path) -> Result<std::fs::File> {
    let path = data.join(LOCK_FILE);
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| AppError::io("cannot open", &path, e))
}

/// Waits for, then holds, the data directory's ingest lock (released when dropped, or when
/// the process ends however it ends).
/// The ingest lock of `data` if no ingest holds it (`None` while one runs).
pub(crate) fn try_lock(data: &Path) -> Result<Option<std::fs::File>> {
    let file = lock_file(data)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(AppError::io("cannot lock", &data.join(LOCK_FILE), e))
        }
    }
}

fn ingest_lock(data: &Path) -> Result<std::fs::File> {
    std::fs::create_dir_all(data).map_err(|e| AppError::io("cannot create", data, e))?;
    let file = lock_file(data)?;
    if file.try_lock().is_err() {
        tracing::warn!(
            "another ingest is running in {}; waiting for it",
            data.display()
        );
        file.lock()
            .map_err(|e| AppError::io("cannot lock", &data.join(LOCK_FILE), e))?;
    }
    Ok(file)
}

/// A test's crash: `HEARTH_CRASH_AT=NAME` aborts the process at the point of that name, as a
/// `kill -9` would (no destructor, no rollback). Points: `after-messages` (stored, nothing
/// derived yet), `mid-inference` (one chat space inferred).
fn crash_point(name: &str) {
    if std::env::var("HEARTH_CRASH_AT").is_ok_and(|v| v == name) {
        std::process::abort();
    }
}

/// Infers the parents of the messages without one in every space of `format`'s sources and
/// stores them (replacing earlier inferences). Returns how many messages got a parent.
pub fn infer_replies(store: &Store, format: &str) -> Result<u64> {
    let spaces = store.spaces_of_kinds(&[format])?;
    infer_spaces(store, &spaces)
}

/// Infers the parents of the messages without one in `spaces` and stores them, one
/// transaction a space (which also clears the space's pending mark).
pub fn infer_spaces(store: &Store, spaces: &[i64]) -> Result<u64> {
    let started = std::time::Instant::now();
    let any = !spaces.is_empty();
    let spaces = spaces.to_vec();
    let (mut total, mut lines_seen) = (0u64, 0usize);
    // Reading and writing stay on this thread (the store's connection); inference runs on a
    // second one, so the next space is read while the last is inferred.
    std::thread::scope(|scope| -> Result<()> {
        let (to_worker, work) = std::sync::mpsc::sync_channel::<(i64, Vec<StoredLine>)>(1);
        let (to_main, done) = std::sync::mpsc::channel::<(i64, Vec<InferredLink>, usize)>();
        scope.spawn(move || {
            for (space, stored) in work {
                let links = infer_space(&stored);
                if to_main.send((space, links, stored.len())).is_err() {
                    break;
                }
            }
        });
        let mut write = |(space, links, n): (i64, Vec<InferredLink>, usize)| {
            total += links.len() as u64;
            lines_seen += n;
            let written = store.replace_inferred(space, INFERENCE_METHOD, &links);
            crash_point("mid-inference");
            written
        };
        for space in spaces {
            let stored = store.chat_lines(space)?;
            if to_worker.send((space, stored)).is_err() {
                break;
            }
            while let Ok(result) = done.try_recv() {
                write(result)?;
            }
        }
        drop(to_worker);
        for result in done {
            write(result)?;
        }
        Ok(())
    })?;
    if any {
        store.record_reply_model(REPLY_MODEL_VERSION)?;
    }
    let secs = started.elapsed().as_secs_f64();
    tracing::info!(
        lines = lines_seen,
        inferred = total,
        seconds = secs,
        per_second = lines_seen as f64 / secs.max(1e-9),
        "replies inferred"
    );
    Ok(total)
}

/// The inferred parents of one space's messages (in time order), for the messages without
/// an explicit parent that the model links to an earlier message.
fn infer_space(stored: &[StoredLine]) -> Vec<InferredLink> {
    infer_space_with(stored, hearth_analysis::replies::shipped())
}

/// [`infer_space`] with another model (`hearth eval` scores models on stored spaces).
pub fn infer_space_with(
    stored: &[StoredLine],
    model: &hearth_analysis::replies::Model,
) -> Vec<InferredLink> {
    use hearth_analysis::replies::{self, ChatLine};
    use std::collections::HashMap;
    let mut speaker: HashMap<i64, u32> = HashMap::new();
    let mut number = |account: i64| {
        let next = speaker.len() as u32;
        *speaker.entry(account).or_insert(next)
    };
    let authors: Vec<u32> = stored.iter().map(|l| number(l.account)).collect();
    let mentions: Vec<Vec<u32>> = stored
        .iter()
        .zip(&authors)
        .map(|(l, a)| {
            let mut m: Vec<u32> = l.mentions.iter().map(|x| number(*x)).collect();
            m.retain(|x| x != a);
            m
        })
        .collect();
    let lines: Vec<ChatLine<'_>> = stored
        .iter()
        .zip(&authors)
        .zip(&mentions)
        .map(|((l, a), m)| ChatLine {
            time: l.time,
            author: *a,
            text: &l.text,
            system: false,
            mentions: m,
        })
        .collect();
    replies::infer(&lines, model)
        .iter()
        .enumerate()
        .filter(|(i, link)| link.parent as usize != *i && !stored[*i].explicit_parent)
        .map(|(i, link)| InferredLink {
            message: stored[i].id,
            parent: stored[link.parent as usize].id,
            confidence: link.confidence,
        })
        .collect()
}

fn show_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// An input that gave its reader no message: what was expected, what was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EmptyInput {
    pub path: String,
    /// Records the reader found and skipped (all of them): 0 when it found none at all.
    pub skipped: u64,
    /// What the reader expects.
    pub expected: &'static str,
    /// What the input looks like: another format Hearth reads, or unknown.
    pub found: String,
}

impl EmptyInput {
    /// One line for a person.
    pub fn describe(&self, format: &str) -> String {
        if self.skipped > 0 {
            format!(
                "{}: every record was skipped ({}); no {format} message read",
                self.path, self.skipped
            )
        } else {
            format!(
                "{}: no {format} message in it: expected {}; {}",
                self.path, self.expected, self.found
            )
        }
    }
}

/// The inputs of an ingest from which its reader got no message.
pub fn empty_inputs(s: &IngestSummary) -> Vec<EmptyInput> {
    s.files
        .iter()
        .filter(|f| f.read == 0)
        .map(|f| {
            // What the reader said it passed over, else what the input looks like.
            let said = f
                .diagnostics
                .iter()
                .find(|d| d.severity == hearth_sources::Severity::Note)
                .map(|d| format!("the reader passed it over: {}", d.detail));
            let found = match hearth_sources::detect(&f.path) {
                _ if said.is_some() && f.skipped == 0 => said.unwrap_or_default(),
                Ok(other) if other != s.source => {
                    format!("it looks like {other} (`hearth ingest {other} …`)")
                }
                Ok(_) => "it looks like this format, but holds no message".to_owned(),
                Err(_) => "Hearth cannot tell what it is".to_owned(),
            };
            EmptyInput {
                path: f.path.display().to_string(),
                skipped: f.skipped,
                expected: hearth_sources::expectation(&s.source),
                found,
            }
        })
        .collect()
}

pub fn summary_json(s: &IngestSummary) -> serde_json::Value {
    let files: Vec<_> = s
        .files
        .iter()
        .map(|f| {
            json!({
                "path": f.path.display().to_string(),
                "read": f.read,
                "added": f.added,
                "duplicates": f.duplicates,
                "skipped": f.skipped,
                "skipped_by_reason": f.skipped_by_reason,
                "notes_by_reason": f.notes_by_reason,
                "diagnostics": f.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "source": s.source,
        "files": files,
        "read": s.read(),
        "added": s.added(),
        "duplicates": s.duplicates(),
        "skipped": s.skipped(),
        "skipped_by_reason": s.skipped_by_reason(),
        "parents_linked": s.parents_linked,
        "replies_inferred": s.replies_inferred,
        "empty_inputs": empty_inputs(s),
    })
}
