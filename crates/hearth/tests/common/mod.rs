//! Helpers shared by the CLI tests: run the real binary, redact paths, find real data.
#![allow(dead_code)]

pub mod pds;
pub mod replay;

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

pub fn excerpt() -> PathBuf {
    repo().join("fixtures/mbox/usrp-users-2026-excerpt.mbox")
}

/// The usrp-users archive in `../shared/data` (CI has it beside the checkout).
pub fn usrp_users() -> PathBuf {
    let dir = repo().join("../shared/data/mbox/usrp-users");
    assert!(
        dir.is_dir(),
        "{} is missing: the tests read the real data in ../shared/data",
        dir.display()
    );
    dir
}

pub const VENDOR_RULES: &str = r#"[roles]
brand_email_domains = ["ettus.com", "ni.com", "emerson.com"]
"#;

/// A fresh data directory, optionally with rules.
pub fn data_dir(rules: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    if let Some(rules) = rules {
        std::fs::write(dir.path().join("hearth.toml"), rules).expect("rules");
    }
    dir
}

/// A fresh data directory with `rules` and the usrp-users archive ingested.
pub fn usrp_users_store(rules: &str) -> tempfile::TempDir {
    let dir = data_dir(Some(rules));
    let input = usrp_users();
    let (code, _, err) = hearth(
        dir.path(),
        &["-q", "ingest", "mbox", input.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    dir
}

/// Runs `hearth --data DIR ARGS...`, returning (exit code, stdout, stderr).
pub fn hearth(data: &Path, args: &[&str]) -> (i32, String, String) {
    hearth_with(data, args, "", &[])
}

/// [`hearth`] with `input` on standard input and more environment variables (`USER` for
/// the audit log's `cli:USER`, `HEARTH_FAULT`, …).
pub fn hearth_with(
    data: &Path,
    args: &[&str],
    input: &str,
    env: &[(&str, &str)],
) -> (i32, String, String) {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hearth"));
    cmd.arg("--data")
        .arg(data)
        .args(args)
        .env_remove("HEARTH_DATA")
        .env("NO_COLOR", "1")
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run hearth");
    let mut stdin = child.stdin.take().expect("stdin");
    // A command that reads nothing may end before its input is written.
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    let out = child.wait_with_output().expect("run hearth");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The whole run as one text for a snapshot, with machine-specific paths replaced.
pub fn transcript(data: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = hearth(data, args);
    let redact = |s: &str| {
        s.replace(&data.display().to_string(), "[DATA]")
            .replace(&repo().display().to_string(), "[REPO]")
    };
    format!(
        "exit: {code}\n--- stdout\n{}--- stderr\n{}",
        redact(&stdout),
        redact(&stderr)
    )
}

/// Runs and parses stdout as JSON, failing on a non-zero exit.
pub fn json(data: &Path, args: &[&str]) -> serde_json::Value {
    let (code, stdout, stderr) = hearth(data, args);
    assert_eq!(code, 0, "hearth {args:?} failed: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// Installs the outside tools the tests use (Chromium, and the Python packages in the
/// project's `.tools/venv`), once per test process.
pub fn setup_test_tools() {
    static DONE: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    DONE.get_or_init(|| {
        let out = Command::new("bash")
            .arg(repo().join("scripts/setup-test-tools.sh"))
            .output()
            .expect("run scripts/setup-test-tools.sh");
        assert!(
            out.status.success(),
            "scripts/setup-test-tools.sh failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    });
}

/// The Python of the project's test environment (`scripts/setup-test-tools.sh` makes it).
pub fn tools_python() -> PathBuf {
    repo().join(".tools/venv/bin/python")
}

/// The password every test user gets.
pub const PASSWORD: &str = "a long enough password";

/// `hearth user add NAME --role ROLE --password-stdin` with [`PASSWORD`]; nothing on stdout.
pub fn add_user(dir: &Path, name: &str, role: &str) {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("--data")
        .arg(dir)
        .args(["user", "add", name, "--role", role, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hearth user add");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .expect("password");
    let out = child.wait_with_output().expect("user add");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "user add prints nothing on stdout");
}

/// A `hearth serve` process on a free loopback port; killed when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub base: String,
}

impl Server {
    /// A server that computes nothing ahead (`--warm-after 0`): each test's pages are
    /// computed when it asks, and the suite's two cores are not spent on warm-ups.
    pub fn start(data: &Path) -> Server {
        Server::start_with(data, &["--warm-after", "0"])
    }

    /// A server with more arguments to `hearth serve`.
    pub fn start_with(data: &Path, args: &[&str]) -> Server {
        use std::io::BufRead as _;
        let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .arg("--data")
            .arg(data)
            .args(["serve", "--listen", "127.0.0.1:0", "--login-delay-ms", "5"])
            .args(args)
            .env_remove("HEARTH_DATA")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start hearth serve");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = std::io::BufReader::new(stderr).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("hearth serve printed where it listens")
                .expect("stderr line");
            if let Some(at) = line.find("http://") {
                break line[at..].trim().to_owned();
            }
        };
        // Keep reading stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
