//! The partitioned Parquet export and the same numbers on Apache Spark.
//!
//! Real parts only: the real binary writes `hearth export --format parquet --partitioned`
//! from stores of the real data in `../shared/data`; the Spark job (`spark/hearth_report.py`)
//! runs on real Apache Spark in local mode — pyspark from PyPI and a Java runtime from Debian,
//! installed by `scripts/setup-spark.sh` into `.tools/spark` on first use — through
//! `scripts/spark-report.sh`; `spark/compare.py` compares its JSON with `hearth report --json`
//! and `hearth metrics activity --json`, key by key, in total and for every space. The same
//! comparison on the 1,000,000-message replay is `bench/spark.sh 88`, which `.ci/run` runs
//! after the tests (a release build: the replay's store takes minutes to build in a debug
//! one), and BENCHMARKS.md reports at 1M and 10M.

mod common;

use common::{VENDOR_RULES, data_dir, hearth, json, repo, usrp_users};
use std::path::Path;
use std::process::Command;

fn ingest(data: &Path, format: &str, path: &Path) {
    let (code, _, err) = hearth(data, &["ingest", format, path.to_str().expect("path")]);
    assert_eq!(code, 0, "ingest {format} {}: {err}", path.display());
}

fn shared(rel: &str) -> std::path::PathBuf {
    usrp_users().join("../../..").join(rel)
}

fn export(data: &Path, out: &Path) -> serde_json::Value {
    json(
        data,
        &[
            "export",
            "--format",
            "parquet",
            "--partitioned",
            out.to_str().expect("path"),
            "--no-text",
            "--json",
        ],
    )
}

/// Runs the Spark job over `out` and compares it with the embedded engine on `data`.
fn spark_equals_embedded(data: &Path, out: &Path, window: &[&str]) -> String {
    let spark = Command::new("bash")
        .arg(repo().join("scripts/spark-report.sh"))
        .arg(out)
        .args(window)
        .output()
        .expect("run scripts/spark-report.sh");
    assert!(
        spark.status.success(),
        "spark-report.sh failed:\n{}",
        String::from_utf8_lossy(&spark.stderr)
    );
    let answer: serde_json::Value =
        serde_json::from_slice(&spark.stdout).expect("the Spark job prints JSON");
    assert!(
        answer["messages"].as_u64().is_some_and(|n| n > 0),
        "{answer}"
    );
    let file = out.with_extension("spark.json");
    std::fs::write(&file, &spark.stdout).expect("write");
    let compare = Command::new("python3")
        .arg(repo().join("spark/compare.py"))
        .arg(env!("CARGO_BIN_EXE_hearth"))
        .arg(data)
        .arg(&file)
        .args(window)
        .env("NO_COLOR", "1")
        .output()
        .expect("run spark/compare.py");
    let said = String::from_utf8_lossy(&compare.stdout).into_owned();
    assert!(
        compare.status.success(),
        "Spark and the embedded engine differ {window:?}:\n{said}{}",
        String::from_utf8_lossy(&compare.stderr)
    );
    said
}

#[test]
fn spark_computes_the_reports_core_equal_to_the_embedded_engine() {
    // usrp-users alone: one space, mail threads, orphan replies, the vendor's domains as brand.
    let usrp = data_dir(Some(VENDOR_RULES));
    ingest(usrp.path(), "mbox", &usrp_users());
    let out = usrp.path().join("parquet");
    export(usrp.path(), &out);
    let said = spark_equals_embedded(usrp.path(), &out, &[]);
    assert!(said.starts_with("equal: "), "{said}");

    // Five sources in one store: chat with inferred replies and mentions (IRC, Slack),
    // questions and answers, a forum; twenty spaces, each compared on its own.
    let multi = data_dir(Some(VENDOR_RULES));
    ingest(multi.path(), "mbox", &usrp_users());
    ingest(
        multi.path(),
        "slack",
        &shared("data/slack/houstondatavis-export"),
    );
    ingest(
        multi.path(),
        "stackexchange",
        &shared("data/stackexchange/cardano.stackexchange.com"),
    );
    ingest(multi.path(), "auto", &shared("data/discourse/askci"));
    ingest(multi.path(), "irc", &shared("data/irc-ubuntu/dev"));
    let out = multi.path().join("parquet");
    let written = export(multi.path(), &out);
    let report = json(multi.path(), &["report", "--json"]);
    assert_eq!(
        written["tables"][0]["rows"], report["messages"],
        "every message is exported"
    );
    assert!(report["interactions"]["inferred_replies"].as_u64() > Some(10_000));
    assert!(report["interactions"]["mentions"].as_u64() > Some(100));
    let said = spark_equals_embedded(multi.path(), &out, &[]);
    assert!(
        said.contains(" in 21 scopes"),
        "the total and 20 spaces: {said}"
    );
    // A window: the medians, the answered shares and the activity span change with it.
    let said = spark_equals_embedded(
        multi.path(),
        &out,
        &["--since", "2021-01-01", "--until", "2025-07-01"],
    );
    assert!(said.starts_with("equal: "), "{said}");
}

fn tables(outcome: &serde_json::Value) -> Vec<(String, usize, Vec<String>)> {
    outcome["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .map(|t| {
            (
                t["table"].as_str().unwrap_or_default().to_owned(),
                t["unchanged"].as_u64().unwrap_or_default() as usize,
                t["written"]
                    .as_array()
                    .expect("written")
                    .iter()
                    .map(|w| w.as_str().unwrap_or_default().to_owned())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn a_second_partitioned_export_rewrites_only_the_months_that_changed() {
    // 2019–2024 first, then 2025–2026: the new messages fall in 19 months.
    let src = tempfile::tempdir().expect("tempdir");
    let (early, late) = (src.path().join("early"), src.path().join("late"));
    for (dir, years) in [
        (
            &early,
            &["2019", "2020", "2021", "2022", "2023", "2024"][..],
        ),
        (&late, &["2025", "2026"][..]),
    ] {
        std::fs::create_dir_all(dir).expect("mkdir");
        for y in years {
            std::fs::copy(
                usrp_users().join(format!("{y}.mbox")),
                dir.join(format!("{y}.mbox")),
            )
            .expect("copy");
        }
    }
    let data = data_dir(Some(VENDOR_RULES));
    ingest(data.path(), "mbox", &early);
    let out = data.path().join("parquet");
    let first = export(data.path(), &out);
    assert_eq!(
        first["rewrote_all_because"],
        "first export into this directory"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest.json"))
            .expect("manifest");
    assert_eq!(manifest["schema_version"], 1);
    assert!(
        manifest["rules_hash"]
            .as_str()
            .is_some_and(|h| h.starts_with("sha256:"))
    );
    let msgs = &manifest["tables"]["messages"];
    assert_eq!(msgs["rows"], 10_297);
    let first_partition = &msgs["partitions"][0];
    assert_eq!(
        first_partition["path"],
        "messages/source=mbox/month=2019-04/part-0.parquet"
    );
    assert!(
        out.join("messages/source=mbox/month=2019-04/part-0.parquet")
            .is_file()
    );
    assert!(out.join("people").is_dir() && out.join("thread_roots").is_dir());

    // Nothing changed: nothing written.
    let again = export(data.path(), &out);
    assert_eq!(again["rewrote_all_because"], serde_json::Value::Null);
    for (table, _, written) in tables(&again) {
        assert!(written.is_empty(), "{table}: {written:?}");
    }

    // New messages: the messages, interactions and thread roots of the new months are
    // written, and no earlier month of them.
    ingest(data.path(), "mbox", &late);
    let after = export(data.path(), &out);
    assert_eq!(after["rewrote_all_because"], serde_json::Value::Null);
    for (table, unchanged, written) in tables(&after) {
        assert!(!written.is_empty(), "{table}");
        let earlier: Vec<&String> = written
            .iter()
            .filter(|w| !w.contains("month=2025-") && !w.contains("month=2026-"))
            .collect();
        if table == "people" {
            // A person's name is the one they wrote under last: a few of the people first
            // seen earlier changed their row.
            assert!(earlier.len() <= 3, "{earlier:?}");
        } else {
            assert!(earlier.is_empty(), "{table} rewrote {earlier:?}");
            assert!(unchanged >= 68, "{table}: {unchanged} unchanged");
        }
    }
    assert_eq!(after["tables"][0]["rows"], 11_385);
    assert_eq!(
        after["tables"][0]["written"].as_array().map(Vec::len),
        Some(19)
    );

    // A rule change rewrites every partition, and says why.
    let rules = format!("{VENDOR_RULES}bot_accounts = [\"nobody@example.org\"]\n");
    std::fs::write(data.path().join("hearth.toml"), rules).expect("rules");
    let changed = export(data.path(), &out);
    assert_eq!(
        changed["rewrote_all_because"],
        "the rules changed ([roles], [identity] or [replies] in hearth.toml)"
    );
    for (table, unchanged, _) in tables(&changed) {
        assert_eq!(unchanged, 0, "{table}");
    }
}

#[test]
fn a_partitioned_export_refuses_a_directory_it_did_not_write_and_a_window() {
    let data = data_dir(Some(VENDOR_RULES));
    ingest(
        data.path(),
        "mbox",
        &repo().join("fixtures/mbox/usrp-users-2026-excerpt.mbox"),
    );
    let foreign = data.path().join("somebody-elses");
    std::fs::create_dir_all(&foreign).expect("mkdir");
    std::fs::write(foreign.join("notes.txt"), "keep me").expect("write");
    let (code, _, err) = hearth(
        data.path(),
        &["export", "--partitioned", foreign.to_str().expect("path")],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("is not empty and holds no manifest.json"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt"))
            .ok()
            .as_deref(),
        Some("keep me")
    );
    let out = data.path().join("p");
    let (code, _, err) = hearth(
        data.path(),
        &[
            "export",
            "--partitioned",
            out.to_str().expect("path"),
            "--since",
            "2026-01-01",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("holds the whole store"), "{err}");
    let (code, _, err) = hearth(
        data.path(),
        &[
            "export",
            "--format",
            "csv",
            "--partitioned",
            out.to_str().expect("path"),
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Parquet only"), "{err}");
    assert!(!out.exists());
}
