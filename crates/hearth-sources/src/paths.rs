//! Turning the paths a user typed into the files to read.
//!
//! Every real directory is walked once, however many links lead to it: a symbolic link to a
//! folder is followed the first time its target is reached and passed over (with a warning)
//! after that, so `ln -s . loop` ends instead of running forever. An entry that cannot be
//! read (a dangling link, a folder without permission) is passed over with a warning; it
//! never stops the walk.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

/// The real directories a walk has entered, by (device, inode).
#[derive(Debug, Default)]
pub struct Visited(HashSet<(u64, u64)>);

impl Visited {
    /// Whether `dir` (its metadata, links followed) is entered for the first time.
    pub fn first(&mut self, meta: &std::fs::Metadata) -> bool {
        use std::os::unix::fs::MetadataExt;
        self.0.insert((meta.dev(), meta.ino()))
    }
}

/// What an entry of a folder is, links followed: a folder to walk (first visit), a file,
/// or nothing to read (with the warning already given).
pub enum Entry {
    Dir(PathBuf),
    File(PathBuf),
    Skip,
}

/// Classifies `path` found in a folder: follows links, enters each real folder once.
pub fn entry(path: PathBuf, visited: &mut Visited) -> Entry {
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_dir() => {
            if visited.first(&meta) {
                Entry::Dir(path)
            } else {
                tracing::warn!(
                    "{}: passed over: the same folder as one already read (a link loop, or a second path to it)",
                    path.display()
                );
                Entry::Skip
            }
        }
        Ok(_) => Entry::File(path),
        Err(e) => {
            tracing::warn!("{}: passed over: {e}", path.display());
            Entry::Skip
        }
    }
}

/// The entries of a folder, sorted; an unreadable folder gives none (with a warning).
pub fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(rd) => {
            let mut v: Vec<PathBuf> = rd
                .filter_map(|e| match e {
                    Ok(e) => Some(e.path()),
                    Err(err) => {
                        tracing::warn!("{}: an entry passed over: {err}", dir.display());
                        None
                    }
                })
                .collect();
            v.sort();
            v
        }
        Err(e) => {
            tracing::warn!("{}: passed over: {e}", dir.display());
            Vec::new()
        }
    }
}

/// Files as given, and for each folder the files inside it (recursively) whose extension is one
/// of `extensions` or that have none; hidden entries are left out. Sorted, so that the order
/// of reading (and so every derived id) is the same on every machine.
pub fn expand_paths(paths: &[PathBuf], extensions: &[&str]) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut visited = Visited::default();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        if meta.is_dir() {
            visited.first(&meta);
            let mut found = Vec::new();
            walk(path, extensions, &mut found, &mut visited);
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>, visited: &mut Visited) {
    for path in sorted_entries(dir) {
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        match entry(path, visited) {
            Entry::Dir(d) => walk(&d, extensions, out, visited),
            Entry::File(path) => {
                let keep = match path.extension().and_then(|e| e.to_str()) {
                    None => true,
                    Some(ext) => extensions.iter().any(|x| x.eq_ignore_ascii_case(ext)),
                };
                if keep {
                    out.push(path);
                }
            }
            Entry::Skip => {}
        }
    }
}
