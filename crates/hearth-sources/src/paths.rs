//! Turning the paths a user typed into the files to read.

use std::io;
use std::path::{Path, PathBuf};

/// Files as given, and for each folder the files inside it (recursively) whose extension is one
/// of `extensions` or that have none; hidden entries are left out. Sorted, so that the order
/// of reading (and so every derived id) is the same on every machine.
pub fn expand_paths(paths: &[PathBuf], extensions: &[&str]) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, extensions, &mut found)?;
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type()?.is_dir() {
            walk(&path, extensions, out)?;
        } else {
            let keep = match path.extension().and_then(|e| e.to_str()) {
                None => true,
                Some(ext) => extensions.iter().any(|x| x.eq_ignore_ascii_case(ext)),
            };
            if keep {
                out.push(path);
            }
        }
    }
    Ok(())
}
