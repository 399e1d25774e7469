//! Nothing the data says reaches a terminal, a spreadsheet or a page as code: names and text
//! with escape sequences, NUL bytes, formulas and unclosed right-to-left overrides.

mod common;

use common::{data_dir, hearth, json};

/// Three members whose names and words are hostile, answering each other.
const HOSTILE: &str = concat!(
    r#"{"id": "h-1", "time": "2024-03-04T09:00:00Z", "author": "eve", "author_name": "\u001b[2J\u001b]0;owned\u0007Eve\u0000", "space": "forum", "subject": "@SUM(1+1)*cmd|' /C calc'!A0", "text": "=HYPERLINK(\"http://evil.example\",\"click\") how do I reset?"}"#,
    "\n",
    r#"{"id": "h-2", "time": "2024-03-04T10:00:00Z", "author": "mal", "author_name": "@Mal\u202eexe.txt", "space": "forum", "parent": "h-1", "text": "+1 try holding the button \u001b[31mred\u001b[0m"}"#,
    "\n",
    r#"{"id": "h-3", "time": "2024-03-04T11:00:00Z", "author": "eve", "author_name": "\u001b[2J\u001b]0;owned\u0007Eve\u0000", "space": "forum", "parent": "h-2", "text": "-thanks\u009b2J that worked"}"#,
    "\n",
);

fn store() -> tempfile::TempDir {
    let dir = data_dir(None);
    let file = dir.path().join("hostile.jsonl");
    std::fs::write(&file, HOSTILE).expect("write");
    let (code, _, err) = hearth(
        dir.path(),
        &["ingest", "jsonl", file.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    dir
}

fn acts_on_a_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn control_characters_in_names_and_text_never_reach_the_terminal() {
    let dir = store();
    for args in [
        &["people", "list"][..],
        &["people", "show", "eve"],
        &["members", "helpers"],
        &["queue", "--all"],
        &["audit", "roles"],
        &["explain", "first_response"],
        &["route", "--all"],
        &["report"],
        &["search", "button"],
    ] {
        let (code, out, err) = hearth(dir.path(), args);
        if code != 0 {
            // A command this build does not have is not what this test is about.
            assert!(err.contains("unrecognized subcommand"), "{args:?}: {err}");
            continue;
        }
        let bad: Vec<char> = out.chars().filter(|c| acts_on_a_terminal(*c)).collect();
        assert!(bad.is_empty(), "{args:?} printed {bad:?}:\n{out}");
    }
    // JSON keeps the exact text, escaped: the same value once parsed.
    let (code, raw, err) = hearth(dir.path(), &["people", "list", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(!raw.chars().any(acts_on_a_terminal), "{raw}");
    let people: serde_json::Value = serde_json::from_str(&raw).expect("json");
    let names: Vec<&str> = people
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(
        names.contains(&"\u{1b}[2J\u{1b}]0;owned\u{7}Eve\u{0}"),
        "{names:?}"
    );
    assert!(names.contains(&"@Mal\u{202e}exe.txt"), "{names:?}");
}

#[test]
fn csv_export_neutralises_formulas_and_jsonl_stays_exact() {
    let dir = store();
    let csv_dir = dir.path().join("csv");
    json(
        dir.path(),
        &[
            "export",
            "--format",
            "csv",
            csv_dir.to_str().expect("utf-8"),
            "--json",
        ],
    );
    let mut reader = csv::Reader::from_path(csv_dir.join("messages.csv")).expect("csv");
    let headers = reader.headers().expect("headers").clone();
    let mut cells = Vec::new();
    for row in reader.records() {
        cells.extend(row.expect("row").iter().map(str::to_owned));
    }
    for cell in &cells {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a cell a spreadsheet would run: {cell:?} ({headers:?})"
        );
    }
    assert!(
        cells.iter().any(|c| c.starts_with("'=HYPERLINK(")),
        "{cells:?}"
    );
    assert!(cells.iter().any(|c| c.starts_with("'+1 try")), "{cells:?}");
    assert!(cells.iter().any(|c| c.starts_with("'@Mal")), "{cells:?}");

    let jsonl_dir = dir.path().join("jsonl");
    json(
        dir.path(),
        &[
            "export",
            "--format",
            "jsonl",
            jsonl_dir.to_str().expect("utf-8"),
            "--json",
        ],
    );
    let text = std::fs::read_to_string(jsonl_dir.join("messages.jsonl")).expect("jsonl");
    assert!(
        text.contains(r#"=HYPERLINK(\"http://evil.example\""#),
        "{text}"
    );
    assert!(!text.contains("'=HYPERLINK"));
    // Nothing is left under a temporary name.
    for d in [&csv_dir, &jsonl_dir] {
        for e in std::fs::read_dir(d).expect("dir") {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            assert!(!name.ends_with(".tmp"), "{name}");
        }
    }
}

#[test]
fn unclosed_right_to_left_override_is_closed_in_the_html_report() {
    let dir = store();
    let page = dir.path().join("report.html");
    let (code, _, err) = hearth(
        dir.path(),
        &["report", "--html", page.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&page).expect("html");
    let mut at = 0;
    let mut seen = 0;
    while let Some(i) = html[at..].find('\u{202e}') {
        let start = at + i;
        seen += 1;
        // Closed before the markup around it resumes.
        let rest = &html[start..];
        let close = rest.find('\u{202c}').expect("closed");
        let markup = rest.find(['<', '"']).unwrap_or(rest.len());
        assert!(
            close < markup,
            "override left open: {:?}",
            &rest[..rest.len().min(80)]
        );
        at = start + '\u{202e}'.len_utf8();
    }
    assert!(seen > 0, "the name is on the page");
    assert!(!html.contains('\u{1b}'));
}
