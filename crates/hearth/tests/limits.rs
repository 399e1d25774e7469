//! Bounded memory on hostile files: a small `.zst` that decompresses to one endless line,
//! and a small Slack zip with one huge day file, are read under an address-space limit
//! smaller than what they expand to. The oversized record is passed over with a
//! diagnostic; the records around it are kept.

mod common;

use common::{data_dir, repo};
use std::process::Command;

/// Address space the ingest may use (KiB): far less than the files expand to.
const LIMIT_KIB: u64 = 300_000;

/// Runs `hearth ARGS` under `ulimit -v LIMIT_KIB`; (exit code, stdout, stderr).
fn hearth_limited(data: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let mut script = format!("ulimit -v {LIMIT_KIB} && exec \"$0\" --data \"$1\"");
    for i in 0..args.len() {
        script.push_str(&format!(" \"${}\"", i + 2));
    }
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_hearth"))
        .arg(data)
        .args(args)
        .current_dir(repo())
        .env_remove("HEARTH_DATA")
        .output()
        .expect("run hearth");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_zstd_bomb_of_one_endless_line_is_passed_over_in_bounded_memory() {
    let dir = data_dir(None);
    let bomb = dir.path().join("RC_2024-01.zst");
    // A good comment, then 512 MiB without a line end, then another good comment: zstd
    // frames may follow each other, so 64 copies of one 8 MiB frame make the bomb small.
    let good = |id: &str| {
        format!(
            "{{\"id\": \"{id}\", \"author\": \"ana\", \"body\": \"hi\", \"created_utc\": 1704067200, \"subreddit\": \"x\", \"parent_id\": \"t3_p\", \"link_id\": \"t3_p\"}}\n"
        )
    };
    let mut file = Vec::new();
    file.extend(zstd::encode_all(good("c1").as_bytes(), 3).expect("zstd"));
    let frame = zstd::encode_all(&vec![b'a'; 8 << 20][..], 19).expect("zstd");
    for _ in 0..64 {
        file.extend_from_slice(&frame);
    }
    file.extend(zstd::encode_all(format!("\n{}", good("c2")).as_bytes(), 3).expect("zstd"));
    std::fs::write(&bomb, &file).expect("write");
    assert!(file.len() < 1 << 20, "a small file: {} bytes", file.len());

    let (code, out, err) = hearth_limited(
        dir.path(),
        &["ingest", "reddit", bomb.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "no abort under the memory limit: {err}");
    assert!(out.contains("added 2"), "{out}");
    assert!(err.contains("longer than the record limit"), "{err}");
}

#[test]
fn a_slack_zip_with_one_huge_day_file_streams_in_bounded_memory() {
    let dir = data_dir(None);
    let zip = dir.path().join("export.zip");
    // Python's zipfile deflates 384 MiB quickly; the zip is under 1 MiB.
    let script = r#"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', compression=zipfile.ZIP_DEFLATED) as z:
    z.writestr('users.json', '[{"id": "U1", "name": "ana"}, {"id": "U2", "name": "ben"}]')
    with z.open('general/2020-01-01.json', 'w', force_zip64=True) as f:
        f.write(b'[{"type": "message", "user": "U1", "ts": "1517436010.000936", "text": "hi"},')
        f.write(b' {"type": "message", "user": "U2", "ts": "1517436011.000936", "text": "')
        chunk = b'a' * (1 << 20)
        for _ in range(384):
            f.write(chunk)
        f.write(b'"}, {"type": "message", "user": "U2", "ts": "1517436012.000936", "text": "after"}]')
"#;
    let made = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&zip)
        .status()
        .expect("python3");
    assert!(made.success());
    assert!(std::fs::metadata(&zip).expect("zip").len() < 1 << 20);

    let (code, out, err) = hearth_limited(
        dir.path(),
        &["ingest", "slack", zip.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "no abort under the memory limit: {err}");
    assert!(out.contains("added 2"), "{out}");
    assert!(err.contains("larger than the limit"), "{err}");
}

#[test]
fn a_csv_record_longer_than_the_limit_is_reported_where_it_starts() {
    let dir = data_dir(None);
    let file = dir.path().join("posts.csv");
    let huge = "x".repeat(300_000);
    std::fs::write(
        &file,
        format!(
            "id,time,author,space,text\n1,2024-01-01T00:00:00Z,ana,s,hi\n2,2024-01-01T01:00:00Z,ben,s,\"{huge}\n"
        ),
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("--data")
        .arg(dir.path())
        .args(["ingest", "csv"])
        .arg(&file)
        .env("HEARTH_MAX_RECORD_BYTES", "1000")
        .output()
        .expect("run hearth");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(stdout.contains("added 1"), "{stdout}");
    assert!(
        stderr.contains("posts.csv:3 (byte 58)") && stderr.contains("longer than the record limit"),
        "{stderr}"
    );
}
