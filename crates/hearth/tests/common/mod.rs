//! Helpers shared by the CLI tests: run the real binary, redact paths, find real data.
#![allow(dead_code)]

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

/// Runs `hearth --data DIR ARGS...`, returning (exit code, stdout, stderr).
pub fn hearth(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("HEARTH_DATA")
        .env("NO_COLOR", "1")
        .current_dir(repo())
        .output()
        .expect("run hearth");
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
