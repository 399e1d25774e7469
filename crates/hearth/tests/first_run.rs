//! A first run that asks the right question: `hearth init` proposes who the brand is from the
//! data, each candidate with its evidence, and writes the chosen rules.

mod common;

use common::{data_dir, hearth, json, repo, usrp_users};

#[test]
fn init_proposes_the_vendor_domain_and_writes_it() {
    let dir = data_dir(None);
    let input = usrp_users();
    let (code, _, err) = hearth(
        dir.path(),
        &["-q", "ingest", "mbox", input.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("init` proposes who the brand is"),
        "the first ingest points at init: {err}"
    );

    let s = json(dir.path(), &["init", "--json"]);
    assert_eq!(s["brand_known"], 0);
    let candidates = s["candidates"].as_array().expect("candidates");
    let find = |v: &str| {
        candidates
            .iter()
            .find(|c| c["value"] == v)
            .unwrap_or_else(|| panic!("{v} listed"))
    };
    let ettus = find("ettus.com");
    assert_eq!(ettus["suggested"], true);
    assert!(ettus["people"].as_u64().unwrap_or(0) >= 10, "{ettus}");
    assert!(
        ettus["evidence"]
            .as_str()
            .unwrap_or("")
            .contains("of all answers")
    );
    // A university with two busy members is not the brand; the list's most helpful member
    // is shown to be checked, never suggested.
    assert_eq!(find("nd.edu")["suggested"], false);
    let marcus = find("Marcus D. Leech");
    assert_eq!(marcus["kind"], "central");
    assert_eq!(marcus["suggested"], false);
    assert_eq!(
        s["rules"],
        serde_json::json!(["brand_email_domains = [\"ettus.com\"]"])
    );
    let toml_before = std::fs::read_to_string(dir.path().join("hearth.toml")).expect("template");
    assert!(
        toml_before.contains("# Authors whose e-mail domain"),
        "the template is there"
    );

    // Without a terminal and without --yes nothing is written.
    let (code, _, err) = hearth(dir.path(), &["init"]);
    assert_eq!(code, 0);
    assert!(err.contains("nothing written"), "{err}");
    assert_eq!(
        json(dir.path(), &["report", "--json"])["community"]["verdict"],
        "unknown"
    );

    let (code, out, err) = hearth(dir.path(), &["init", "--yes"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("* domain         ettus.com"), "{out}");
    let toml = std::fs::read_to_string(dir.path().join("hearth.toml")).expect("rules");
    assert!(
        toml.contains("brand_email_domains = [\"ettus.com\"]"),
        "{toml}"
    );
    assert!(
        toml.contains("# Authors whose e-mail domain"),
        "comments kept"
    );
    let report = json(dir.path(), &["report", "--json"]);
    assert_eq!(report["community"]["verdict"], "community");
    let log = json(dir.path(), &["audit", "log", "--json"]).to_string();
    assert!(log.contains("rules.edit"), "the edit is audited");
}

#[test]
fn init_shows_platform_flags_and_adds_nothing_when_they_decide() {
    let dir = data_dir(None);
    let export = repo().join("../shared/data/slack/houstondatavis-export");
    let (code, _, err) = hearth(
        dir.path(),
        &["-q", "ingest", "slack", export.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    let s = json(dir.path(), &["init", "--json"]);
    assert!(
        s["brand_known"].as_u64().unwrap_or(0) > 0,
        "Slack admins are brand by rule"
    );
    let flags: Vec<&str> = s["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .filter(|c| c["kind"] == "platform_flag")
        .filter_map(|c| c["value"].as_str())
        .collect();
    assert!(flags.contains(&"admin"), "{flags:?}");
    assert_eq!(s["rules"], serde_json::json!([]));
    let (_, out, _) = hearth(dir.path(), &["init"]);
    assert!(out.contains("Nothing to add"), "{out}");
}
