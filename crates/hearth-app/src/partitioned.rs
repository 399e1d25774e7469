//! `hearth export --format parquet --partitioned DIR`: the whole store as Hive-style Parquet
//! partitions for a distributed engine (Spark, Trino, DuckDB over object storage), written
//! incrementally.
//!
//! ```text
//! DIR/manifest.json
//! DIR/messages/source=mbox/month=2019-03/part-0.parquet
//! DIR/interactions/source=…/month=…/part-0.parquet
//! DIR/people/source=…/month=…/part-0.parquet        (source and month of the first message)
//! DIR/thread_roots/source=…/month=…/part-0.parquet
//! ```
//!
//! Every partition is built from the resolved snapshot one row group at a time, digested
//! (SHA-256 of its columns and values), and written only when the digest differs from the
//! one the manifest recorded last time — so a second export after new messages rewrites the
//! months that changed and says so. A change of the rules that decide persons, roles, parents
//! and classes (`[roles]`, `[identity]`, `[replies]`), of the schema version or of the text
//! choice rewrites every partition. Partitions that no longer exist are deleted. Files are
//! written under temporary names and renamed, and the manifest is written last: a kill leaves
//! the previous manifest, whose digests no longer match what changed, so the next export
//! rewrites those partitions again. The columns are in `docs/export.md`.

use crate::Result;
use crate::export::parent_kind;
use crate::scope::Loaded;
use hearth_analysis::Period;
use hearth_analysis::calendar::month;
use hearth_model::NO_PARENT;
use hearth_store::export::{ParquetFile, Table};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Bumped when a table's columns change: a manifest of another version is rewritten whole.
pub const SCHEMA_VERSION: u32 = 1;
/// The manifest's name inside the export directory.
pub const MANIFEST: &str = "manifest.json";
/// The tables, in the order they are written.
pub const TABLES: [&str; 4] = ["messages", "interactions", "people", "thread_roots"];
/// Hive's name for a partition whose value is missing (people who never wrote).
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";
/// Rows built at a time: one Parquet row group.
const CHUNK: usize = hearth_store::export::ROW_GROUP;

/// `DIR/manifest.json`: what the export holds and what it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `hearth-partitioned-export`.
    pub format: String,
    pub schema_version: u32,
    /// The store's generation (it grows with every change to the messages or people).
    pub store_generation: i64,
    /// SHA-256 of the rules that decide persons, roles, parents and classes.
    pub rules_hash: String,
    /// Whether `messages` carries the text column.
    pub with_text: bool,
    pub tables: BTreeMap<String, TableManifest>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableManifest {
    pub rows: u64,
    pub columns: Vec<ColumnInfo>,
    pub partitions: Vec<PartitionInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    /// `int64`, `double` or `string`.
    #[serde(rename = "type")]
    pub kind: String,
    pub nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartitionInfo {
    /// The partition's values (`None`: Hive's default partition).
    pub source: Option<String>,
    pub month: Option<String>,
    /// The file, relative to the export directory.
    pub path: String,
    pub rows: u64,
    /// `sha256:` and the hex digest of the partition's content.
    pub digest: String,
}

/// What one export did.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub dir: PathBuf,
    pub manifest: PathBuf,
    pub store_generation: i64,
    pub rules_hash: String,
    /// Why every partition was written (`null` when only changed ones were).
    pub rewrote_all_because: Option<String>,
    pub tables: Vec<TableOutcome>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableOutcome {
    pub table: String,
    pub rows: u64,
    pub partitions: usize,
    /// Partitions written this time (new or changed), as `source=…/month=…`.
    pub written: Vec<String>,
    pub unchanged: usize,
    /// Partitions of the previous export that no longer exist, deleted.
    pub removed: Vec<String>,
}

/// The hash of the rules an export's content depends on.
pub fn rules_hash(config: &hearth_model::Config) -> Result<String> {
    let rules = serde_json::to_vec(&(
        SCHEMA_VERSION,
        &config.roles,
        &config.identity,
        &config.replies,
    ))?;
    Ok(format!("sha256:{}", hex(&sha2::Sha256::digest(&rules))))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A partition key: (source, month index); `None` for Hive's default partition.
type Key = (Option<u32>, Option<i64>);

/// Writes (or brings up to date) the partitioned export of the whole store in `dir`.
pub fn export(loaded: &Loaded, dir: &Path, with_text: bool) -> Result<Outcome> {
    export_with(loaded, dir, with_text, &mut |_| {})
}

/// How far an export is: partitions looked at so far, of how many.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// [`export`], telling `progress` after every partition.
pub fn export_with(
    loaded: &Loaded,
    dir: &Path,
    with_text: bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<Outcome> {
    if loaded.window.since.is_some() || loaded.window.until.is_some() || loaded.space.is_some() {
        crate::bail!(
            "a partitioned export holds the whole store: leave out --since, --until and --space \
             (a distributed engine filters partitions by source and month itself)"
        );
    }
    let manifest_path = dir.join(MANIFEST);
    let previous = read_previous(dir, &manifest_path)?;
    std::fs::create_dir_all(dir).map_err(|e| crate::AppError::io("cannot create", dir, e))?;
    let generation = loaded.store.generation()?;
    let rules = rules_hash(&loaded.config)?;
    let rewrote_all_because = match &previous {
        None => Some("first export into this directory".to_owned()),
        Some(p) if p.schema_version != SCHEMA_VERSION => Some(format!(
            "the previous export has schema version {}, this one {SCHEMA_VERSION}",
            p.schema_version
        )),
        Some(p) if p.rules_hash != rules => {
            Some("the rules changed ([roles], [identity] or [replies] in hearth.toml)".to_owned())
        }
        Some(p) if p.with_text != with_text => Some(if with_text {
            "text is now included".to_owned()
        } else {
            "text is now left out".to_owned()
        }),
        Some(_) => None,
    };
    let keep_old = rewrote_all_because.is_none();
    let tables = Tables::new(loaded, with_text);
    let mut manifest = Manifest {
        format: "hearth-partitioned-export".to_owned(),
        schema_version: SCHEMA_VERSION,
        store_generation: generation,
        rules_hash: rules.clone(),
        with_text,
        tables: BTreeMap::new(),
    };
    let mut outcomes = Vec::new();
    let total: usize = TABLES.iter().map(|t| tables.partitions(t).len()).sum();
    let mut done = 0;
    progress(Progress { done, total });
    for table in TABLES {
        let old: BTreeMap<String, &PartitionInfo> = previous
            .as_ref()
            .filter(|_| keep_old)
            .and_then(|p| p.tables.get(table))
            .map(|t| t.partitions.iter().map(|p| (p.path.clone(), p)).collect())
            .unwrap_or_default();
        let groups = tables.partitions(table);
        let mut info = TableManifest {
            rows: 0,
            columns: tables
                .build(table, &[])?
                .schema_summary()
                .into_iter()
                .map(|(name, kind, nullable)| ColumnInfo {
                    name,
                    kind: kind.to_owned(),
                    nullable,
                })
                .collect(),
            partitions: Vec::new(),
        };
        let mut outcome = TableOutcome {
            table: table.to_owned(),
            rows: 0,
            partitions: groups.len(),
            written: Vec::new(),
            unchanged: 0,
            removed: Vec::new(),
        };
        for (key, rows) in groups {
            let (source, month) = tables.labels(*key);
            let folder = format!(
                "source={}/month={}",
                hive_escape(source.as_deref().unwrap_or(NULL_PARTITION)),
                month.as_deref().unwrap_or(NULL_PARTITION)
            );
            let rel = format!("{table}/{folder}/part-0.parquet");
            let (digest, single) = tables.digest(table, rows)?;
            let path = dir.join(&rel);
            let same = old
                .get(&rel)
                .is_some_and(|p| p.digest == digest && p.rows == rows.len() as u64)
                && path.is_file();
            if !same {
                let parent = path.parent().unwrap_or(dir);
                std::fs::create_dir_all(parent)
                    .map_err(|e| crate::AppError::io("cannot create", parent, e))?;
                let first = match single {
                    Some(t) => t,
                    None => tables.build(table, &rows[..rows.len().min(CHUNK)])?,
                };
                let mut file = ParquetFile::create(&path, &first)?;
                file.write(&first)?;
                drop(first);
                for chunk in rows.chunks(CHUNK).skip(1) {
                    file.write(&tables.build(table, chunk)?)?;
                }
                file.finish()?;
                outcome.written.push(folder);
            } else {
                outcome.unchanged += 1;
            }
            done += 1;
            progress(Progress { done, total });
            info.rows += rows.len() as u64;
            info.partitions.push(PartitionInfo {
                source,
                month,
                path: rel,
                rows: rows.len() as u64,
                digest,
            });
        }
        // Partitions of the previous export that are gone (or all of them, when everything
        // was rewritten under other names) are deleted.
        if let Some(p) = previous.as_ref().and_then(|p| p.tables.get(table)) {
            let now: std::collections::BTreeSet<&str> =
                info.partitions.iter().map(|p| p.path.as_str()).collect();
            for gone in p
                .partitions
                .iter()
                .filter(|p| !now.contains(p.path.as_str()))
            {
                if let Some(rel) = safe_relative(&gone.path) {
                    let path = dir.join(rel);
                    match std::fs::remove_file(&path) {
                        Ok(()) => {}
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => return Err(crate::AppError::io("cannot delete", &path, e)),
                    }
                    remove_empty_parents(dir, &path);
                    outcome.removed.push(
                        gone.path
                            .trim_start_matches(&format!("{table}/"))
                            .trim_end_matches("/part-0.parquet")
                            .to_owned(),
                    );
                }
            }
        }
        outcome.rows = info.rows;
        manifest.tables.insert(table.to_owned(), info);
        outcomes.push(outcome);
    }
    write_manifest(&manifest_path, &manifest)?;
    tracing::info!(
        dir = %dir.display(),
        written = outcomes.iter().map(|o| o.written.len()).sum::<usize>(),
        "partitioned export"
    );
    Ok(Outcome {
        dir: dir.to_path_buf(),
        manifest: manifest_path,
        store_generation: generation,
        rules_hash: rules,
        rewrote_all_because,
        tables: outcomes,
    })
}

/// The previous manifest, if `dir` holds one. A directory with other files and no manifest
/// is refused: the export deletes partitions it no longer needs, and must never touch files
/// it did not write.
fn read_previous(dir: &Path, manifest_path: &Path) -> Result<Option<Manifest>> {
    match std::fs::read(manifest_path) {
        Ok(bytes) => match serde_json::from_slice::<Manifest>(&bytes) {
            Ok(m) if m.format == "hearth-partitioned-export" => Ok(Some(m)),
            Ok(m) => crate::bail!(
                "{}: not a Hearth partitioned export (format {:?})",
                manifest_path.display(),
                m.format
            ),
            Err(e) => crate::bail!(
                "{}: cannot read the previous export's manifest ({e}); move the directory \
                 away or export into a new one",
                manifest_path.display()
            ),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let busy = std::fs::read_dir(dir)
                .map(|mut d| d.next().is_some())
                .unwrap_or(false);
            if busy {
                crate::bail!(
                    "{} is not empty and holds no {MANIFEST}: a partitioned export goes into a \
                     new or empty directory (or one it wrote before)",
                    dir.display()
                );
            }
            Ok(None)
        }
        Err(e) => Err(crate::AppError::io("cannot read", manifest_path, e)),
    }
}

fn write_manifest(path: &Path, manifest: &Manifest) -> Result<()> {
    let mut bytes = serde_json::to_vec_pretty(manifest)?;
    bytes.push(b'\n');
    let tmp = path.with_file_name(format!(".{MANIFEST}.tmp"));
    std::fs::write(&tmp, &bytes).map_err(|e| crate::AppError::io("cannot write", &tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| crate::AppError::io("cannot write", path, e))
}

/// A manifest path that stays inside the export directory (a hand-edited manifest must not
/// make the export delete files elsewhere).
fn safe_relative(path: &str) -> Option<&Path> {
    let p = Path::new(path);
    let inside = p
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    (inside && p.extension().is_some_and(|e| e == "parquet")).then_some(p)
}

fn remove_empty_parents(dir: &Path, file: &Path) {
    let mut at = file.parent();
    while let Some(p) = at {
        if p == dir || std::fs::remove_dir(p).is_err() {
            break;
        }
        at = p.parent();
    }
}

/// Hive's escaping of a partition value: characters that a path or Hive would read
/// otherwise become `%XX`.
fn hive_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') && !value.starts_with('.') {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// The rows of every table, by partition, and how to build a chunk of them.
struct Tables<'a> {
    loaded: &'a Loaded,
    with_text: bool,
    /// Message indices by partition.
    messages: Vec<(Key, Vec<u32>)>,
    /// Interaction indices (into `loaded.context().interactions()`) by partition.
    interactions: Vec<(Key, Vec<u32>)>,
    /// Person indices by partition (first message's source and month).
    people: Vec<(Key, Vec<u32>)>,
    /// Thread root message indices by partition.
    roots: Vec<(Key, Vec<u32>)>,
    cx: hearth_analysis::Context<'a>,
    /// The distinct sources, sorted (a partition key holds an index into it).
    sources: Vec<String>,
    first_message: Vec<u32>,
}

const NONE: u32 = u32::MAX;

/// Row indices by partition, in partition order, each partition's rows in the order `items`
/// gives them. Two passes (count, then fill vectors of exact size), so the grouping costs
/// four bytes a row, not a sorted copy of (key, row) pairs.
fn group<I: Iterator<Item = (Key, u32)>>(items: impl Fn() -> I) -> Vec<(Key, Vec<u32>)> {
    let mut counts: HashMap<Key, usize> = HashMap::new();
    for (k, _) in items() {
        *counts.entry(k).or_default() += 1;
    }
    let mut keys: Vec<(Key, usize)> = counts.into_iter().collect();
    keys.sort_unstable();
    let slot: HashMap<Key, usize> = keys.iter().enumerate().map(|(n, (k, _))| (*k, n)).collect();
    let mut out: Vec<(Key, Vec<u32>)> = keys
        .into_iter()
        .map(|(k, n)| (k, Vec::with_capacity(n)))
        .collect();
    for (k, i) in items() {
        if let Some(&n) = slot.get(&k) {
            out[n].1.push(i);
        }
    }
    out
}

impl<'a> Tables<'a> {
    fn new(loaded: &'a Loaded, with_text: bool) -> Tables<'a> {
        let s = &loaded.snapshot;
        let m = &s.messages;
        let cx = loaded.context();
        let mut sources: Vec<String> = s.spaces.iter().map(|x| x.source.clone()).collect();
        sources.sort();
        sources.dedup();
        let space_source: Vec<u32> = s
            .spaces
            .iter()
            .map(|x| sources.binary_search(&x.source).unwrap_or(0) as u32)
            .collect();
        let key_of = |i: usize| -> Key {
            (
                space_source.get(m.space[i] as usize).copied(),
                Some(month(m.time[i])),
            )
        };
        let messages = group(|| (0..m.len()).map(|i| (key_of(i), i as u32)));
        let interactions = group(|| {
            cx.interactions()
                .iter()
                .enumerate()
                .map(|(k, it)| (key_of(it.message as usize), k as u32))
        });
        let mut first_message = vec![NONE; s.persons.len()];
        let mut is_root = vec![false; m.len()];
        for i in 0..m.len() {
            let a = m.author[i] as usize;
            if let Some(f) = first_message.get_mut(a) {
                // Earliest by (time, id): the snapshot is in id order.
                if *f == NONE || m.time[i] < m.time[*f as usize] {
                    *f = i as u32;
                }
            }
            is_root[cx.roots[i] as usize] = true;
        }
        let people = group(|| {
            (0..s.persons.len()).map(|p| {
                let key = match first_message[p] {
                    NONE => (None, None),
                    f => key_of(f as usize),
                };
                (key, p as u32)
            })
        });
        let roots = group(|| {
            (0..m.len())
                .filter(|&i| is_root[i])
                .map(|i| (key_of(i), i as u32))
        });
        Tables {
            loaded,
            with_text,
            messages,
            interactions,
            people,
            roots,
            cx,
            sources,
            first_message,
        }
    }

    fn partitions(&self, table: &str) -> &[(Key, Vec<u32>)] {
        match table {
            "messages" => &self.messages,
            "interactions" => &self.interactions,
            "people" => &self.people,
            _ => &self.roots,
        }
    }

    fn labels(&self, key: Key) -> (Option<String>, Option<String>) {
        (
            key.0.and_then(|s| self.sources.get(s as usize).cloned()),
            key.1.map(|mo| Period::Month.label(mo)),
        )
    }

    /// The partition's digest, and its table when it fits in one chunk (so it is built once).
    fn digest(&self, table: &str, rows: &[u32]) -> Result<(String, Option<Table>)> {
        let mut hasher = sha2::Sha256::new();
        let mut single = None;
        for chunk in rows.chunks(CHUNK) {
            let t = self.build(table, chunk)?;
            t.digest_into(&mut hasher);
            if rows.len() <= CHUNK {
                single = Some(t);
            }
        }
        Ok((format!("sha256:{}", hex(&hasher.finalize())), single))
    }

    /// The rows `items` of `table` (indices as in [`Tables::partitions`]).
    fn build(&self, table: &str, items: &[u32]) -> Result<Table> {
        let s = &self.loaded.snapshot;
        let m = &s.messages;
        let space_id = |sp: u32| s.spaces.get(sp as usize).map(|x| x.id.0);
        let idx = |v: &[u32]| v.iter().map(|&i| i as usize).collect::<Vec<usize>>();
        Ok(match table {
            "messages" => {
                let rows = idx(items);
                let parent_of =
                    |i: usize| (m.parent[i] != NO_PARENT).then(|| m.id[m.parent[i] as usize]);
                let mut t = Table::new("messages")
                    .int(
                        "message_id",
                        false,
                        rows.iter().map(|&i| Some(m.id[i])).collect(),
                    )
                    .int(
                        "time",
                        false,
                        rows.iter().map(|&i| Some(m.time[i])).collect(),
                    )
                    .text(
                        "time_utc",
                        false,
                        rows.iter()
                            .map(|&i| Some(hearth_report::iso(m.time[i])))
                            .collect(),
                    )
                    .apply(|t| self.place(t, &rows))
                    .int(
                        "parent_id",
                        true,
                        rows.iter().map(|&i| parent_of(i)).collect(),
                    )
                    .text(
                        "parent_kind",
                        false,
                        rows.iter()
                            .map(|&i| Some(parent_kind(m, i).to_owned()))
                            .collect(),
                    )
                    .float(
                        "parent_confidence",
                        true,
                        rows.iter().map(|&i| m.inferred(i).map(f64::from)).collect(),
                    )
                    .int(
                        "thread_root_id",
                        false,
                        rows.iter()
                            .map(|&i| Some(m.id[self.cx.roots[i] as usize]))
                            .collect(),
                    );
                if self.with_text {
                    t = t.text("text", true, self.texts(&rows)?);
                }
                t
            }
            "interactions" => {
                let all = self.cx.interactions();
                let its: Vec<&hearth_model::Interaction> =
                    items.iter().filter_map(|&k| all.get(k as usize)).collect();
                Table::new("interactions")
                    .int(
                        "message_id",
                        false,
                        its.iter()
                            .map(|it| Some(m.id[it.message as usize]))
                            .collect(),
                    )
                    .int(
                        "time",
                        false,
                        its.iter()
                            .map(|it| Some(m.time[it.message as usize]))
                            .collect(),
                    )
                    .int(
                        "space_id",
                        false,
                        its.iter()
                            .map(|it| space_id(m.space[it.message as usize]))
                            .collect(),
                    )
                    .text(
                        "space",
                        false,
                        its.iter()
                            .map(|it| Some(self.loaded.space_name(m.space[it.message as usize])))
                            .collect(),
                    )
                    .apply(|t| crate::export::edge_columns(t, self.loaded, &its))
            }
            "people" => {
                let rows = idx(items);
                crate::export::people_columns(self.loaded, &rows)
                    .int(
                        "first_message_id",
                        true,
                        rows.iter()
                            .map(|&p| match self.first_message[p] {
                                NONE => None,
                                f => Some(m.id[f as usize]),
                            })
                            .collect(),
                    )
                    .int(
                        "first_time",
                        true,
                        rows.iter()
                            .map(|&p| match self.first_message[p] {
                                NONE => None,
                                f => Some(m.time[f as usize]),
                            })
                            .collect(),
                    )
            }
            _ => {
                let rows = idx(items);
                Table::new("thread_roots")
                    .int(
                        "root_id",
                        false,
                        rows.iter().map(|&i| Some(m.id[i])).collect(),
                    )
                    .int(
                        "time",
                        false,
                        rows.iter().map(|&i| Some(m.time[i])).collect(),
                    )
                    .apply(|t| self.place(t, &rows))
                    .int(
                        "starts_thread",
                        false,
                        rows.iter()
                            .map(|&i| Some(i64::from(!m.is_orphan(i))))
                            .collect(),
                    )
            }
        })
    }

    /// The space and author columns of the messages `rows` (messages and thread roots share
    /// them).
    fn place(&self, t: Table, rows: &[usize]) -> Table {
        let s = &self.loaded.snapshot;
        let m = &s.messages;
        t.int(
            "space_id",
            false,
            rows.iter()
                .map(|&i| s.spaces.get(m.space[i] as usize).map(|x| x.id.0))
                .collect(),
        )
        .text(
            "space",
            false,
            rows.iter()
                .map(|&i| Some(self.loaded.space_name(m.space[i])))
                .collect(),
        )
        .int(
            "person_id",
            false,
            rows.iter()
                .map(|&i| s.persons.get(m.author[i] as usize).map(|x| x.id.0))
                .collect(),
        )
    }

    /// The text of the messages `rows` (in id order, as partitions hold them).
    fn texts(&self, rows: &[usize]) -> Result<Vec<Option<String>>> {
        let m = &self.loaded.snapshot.messages;
        let ids: Vec<i64> = rows.iter().map(|&i| m.id[i]).collect();
        let mut text: Vec<Option<String>> = vec![None; rows.len()];
        let mut k = 0;
        self.loaded
            .store
            .for_each_text(&ids, |id, _subject, body| {
                while k < ids.len() && ids[k] < id {
                    k += 1;
                }
                if let Some(&found) = ids.get(k)
                    && found == id
                {
                    text[k] = Some(body.to_owned());
                }
            })?;
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::{group, hive_escape, safe_relative};

    #[test]
    fn rows_are_grouped_by_partition_in_their_own_order() {
        let items = [
            ((Some(1), Some(600)), 0u32),
            ((Some(0), Some(601)), 1),
            ((Some(1), Some(600)), 2),
            ((None, None), 3),
            ((Some(0), Some(601)), 4),
        ];
        let groups = group(|| items.iter().copied());
        assert_eq!(
            groups,
            vec![
                ((None, None), vec![3]),
                ((Some(0), Some(601)), vec![1, 4]),
                ((Some(1), Some(600)), vec![0, 2]),
            ]
        );
    }

    #[test]
    fn partition_values_that_a_path_would_misread_are_escaped() {
        assert_eq!(hive_escape("mbox"), "mbox");
        assert_eq!(hive_escape("stack-exchange_1"), "stack-exchange_1");
        assert_eq!(hive_escape("a/b"), "a%2Fb");
        assert_eq!(hive_escape(".."), "%2E%2E");
        assert_eq!(hive_escape("x=y é"), "x%3Dy%20%C3%A9");
    }

    #[test]
    fn a_hand_edited_manifest_cannot_delete_outside_the_export() {
        assert!(safe_relative("messages/source=mbox/month=2020-01/part-0.parquet").is_some());
        assert!(safe_relative("../outside.parquet").is_none());
        assert!(safe_relative("/etc/passwd").is_none());
        assert!(safe_relative("messages/x.txt").is_none());
    }
}
