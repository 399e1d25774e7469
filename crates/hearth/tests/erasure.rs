//! Erasure on request (`hearth people erase`): after erasing the most prolific member of
//! usrp-users, no file of the data directory, nor a fresh export or HTML report, holds their
//! name or address; everyone else's numbers are the same; reading the archive again keeps
//! them erased.

mod common;

use common::{VENDOR_RULES, data_dir, hearth, json, usrp_users};
use std::path::Path;

/// Marcus D. Leech: 2,330 messages of usrp-users, the list's most active member.
const ADDRESS: &str = "patchvonbraun@gmail.com";
const NAMES: &[&str] = &["Marcus D. Leech", "Marcus D Leech", "Marcus Leech"];

/// Files under `dir` (recursively) that hold one of `needles`, with the needle.
fn holding(dir: &Path, needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).expect("read file");
            for n in needles {
                if memchr::memmem::find(&bytes, n.as_bytes()).is_some() {
                    found.push(format!("{} holds {n:?}", path.display()));
                }
            }
        }
    }
    found
}

fn needles() -> Vec<&'static str> {
    let mut v = NAMES.to_vec();
    v.push(ADDRESS);
    v
}

/// Everyone but `person`, with their message counts and roles.
fn others(people: &serde_json::Value, person: &serde_json::Value) -> Vec<(String, u64, String)> {
    let mut v: Vec<_> = people
        .as_array()
        .expect("people")
        .iter()
        .filter(|p| {
            p["person"] != *person
                && !p["name"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("erased person")
        })
        .map(|p| {
            (
                p["name"].as_str().unwrap_or("").to_owned(),
                p["messages"].as_u64().unwrap_or(0),
                p["role"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn erasing_a_member_leaves_no_byte_of_them_and_others_numbers_unchanged() {
    let dir = data_dir(Some(VENDOR_RULES));
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    std::fs::copy(dir.path().join("hearth.toml"), data.join("hearth.toml")).expect("rules");
    let archive = usrp_users();
    let archive = archive.to_str().expect("utf-8");
    json(&data, &["ingest", "mbox", archive, "--json"]);

    // Work about them and about someone else that mentions them.
    let queue = json(&data, &["queue", "list", "--kind", "thank", "--json"]);
    let items = queue["items"].as_array().expect("items");
    let theirs = items
        .iter()
        .find(|i| i["key"].as_str().is_some_and(|k| k.contains(ADDRESS)))
        .expect("a thank-you item for them");
    let other = items
        .iter()
        .find(|i| !i["key"].as_str().is_some_and(|k| k.contains(ADDRESS)))
        .expect("a thank-you item for someone else");
    let id = theirs["id"].as_str().expect("id");
    let (code, _, err) = hearth(
        &data,
        &["queue", "done", id, "--note", "thanked Marcus D. Leech"],
    );
    assert_eq!(code, 0, "{err}");
    let other_id = other["id"].as_str().expect("id");
    let (code, _, err) = hearth(
        &data,
        &["queue", "note", other_id, "ask Marcus Leech to review"],
    );
    assert_eq!(code, 0, "{err}");

    let people_before = json(&data, &["people", "list", "--json"]);
    let report_before = json(&data, &["report", "--json"]);
    assert!(
        !holding(&data, &needles()).is_empty(),
        "the store holds them before the erasure (else this test proves nothing)"
    );

    // Without --yes and without a terminal it refuses, and erases nothing.
    let (code, _, err) = hearth(&data, &["people", "erase", ADDRESS]);
    assert_ne!(code, 0);
    assert!(err.contains("--yes"), "{err}");

    let vocabulary = || {
        let conn = rusqlite::Connection::open(data.join("hearth.sqlite")).expect("store");
        let words: std::collections::BTreeMap<u32, String> = conn
            .prepare("SELECT id, word FROM terms")
            .expect("terms")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("rows")
            .map(|r| r.expect("row"))
            .collect();
        let mut used = std::collections::BTreeSet::new();
        let mut ids = Vec::new();
        let mut stmt = conn
            .prepare("SELECT terms FROM text_measures WHERE terms IS NOT NULL")
            .expect("measures");
        let mut rows = stmt.query([]).expect("rows");
        while let Some(r) = rows.next().expect("row") {
            ids.clear();
            hearth_store::terms::decode(
                r.get_ref(0).expect("blob").as_blob().expect("blob"),
                &mut ids,
            );
            used.extend(ids.iter().copied());
        }
        (words, used)
    };
    let (words, used) = vocabulary();
    assert!(
        words.values().any(|w| w == "leech"),
        "their name is a theme term before"
    );
    assert_eq!(
        words
            .keys()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        used
    );

    let erased = json(&data, &["people", "erase", ADDRESS, "--yes", "--json"]);
    assert_eq!(erased["messages"], 2330, "{erased}");
    // The theme terms' vocabulary keeps only words some message still uses: their name goes.
    let (words, used) = vocabulary();
    assert_eq!(
        words
            .keys()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        used
    );
    // A part of their name stays a term only where someone else's remaining text still
    // writes it (as "Hi Marcus": the erasure scrubs their names, not every first name).
    let conn = rusqlite::Connection::open(data.join("hearth.sqlite")).expect("store");
    for part in ["leech", "marcus"] {
        let written: i64 = conn
            .query_row(
                "SELECT count(*) FROM message_text t JOIN messages m ON m.id = t.message_id
                  WHERE t.body LIKE ?1 OR m.subject LIKE ?1",
                [format!("%{part}%")],
                |r| r.get(0),
            )
            .expect("count");
        assert!(
            written > 0 || !words.values().any(|w| w == part),
            "{part} is a term no text uses"
        );
    }
    assert_eq!(erased["queue_states_removed"], 1, "{erased}");
    assert_eq!(erased["queue_notes_scrubbed"], 1, "{erased}");
    let person = erased["person"].clone();

    // Fresh outputs, then a byte search of everything in and out of the data directory.
    let out = dir.path().join("out");
    json(
        &data,
        &[
            "export",
            "--format",
            "csv",
            out.to_str().expect("utf-8"),
            "--json",
        ],
    );
    let (code, _, err) = hearth(
        &data,
        &[
            "report",
            "--html",
            out.join("report.html").to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, text, _) = hearth(&data, &["report"]);
    assert_eq!(code, 0);
    std::fs::write(out.join("report.txt"), text).expect("write");
    assert_eq!(holding(&data, &needles()), Vec::<String>::new());
    assert_eq!(holding(&out, &needles()), Vec::<String>::new());

    // Nobody else's numbers moved: the report is the same, and so is everyone else.
    let report_after = json(&data, &["report", "--json"]);
    assert_eq!(report_after, report_before);
    let people_after = json(&data, &["people", "list", "--json"]);
    assert_eq!(
        others(&people_after, &person),
        others(&people_before, &person)
    );
    let anonymous = people_after
        .as_array()
        .expect("people")
        .iter()
        .find(|p| {
            p["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("erased person"))
        })
        .expect("their messages stay as an anonymous person");
    assert_eq!(anonymous["messages"], 2330);

    // The audit log keeps who erased whom and when, and the other member's note, scrubbed.
    let log = json(&data, &["audit", "log", "--json"]);
    let log_text = log.to_string();
    assert!(log_text.contains("people.erase"), "{log_text}");
    assert!(log_text.contains("ask [erased] to review"), "{log_text}");
    assert!(!log_text.contains("Leech") && !log_text.contains(ADDRESS));

    // Reading the same archive again brings nothing of them back.
    let again = json(&data, &["ingest", "mbox", archive, "--json"]);
    assert_eq!(again["added"], 0);
    assert_eq!(holding(&data, &needles()), Vec::<String>::new());
    assert_eq!(json(&data, &["report", "--json"]), report_before);
    let (code, _, err) = hearth(&data, &["people", "show", ADDRESS]);
    assert_ne!(code, 0, "they are not found again: {err}");
}

#[test]
fn erasing_with_drop_messages_removes_them_and_a_reingest_keeps_them_out() {
    let dir = data_dir(Some(VENDOR_RULES));
    let archive = usrp_users();
    let archive = archive.to_str().expect("utf-8");
    json(dir.path(), &["ingest", "mbox", archive, "--json"]);
    let before = json(dir.path(), &["report", "--json"]);
    let erased = json(
        dir.path(),
        &[
            "people",
            "erase",
            ADDRESS,
            "--yes",
            "--drop-messages",
            "--json",
        ],
    );
    assert_eq!(erased["dropped"], true);
    let after = json(dir.path(), &["report", "--json"]);
    assert_eq!(
        after["messages"].as_u64(),
        before["messages"].as_u64().map(|n| n - 2330)
    );
    let again = json(dir.path(), &["ingest", "mbox", archive, "--json"]);
    assert_eq!(again["added"], 0, "{again}");
    assert_eq!(
        json(dir.path(), &["report", "--json"])["messages"],
        after["messages"]
    );
    assert_eq!(holding(dir.path(), &needles()), Vec::<String>::new());
}
