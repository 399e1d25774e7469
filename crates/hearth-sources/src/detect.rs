//! `--format auto`: which reader a path is for, from its name, its layout and its first bytes.

use std::io::Read;
use std::path::Path;

/// The format of a file or folder, or why it cannot be told.
///
/// - a folder with `Posts.xml` → `stackexchange`; with `users.json`, `channels.json`,
///   `users.edn` or `logs/` → `slack`; otherwise the formats of what it holds, if they agree;
/// - a file named `*.mbox`/`*.mbx`, or starting with `From ` → `mbox`; a dump file
///   (`Posts.xml`, `Comments.xml`, …) → `stackexchange`.
pub fn detect(path: &Path) -> Result<&'static str, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.is_dir() {
        return detect_dir(path, 0);
    }
    detect_file(path).ok_or_else(|| {
        format!(
            "{}: cannot tell its format (expected an mbox file, a Stack Exchange dump or a \
             Slack export folder); name the format",
            path.display()
        )
    })
}

fn detect_file(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".mbox") || name.ends_with(".mbx") {
        return Some("mbox");
    }
    if ["posts.xml", "comments.xml", "users.xml", "posthistory.xml"].contains(&name.as_str()) {
        return Some("stackexchange");
    }
    let mut head = [0u8; 5];
    let n = std::fs::File::open(path).ok()?.read(&mut head).ok()?;
    (n == 5 && &head == b"From ").then_some("mbox")
}

fn detect_dir(dir: &Path, depth: usize) -> Result<&'static str, String> {
    if dir.join("Posts.xml").is_file() {
        return Ok("stackexchange");
    }
    if dir.join("users.json").is_file()
        || dir.join("channels.json").is_file()
        || dir.join("users.edn").is_file()
        || dir.join("logs").is_dir()
    {
        return Ok("slack");
    }
    let mut found: Vec<&'static str> = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let format = if p.is_dir() {
            if depth < 3 {
                detect_dir(&p, depth + 1).ok()
            } else {
                None
            }
        } else {
            detect_file(&p)
        };
        if let Some(f) = format
            && !found.contains(&f)
        {
            found.push(f);
        }
    }
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "{}: found no export Hearth can read; name the format",
            dir.display()
        )),
        many => Err(format!(
            "{}: holds several formats ({}); read them one at a time",
            dir.display(),
            many.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::detect;
    use std::path::Path;

    #[test]
    fn shared_data_layouts() {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        assert_eq!(detect(&data.join("mbox/usrp-users")), Ok("mbox"));
        assert_eq!(detect(&data.join("mbox/usrp-users/2019.mbox")), Ok("mbox"));
        assert_eq!(detect(&data.join("stackexchange")), Ok("stackexchange"));
        assert_eq!(
            detect(&data.join("stackexchange/conlang.meta.stackexchange.com/Posts.xml")),
            Ok("stackexchange")
        );
        assert_eq!(detect(&data.join("slack")), Ok("slack"));
        assert_eq!(detect(&data.join("slack/clojurians-log-demo")), Ok("slack"));
        let err = detect(&data).expect_err("several formats");
        assert!(err.contains("several formats"), "{err}");
    }
}
