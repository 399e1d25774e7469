//! One module a command. The use cases live in `hearth-app`; these modules parse arguments,
//! call it, and print.

/// `println!` for anything that may hold text from the data: control characters (escape
/// sequences, NUL, bidi overrides) are replaced, so nothing a member wrote can move the
/// cursor, clear the screen or retitle the terminal (see `text::clean`).
macro_rules! outln {
    () => { println!() };
    ($($t:tt)*) => { println!("{}", $crate::commands::text::clean(&format!($($t)*))) };
}

/// `print!` with the same cleaning as [`outln!`].
macro_rules! out {
    ($($t:tt)*) => { print!("{}", $crate::commands::text::clean(&format!($($t)*))) };
}

pub mod audit;
pub mod check_job;
pub mod demo;
pub mod eval;
pub mod explain;
pub mod export;
pub mod ingest;
pub mod init;
pub mod members;
pub mod metrics;
pub mod people;
pub mod post;
pub mod queue;
pub mod report;
pub mod route;
pub mod serve;
pub mod social;
pub mod sync;
pub mod text;
pub mod users;

/// How to talk to the person at the terminal.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    /// Draw progress bars (they draw only when stderr is a terminal).
    pub progress: bool,
}

/// Who the audit log names for a change made from the command line: `cli:` and the login
/// name of the person at the terminal.
pub fn cli_actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".to_owned());
    format!("cli:{user}")
}

/// A command's outcome that is not success, with its own exit code (documented in the
/// command's help): the message is printed as `error: …`.
#[derive(Debug)]
pub struct Exit {
    pub code: u8,
    pub message: String,
}

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Exit {}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// kill or a full disk never leaves a truncated file under the final name.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write into {}", dir.display()))?;
    std::io::Write::write_all(&mut tmp, bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error))?;
    Ok(())
}
