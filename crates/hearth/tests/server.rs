//! `hearth serve` end to end: a real server on loopback over the real usrp-users store, a real
//! HTTP client (ureq), nothing mocked. The API answers what the CLI prints; every route of the
//! route table is walked with no login and with each role; sessions, CSRF, throttling, the
//! audit log, ETags, problem details, pagination, uploads, concurrent ingest and a graceful
//! shutdown; the OpenAPI document is checked against the router and by an independent
//! validator (openapi-spec-validator from PyPI, in the project's `.tools/venv`).

mod common;

use common::{
    PASSWORD, Server, VENDOR_RULES, add_user, data_dir, hearth, repo, usrp_users, usrp_users_store,
};
use hearth_server::routes::{Access, BodyKind, Kind, ROUTES};
use serde_json::json;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(std::time::Duration::from_secs(120)))
        .build()
        .into()
}

/// Status, headers and body of an answer.
struct Got {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: String,
}

impl Got {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }
}

fn got(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Got {
    let mut r = r.expect("request");
    Got {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.body_mut().read_to_string().unwrap_or_default(),
    }
}

fn get(url: &str, token: Option<&str>) -> Got {
    let mut req = agent().get(url);
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    got(req.call())
}

fn post_json(url: &str, token: Option<&str>, body: &serde_json::Value) -> Got {
    let mut req = agent().post(url).content_type("application/json");
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    got(req.send(body.to_string()))
}

/// The shared store: usrp-users with the vendor as brand, a user and a token per role. It
/// lives in the test target's temporary folder (made anew by each run), so nothing of it
/// outlives the next run; each test starts its own server on it, stopped when the test ends.
struct Fixture {
    dir: std::path::PathBuf,
    tokens: Vec<(&'static str, String)>,
}

impl Fixture {
    fn path(&self) -> &Path {
        &self.dir
    }

    fn token(&self, role: &str) -> &str {
        &self
            .tokens
            .iter()
            .find(|(r, _)| *r == role)
            .expect("role")
            .1
    }
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("server-store");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("fixture dir");
        std::fs::write(dir.join("hearth.toml"), VENDOR_RULES).expect("rules");
        let input = usrp_users();
        let (code, _, err) = hearth(
            &dir,
            &["-q", "ingest", "mbox", input.to_str().expect("path")],
        );
        assert_eq!(code, 0, "{err}");
        let mut tokens = Vec::new();
        for role in ["viewer", "community", "social", "admin"] {
            add_user(&dir, &format!("{role}-user"), role);
            let (code, out, err) = hearth(
                &dir,
                &["token", "create", &format!("{role}-script"), "--role", role],
            );
            assert_eq!(code, 0, "{err}");
            let token = out.trim().to_owned();
            assert_eq!(out, format!("{token}\n"), "the token alone on stdout");
            assert!(token.starts_with("hearth_") && token.len() == 71, "{token}");
            tokens.push((role, token));
        }
        Fixture { dir, tokens }
    })
}

/// Logs in with the form and returns (cookie value, CSRF token).
fn login(server: &Server, name: &str, password: &str) -> Option<(String, String)> {
    let r = got(agent()
        .post(&server.url("/login"))
        .header("Accept", "application/json")
        .send_form([("username", name), ("password", password)]));
    if r.status != 200 {
        return None;
    }
    let cookie = r.header("set-cookie");
    let value = cookie
        .strip_prefix("hearth_session=")
        .and_then(|c| c.split(';').next())
        .expect("session cookie")
        .to_owned();
    Some((value, r.json()["csrf"].as_str().expect("csrf").to_owned()))
}

#[test]
fn report_over_http_is_the_cli_json_byte_for_byte() {
    let f = fixture();
    let server = Server::start(f.path());
    let viewer = f.token("viewer");
    for query in ["", "?since=2025-01-01&until=2026-01-01"] {
        let api = get(&server.url(&format!("/api/v1/report{query}")), Some(viewer));
        assert_eq!(api.status, 200, "{}", api.body);
        assert_eq!(api.header("content-type"), "application/json");
        let mut args = vec!["report", "--json"];
        if !query.is_empty() {
            args.extend(["--since", "2025-01-01", "--until", "2026-01-01"]);
        }
        let (code, cli, err) = hearth(f.path(), &args);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            api.body, cli,
            "GET /api/v1/report{query} == hearth {args:?}"
        );
    }
    // The same for the other answers the CLI gives with --json.
    for (path, args) in [
        ("/api/v1/queue", vec!["queue", "--json"]),
        (
            "/api/v1/metrics?name=peer_share,first_response",
            vec!["metrics", "peer_share", "first_response", "--json"],
        ),
        (
            "/api/v1/members/helpers?limit=5",
            vec!["members", "helpers", "--limit", "5", "--json"],
        ),
        (
            "/api/v1/people?role=brand",
            vec!["people", "list", "--role", "brand", "--json"],
        ),
        (
            "/api/v1/audit/roles?since=2025-01-01",
            vec!["audit", "roles", "--since", "2025-01-01", "--json"],
        ),
        (
            "/api/v1/explain/peer_share",
            vec!["explain", "peer_share", "--json"],
        ),
        (
            "/api/v1/social/responses",
            vec!["social", "responses", "--json"],
        ),
    ] {
        let api = get(&server.url(path), Some(viewer));
        assert_eq!(api.status, 200, "{path}: {}", api.body);
        let (code, cli, err) = hearth(f.path(), &args);
        assert_eq!(code, 0, "{err}");
        let (a, c): (serde_json::Value, serde_json::Value) =
            (api.json(), serde_json::from_str(&cli).expect("cli json"));
        assert_eq!(a, c, "{path} == hearth {args:?}");
    }
}

#[test]
fn report_answers_carry_an_etag_and_honour_if_none_match() {
    let f = fixture();
    let server = Server::start(f.path());
    let url = server.url("/api/v1/report");
    let first = get(&url, Some(f.token("viewer")));
    let etag = first.header("etag");
    assert!(etag.starts_with("\"g"), "{etag}");
    let again = got(agent()
        .get(&url)
        .header("Authorization", &format!("Bearer {}", f.token("viewer")))
        .header("If-None-Match", &etag)
        .call());
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    // Another window is another answer with another tag.
    let other = get(&format!("{url}?since=2024-01-01"), Some(f.token("viewer")));
    assert_ne!(other.header("etag"), etag);
}

#[test]
fn every_route_refuses_without_login_and_follows_the_role_matrix() {
    let f = fixture();
    let server = Server::start(f.path());
    let roles = ["viewer", "community", "social", "admin"];
    let mut checked = 0;
    for r in ROUTES {
        // Logging in is checked in its own test (failures here would count toward throttling).
        if r.path == "/login" && r.method == "POST" {
            continue;
        }
        let path = r
            .path
            .split('/')
            .map(|s| if s.starts_with('{') { "zzz-none" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let url = server.url(&path);
        let call = |token: Option<&str>| -> Got {
            let auth = token.map(|t| format!("Bearer {t}"));
            match r.method {
                "GET" => {
                    let mut q = agent().get(&url);
                    if let Some(a) = &auth {
                        q = q.header("Authorization", a);
                    }
                    got(q.call())
                }
                "DELETE" => {
                    let mut q = agent().delete(&url);
                    if let Some(a) = &auth {
                        q = q.header("Authorization", a);
                    }
                    got(q.call())
                }
                _ => {
                    let mut q = agent().post(&url);
                    if let Some(a) = &auth {
                        q = q.header("Authorization", a);
                    }
                    match r.body {
                        Some(BodyKind::Text) => got(q.content_type("text/plain").send(
                            "Community Manager: welcome newcomers, connect members, answer questions.",
                        )),
                        Some(BodyKind::Upload) => got(q.send_empty()),
                        _ => got(q.content_type("application/json").send("{}")),
                    }
                }
            }
        };
        let anonymous = call(None);
        match r.access {
            Access::Public => assert!(
                anonymous.status < 400,
                "{} {} is public: {} {}",
                r.method,
                r.path,
                anonymous.status,
                anonymous.body
            ),
            _ if r.kind == Kind::Html => {
                assert_eq!(anonymous.status, 303, "{} {}", r.method, r.path);
                assert!(anonymous.header("location").starts_with("/login?next="));
            }
            _ => {
                assert_eq!(
                    anonymous.status, 401,
                    "{} {} without login",
                    r.method, r.path
                );
                assert_eq!(anonymous.header("content-type"), "application/problem+json");
            }
        }
        for role in roles {
            let answer = call(Some(f.token(role)));
            let allowed = match r.access {
                Access::Public | Access::Read | Access::Session => true,
                Access::Queue => role != "viewer",
                Access::People => role == "community" || role == "admin",
                Access::Posts => role == "social" || role == "admin",
                Access::Admin => role == "admin",
            };
            if allowed {
                assert!(
                    answer.status != 401 && answer.status != 403 && answer.status != 405,
                    "{} {} as {role}: {} {}",
                    r.method,
                    r.path,
                    answer.status,
                    answer.body
                );
                assert!(
                    !answer.body.contains("\"no route "),
                    "{} {} is routed",
                    r.method,
                    r.path
                );
            } else {
                assert_eq!(
                    answer.status, 403,
                    "{} {} as {role}: {}",
                    r.method, r.path, answer.body
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 4 * 35, "walked {checked} route × role pairs");
    // Anything else is a 404 problem, and a known path with another method a 405.
    let none = get(&server.url("/api/v1/nothing-here"), Some(f.token("admin")));
    assert_eq!(none.status, 404);
    assert_eq!(none.json()["status"], 404);
    let wrong = got(agent()
        .delete(&server.url("/api/v1/report"))
        .header("Authorization", &format!("Bearer {}", f.token("admin")))
        .call());
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.header("allow"), "GET");
}

#[test]
fn sessions_need_csrf_and_changes_land_in_the_audit_log() {
    let f = fixture();
    let server = Server::start(f.path());
    let s = &server;
    // The login form answers with a session cookie: HttpOnly, SameSite=Strict.
    let form = got(agent()
        .post(&s.url("/login"))
        .send_form([("username", "community-user"), ("password", PASSWORD)]));
    assert_eq!(form.status, 303);
    assert_eq!(form.header("location"), "/");
    let cookie = form.header("set-cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let (session, csrf) = login(s, "community-user", PASSWORD).expect("login");
    let with = |req: ureq::RequestBuilder<ureq::typestate::WithBody>| {
        req.header("Cookie", &format!("hearth_session={session}"))
    };
    let me = got(agent()
        .get(&s.url("/api/v1/me"))
        .header("Cookie", &format!("hearth_session={session}"))
        .call());
    assert_eq!(me.json()["name"], "community-user");
    assert_eq!(me.json()["role"], "community");

    // A community item and a social one from today's queue.
    let queue = get(&s.url("/api/v1/queue"), Some(f.token("viewer"))).json();
    let items = queue["items"].as_array().expect("items");
    let community = items
        .iter()
        .find(|i| i["kind"] == "thank")
        .expect("a helper to thank");
    let id = community["id"].as_str().expect("id");
    let done_url = s.url(&format!("/api/v1/queue/{id}/done"));

    // Without the CSRF token, or from another origin, a cookie changes nothing.
    let no_csrf = got(with(agent().post(&done_url)).send_empty());
    assert_eq!(no_csrf.status, 403, "{}", no_csrf.body);
    assert_eq!(no_csrf.json()["type"], "/api/v1/problems#csrf");
    let cross = got(with(agent().post(&done_url))
        .header("X-CSRF-Token", &csrf)
        .header("Origin", "http://evil.example")
        .send_empty());
    assert_eq!(cross.status, 403);
    let wrong = got(with(agent().post(&done_url))
        .header("X-CSRF-Token", "00")
        .send_empty());
    assert_eq!(wrong.status, 403);

    // With it (header, or the form field), the change is made.
    let done = got(with(agent().post(&done_url))
        .header("X-CSRF-Token", &csrf)
        .content_type("application/json")
        .send(r#"{"note":"thanked on the list"}"#));
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.json()["status"], "done");
    let assign = got(
        with(agent().post(&s.url(&format!("/api/v1/queue/{id}/assign"))))
            .send_form([("csrf", csrf.as_str()), ("who", "community-user")]),
    );
    assert_eq!(assign.status, 200, "{}", assign.body);

    // The team sees it: through the API as another user, and in the CLI.
    let all = get(
        &s.url("/api/v1/queue?all=true&kind=thank"),
        Some(f.token("social")),
    )
    .json();
    let item = all["items"]
        .as_array()
        .and_then(|l| l.iter().find(|i| i["id"] == id))
        .expect("item listed with --all");
    assert_eq!(item["status"], "done");
    assert_eq!(item["assignee"], "community-user");
    let mine = get(
        &s.url("/api/v1/queue?mine=true&all=true"),
        Some(f.token("viewer")),
    )
    .json();
    assert!(
        mine["items"].as_array().is_some_and(Vec::is_empty),
        "viewer-script has no items"
    );
    let (code, cli, _) = hearth(f.path(), &["queue", "--all", "--json"]);
    assert_eq!(code, 0);
    assert!(cli.contains("thanked on the list"));

    // The social role may not change a community item.
    let social = post_json(
        &s.url(&format!("/api/v1/queue/{id}/reopen")),
        Some(f.token("social")),
        &serde_json::json!({}),
    );
    assert_eq!(social.status, 403, "{}", social.body);

    // Every change is in the audit log, with who made it.
    let log = get(
        &s.url("/api/v1/audit/log?per_page=20"),
        Some(f.token("admin")),
    )
    .json();
    let actions: Vec<(String, String)> = log
        .as_array()
        .expect("log")
        .iter()
        .map(|c| {
            (
                c["actor"].as_str().unwrap_or("").to_owned(),
                c["action"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert!(
        actions.contains(&("user:community-user".into(), "queue.done".into())),
        "{actions:?}"
    );
    assert!(actions.contains(&("user:community-user".into(), "queue.assign".into())));
    let (_, cli_log, _) = hearth(f.path(), &["audit", "log", "--json"]);
    assert!(cli_log.contains("queue.done") && cli_log.contains("token.create"));
    // The viewer may read the log? No: admins only.
    assert_eq!(
        get(&s.url("/api/v1/audit/log"), Some(f.token("viewer"))).status,
        403
    );

    // Logout ends the session.
    let out = got(with(agent().post(&s.url("/logout")))
        .header("X-CSRF-Token", &csrf)
        .send_empty());
    assert_eq!(out.status, 303);
    let after = got(agent()
        .get(&s.url("/api/v1/me"))
        .header("Cookie", &format!("hearth_session={session}"))
        .call());
    assert_eq!(after.status, 401);
}

#[test]
fn failed_logins_slow_down_then_lock_until_an_admin_clears_it() {
    let f = fixture();
    let server = Server::start(f.path());
    let s = &server;
    add_user(f.path(), "locked-out", "viewer");
    assert!(login(s, "locked-out", PASSWORD).is_some());
    let mut statuses = Vec::new();
    for _ in 0..hearth_app::team::throttle::LOCK_AT {
        statuses.push(
            got(agent()
                .post(&s.url("/login"))
                .header("Accept", "application/json")
                .send_form([("username", "locked-out"), ("password", "wrong password!!")]))
            .status,
        );
    }
    assert!(statuses.iter().all(|s| *s == 401), "{statuses:?}");
    // Locked now: even the right password is refused.
    let locked = got(agent()
        .post(&s.url("/login"))
        .header("Accept", "application/json")
        .send_form([("username", "locked-out"), ("password", PASSWORD)]));
    assert_eq!(locked.status, 423, "{}", locked.body);
    let locks = get(&s.url("/api/v1/locks"), Some(f.token("admin"))).json();
    assert!(
        locks
            .as_array()
            .expect("locks")
            .iter()
            .any(|l| l["subject"] == "user:locked-out" && !l["locked_at"].is_null()),
        "{locks}"
    );
    let clear = got(agent()
        .delete(&s.url("/api/v1/locks/user:locked-out"))
        .header("Authorization", &format!("Bearer {}", f.token("admin")))
        .call());
    assert_eq!(clear.status, 200, "{}", clear.body);
    assert!(login(s, "locked-out", PASSWORD).is_some(), "unlocked");
    let (_, log, _) = hearth(f.path(), &["audit", "log", "--json"]);
    assert!(log.contains("login.lock") && log.contains("login.unlock"));
}

#[test]
fn errors_are_problem_details_and_lists_are_paginated() {
    let f = fixture();
    let server = Server::start(f.path());
    let s = &server;
    let t = Some(f.token("viewer"));
    for (path, status, says) in [
        ("/api/v1/metrics?name=bogus", 400, "no metric named"),
        (
            "/api/v1/report?since=2026-01-01&until=2025-01-01",
            400,
            "since must be before until",
        ),
        ("/api/v1/report?colour=red", 400, "unknown parameter"),
        ("/api/v1/report?since=yesterday", 400, "expected a date"),
        ("/api/v1/metrics?space=nowhere", 404, "no space named"),
        ("/api/v1/people/999999999", 404, "no person"),
        ("/api/v1/explain/bogus", 404, "no metric named"),
    ] {
        let r = get(&s.url(path), t);
        assert_eq!(r.status, status, "{path}: {}", r.body);
        assert_eq!(
            r.header("content-type"),
            "application/problem+json",
            "{path}"
        );
        let p = r.json();
        assert_eq!(p["status"], status);
        assert!(
            p["detail"].as_str().unwrap_or("").contains(says),
            "{path}: {p}"
        );
        assert_eq!(p["instance"], path.split('?').next().unwrap_or(""));
    }
    let all = get(&s.url("/api/v1/people"), t).json();
    let total = all.as_array().expect("people").len();
    let page = get(&s.url("/api/v1/people?per_page=10&page=2"), t);
    assert_eq!(page.status, 200);
    assert_eq!(page.header("x-total-count"), total.to_string());
    assert_eq!(page.json().as_array().map(Vec::len), Some(10));
    assert_eq!(page.json()[0], all[10]);
    assert!(
        page.header("link")
            .contains("page=3&per_page=10>; rel=\"next\"")
    );
    assert_eq!(get(&s.url("/api/v1/people?per_page=0"), t).status, 400);
}

#[test]
fn the_openapi_document_matches_the_router_and_validates() {
    let f = fixture();
    let server = Server::start(f.path());
    let doc = get(&server.url("/api/v1/openapi.json"), None);
    assert_eq!(doc.status, 200, "the OpenAPI document needs no login");
    let v = doc.json();
    assert_eq!(v["openapi"], "3.1.0");
    let paths = v["paths"].as_object().expect("paths");
    let mut documented = Vec::new();
    for (path, item) in paths {
        for method in ["get", "post", "delete", "put", "patch"] {
            if item.get(method).is_some() {
                documented.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    let mut routed: Vec<String> = ROUTES
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    documented.sort();
    routed.sort();
    assert_eq!(
        documented, routed,
        "every route documented, every documented route routed"
    );
    // Each operation lists the query parameters the guard accepts.
    for r in ROUTES {
        let op = &paths[r.path][r.method.to_lowercase()];
        let names: Vec<&str> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query")
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert_eq!(names, r.query_names(), "{} {}", r.method, r.path);
    }
    common::setup_test_tools();
    let file = f.path().join("openapi.json");
    std::fs::write(&file, &doc.body).expect("write");
    let out = Command::new(common::tools_python())
        .args([
            "-c",
            "import json, sys; from openapi_spec_validator import validate; \
             validate(json.load(open(sys.argv[1]))); print('valid')",
        ])
        .arg(&file)
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "openapi-spec-validator: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "valid");
}

#[test]
fn readers_never_see_a_half_written_ingest_and_uploads_are_read() {
    let dir = data_dir(Some(VENDOR_RULES));
    let askci = repo().join("../shared/data/discourse/askci");
    let (code, _, err) = hearth(
        dir.path(),
        &["-q", "ingest", "auto", askci.to_str().expect("p")],
    );
    assert_eq!(code, 0, "{err}");
    let (_, token, _) = hearth(dir.path(), &["token", "create", "ops", "--role", "admin"]);
    let token = token.trim().to_owned();
    let server = Server::start(dir.path());
    let before = get(&server.url("/api/v1/report"), Some(&token)).json()["messages"]
        .as_u64()
        .expect("messages");
    // An ingest from the CLI while the server answers: every answer is whole, before or after.
    let input = usrp_users();
    let data = dir.path().to_path_buf();
    let ingest = std::thread::spawn(move || {
        hearth(
            &data,
            &[
                "-q",
                "ingest",
                "mbox",
                input.to_str().expect("path"),
                "--json",
            ],
        )
    });
    let mut seen = std::collections::BTreeSet::new();
    while !ingest.is_finished() {
        let r = get(&server.url("/api/v1/report"), Some(&token));
        assert_eq!(r.status, 200, "{}", r.body);
        seen.insert(r.json()["messages"].as_u64().expect("messages"));
    }
    let (code, summary, err) = ingest.join().expect("ingest thread");
    assert_eq!(code, 0, "{err}");
    // The store commits at each file's end (and every 50,000 messages): the states a reader
    // may see are exactly those.
    let summary: serde_json::Value = serde_json::from_str(&summary).expect("summary");
    let mut committed = vec![before];
    for f in summary["files"].as_array().expect("files") {
        let last = committed.last().copied().unwrap_or(before);
        committed.push(last + f["added"].as_u64().expect("added"));
    }
    // While the new numbers are computed the last ones are served (docs/server.md): the
    // next answers reach the ingest's end, and are always a committed state on the way.
    let after = before + 11_385;
    let mut last = 0;
    for _ in 0..200 {
        last = get(&server.url("/api/v1/report"), Some(&token)).json()["messages"]
            .as_u64()
            .expect("messages");
        seen.insert(last);
        if last == after {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(last, after, "the report reaches the ingest's end");
    assert!(
        seen.iter().all(|n| committed.contains(n)),
        "seen {seen:?}, committed {committed:?}"
    );
    assert!(
        seen.len() >= 2,
        "answers kept coming during the ingest: {seen:?}"
    );

    // An upload through the server is read like a file given to the CLI.
    let jsonl = repo().join("fixtures/generic/messages.jsonl");
    let bytes = std::fs::read(&jsonl).expect("fixture");
    let up = got(agent()
        .post(&server.url("/api/v1/ingest?format=jsonl&name=../../community.jsonl"))
        .header("Authorization", &format!("Bearer {token}"))
        .content_type("application/octet-stream")
        .send(&bytes[..]));
    assert_eq!(up.status, 200, "{}", up.body);
    let added = up.json()[0]["added"].as_u64().expect("added");
    assert!(added > 0, "{}", up.body);
    // A new generation may be answered from the last one while it is computed (see
    // hearth-server's cache.rs): the report reaches the upload within a few answers.
    let mut last = 0;
    for _ in 0..200 {
        last = get(&server.url("/api/v1/report"), Some(&token)).json()["messages"]
            .as_u64()
            .expect("messages");
        if last == after + added {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(last, after + added);
    // The upload is kept inside the data directory under a name of the server's.
    let kept: Vec<_> = std::fs::read_dir(dir.path().join("uploads"))
        .expect("uploads")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(!kept[0].contains('/') && kept[0].ends_with("community.jsonl"));
    let (_, log, _) = hearth(dir.path(), &["audit", "log", "--json"]);
    assert!(log.contains("\"token:ops\"") && log.contains("\"ingest\""));
}

#[test]
fn sigterm_ends_the_server_gracefully() {
    let f = fixture();
    let mut s = Server::start(f.path());
    assert_eq!(get(&s.url("/healthz"), None).status, 200);
    let killed = Command::new("kill")
        .args(["-TERM", &s.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let mut waited = 0;
    let status = loop {
        if let Some(st) = s.child.try_wait().expect("wait") {
            break st;
        }
        waited += 1;
        assert!(waited < 300, "the server stops within 30 s of SIGTERM");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_backup_while_serving_is_the_same_store() {
    let f = fixture();
    let server = Server::start(f.path());
    assert_eq!(get(&server.url("/healthz"), None).status, 200);
    let copy = data_dir(Some(VENDOR_RULES));
    let file = copy.path().join("hearth.sqlite");
    let (code, _, err) = hearth(f.path(), &["backup", file.to_str().expect("path")]);
    assert_eq!(code, 0, "{err}");
    let (_, original, _) = hearth(f.path(), &["report", "--json"]);
    let (code, restored, err) = hearth(copy.path(), &["report", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(restored, original);
    // A backup never overwrites a file.
    let (code, _, err) = hearth(f.path(), &["backup", file.to_str().expect("path")]);
    assert_eq!(code, 1);
    assert!(err.contains("exists already"), "{err}");
}

#[test]
fn an_admin_erases_a_person_over_http_and_no_cached_page_names_them_again() {
    let dir = usrp_users_store(VENDOR_RULES);
    let token = |role: &str| {
        let (code, out, err) = hearth(
            dir.path(),
            &["token", "create", &format!("{role}-erase"), "--role", role],
        );
        assert_eq!(code, 0, "{err}");
        out.trim().to_owned()
    };
    let (admin, community) = (token("admin"), token("community"));
    let server = Server::start(dir.path());
    // The HTML report names the list's most active member, and is now cached.
    let report = get(&server.url("/api/v1/report.html"), Some(&admin));
    assert!(report.body.contains("Marcus D. Leech"));
    let person = get(
        &server.url("/api/v1/people?name=patchvonbraun"),
        Some(&admin),
    )
    .json()[0]["person"]
        .to_string();
    let url = server.url(&format!("/api/v1/people/{person}/erase"));

    let refused = post_json(
        &url,
        Some(&community),
        &serde_json::json!({"confirm": person}),
    );
    assert_eq!(refused.status, 403, "only an admin erases");
    let unconfirmed = post_json(&url, Some(&admin), &serde_json::json!({"confirm": "1"}));
    assert_eq!(unconfirmed.status, 400, "{}", unconfirmed.body);
    let erased = post_json(&url, Some(&admin), &serde_json::json!({"confirm": person}));
    assert_eq!(erased.status, 200, "{}", erased.body);
    assert_eq!(erased.json()["messages"], 2330);

    let report = get(&server.url("/api/v1/report.html"), Some(&admin));
    assert_eq!(report.status, 200);
    assert!(!report.body.contains("Marcus D. Leech"));
    assert!(!report.body.contains("patchvonbraun"));
    let gone = get(
        &server.url("/api/v1/people?name=patchvonbraun"),
        Some(&admin),
    );
    assert_eq!(gone.status, 404, "{}", gone.body);
    let log = get(&server.url("/api/v1/audit/log"), Some(&admin)).body;
    assert!(
        log.contains("people.erase") && log.contains("token:admin-erase"),
        "{log}"
    );
}

#[test]
fn every_form_and_change_refuses_a_session_without_its_csrf_token() {
    let f = fixture();
    let server = Server::start(f.path());
    let (session, csrf) = login(&server, "admin-user", PASSWORD).expect("login");
    let cookie = format!("hearth_session={session}");
    let mut checked = 0;
    for r in ROUTES {
        if r.method == "GET" || r.access == Access::Public {
            continue;
        }
        let path = r
            .path
            .split('/')
            .map(|s| if s.starts_with('{') { "zzz-none" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let url = server.url(&path);
        let send = |fields: &[(&str, &str)], origin: Option<&str>| -> Got {
            let mut q = match r.method {
                "DELETE" => agent().delete(&url).force_send_body(),
                _ => agent().post(&url),
            };
            q = q.header("Cookie", &cookie);
            if let Some(o) = origin {
                q = q.header("Origin", o);
            }
            got(q.send_form(fields.iter().copied()))
        };
        // Page forms and API changes alike: no token, a wrong one, another site's origin.
        for (what, answer) in [
            ("no token", send(&[("back", "/")], None)),
            (
                "a wrong token",
                send(&[("csrf", "0011"), ("back", "/")], None),
            ),
            (
                "another origin",
                send(
                    &[("csrf", &csrf), ("back", "/")],
                    Some("http://evil.example"),
                ),
            ),
        ] {
            assert_eq!(
                answer.status, 403,
                "{} {} with {what}: {} {}",
                r.method, r.path, answer.status, answer.body
            );
            checked += 1;
        }
    }
    assert!(checked >= 3 * 20, "checked {checked} refusals");
    // With the session's token, a page form goes through.
    let ok = got(agent()
        .post(&server.url("/jobs"))
        .header("Cookie", &cookie)
        .send_form([
            ("csrf", csrf.as_str()),
            ("posting", "Community Manager: welcome newcomers."),
        ]));
    assert_eq!(ok.status, 200, "{}", ok.body);
}

/// The brand's posts over the API, with `[social] approval = "required"`: a social token
/// drafts (with an image as base64) and submits; the same token may not approve its own
/// post; a viewer may not draft; an admin approves and schedules; the answers are the CLI's.
#[test]
fn posts_over_the_api_follow_the_approval_rule() {
    use base64::Engine as _;
    let dir = data_dir(Some("[social]\napproval = \"required\"\n"));
    let d = dir.path();
    let token = |name: &str, role: &str| {
        let (code, out, err) = hearth(d, &["token", "create", name, "--role", role]);
        assert_eq!(code, 0, "{err}");
        out.trim().to_owned()
    };
    let (social, admin, viewer) = (
        token("sol", "social"),
        token("ada", "admin"),
        token("vic", "viewer"),
    );
    let server = Server::start(d);
    let png = std::fs::read(repo().join("docs/img/report-verdict.png")).expect("png");
    let draft = json!({
        "text": "Our verdict: https://example.org/r",
        "networks": ["bluesky", "mastodon"],
        "mastodon_text": "Our verdict, in full: https://example.org/r",
        "images": [{"name": "verdict.png", "alt": "The verdict", "base64": base64::engine::general_purpose::STANDARD.encode(&png)}],
    });
    let refused = post_json(&server.url("/api/v1/posts"), Some(&viewer), &draft);
    assert_eq!(refused.status, 403, "{}", refused.body);
    let made = post_json(&server.url("/api/v1/posts"), Some(&social), &draft);
    assert_eq!(made.status, 201, "{}", made.body);
    let p = made.json();
    assert_eq!(
        (p["id"].as_i64(), p["author"].as_str()),
        (Some(1), Some("token:sol"))
    );
    assert_eq!(p["images"][0]["bytes"].as_u64(), Some(png.len() as u64));
    assert_eq!(
        p["versions"]["mastodon"],
        "Our verdict, in full: https://example.org/r"
    );
    let unknown = post_json(
        &server.url("/api/v1/posts"),
        Some(&social),
        &json!({"text": "x", "colour": "red"}),
    );
    assert_eq!(unknown.status, 400);
    let submit = post_json(
        &server.url("/api/v1/posts/1/submit"),
        Some(&social),
        &json!({}),
    );
    assert_eq!(submit.json()["state"], "in_review");
    let own = post_json(
        &server.url("/api/v1/posts/1/approve"),
        Some(&social),
        &json!({}),
    );
    assert_eq!(own.status, 403, "{}", own.body);
    assert!(
        own.json()["detail"]
            .as_str()
            .is_some_and(|d| d.contains("other than its author"))
    );
    let ok = post_json(
        &server.url("/api/v1/posts/1/approve"),
        Some(&admin),
        &json!({}),
    );
    assert_eq!(
        (ok.status, ok.json()["approved_by"].as_str()),
        (200, Some("token:ada"))
    );
    let again = post_json(
        &server.url("/api/v1/posts/1/approve"),
        Some(&admin),
        &json!({}),
    );
    assert_eq!(again.status, 400, "{}", again.body);
    let at = post_json(
        &server.url("/api/v1/posts/1/schedule"),
        Some(&social),
        &json!({"at": "2030-06-01 09:30"}),
    );
    assert_eq!(at.json()["scheduled_at"], "2030-06-01T09:30:00+00:00");
    let list = get(&server.url("/api/v1/posts?state=scheduled"), Some(&viewer));
    assert_eq!(list.status, 200);
    let (code, cli, _) = hearth(d, &["post", "list", "--state", "scheduled", "--json"]);
    assert_eq!(code, 0);
    let cli: serde_json::Value = serde_json::from_str(&cli).expect("json");
    assert_eq!(
        list.json()["posts"],
        cli["posts"],
        "the API answers what the CLI prints"
    );
    let none = get(&server.url("/api/v1/posts/999"), Some(&viewer));
    assert_eq!(none.status, 404);
    let accounts = get(&server.url("/api/v1/accounts"), Some(&viewer));
    assert_eq!(accounts.json(), json!({"bluesky": null, "mastodon": null}));
}

/// The composer's multipart form carries its CSRF token in the body, where the guard cannot
/// read it: the handler refuses a session's form without it, or with another, and takes it
/// with the session's own.
#[test]
fn the_composer_refuses_a_multipart_form_without_its_csrf_token() {
    let dir = data_dir(None);
    add_user(dir.path(), "sol", "social");
    let server = Server::start(dir.path());
    let (session, csrf) = login(&server, "sol", PASSWORD).expect("login");
    let compose = |token: Option<&str>| -> Got {
        let b = "hearth-test-boundary";
        let mut body = String::new();
        if let Some(t) = token {
            body.push_str(&format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{t}\r\n"
            ));
        }
        body.push_str(&format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nHello\r\n--{b}\r\nContent-Disposition: form-data; name=\"network\"\r\n\r\nbluesky\r\n--{b}--\r\n"
        ));
        got(agent()
            .post(&server.url("/social/compose"))
            .header("Cookie", &format!("hearth_session={session}"))
            .content_type(format!("multipart/form-data; boundary={b}"))
            .send(body))
    };
    for token in [None, Some("0011")] {
        let r = compose(token);
        assert_eq!(r.status, 403, "{token:?}: {}", r.body);
    }
    let (code, out, _) = hearth(dir.path(), &["post", "list", "--json"]);
    assert_eq!(code, 0);
    assert!(out.contains("\"posts\": []"), "nothing saved: {out}");
    let ok = compose(Some(&csrf));
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert!(
        ok.header("location").starts_with("/social?done="),
        "{}",
        ok.header("location")
    );
}

/// Regression for slow first visits: once the data has settled, the server computes the main
/// pages' answers ahead, so a first visit to each computes nothing; a queue decision makes the
/// queue page lay the states over the kept items (one computation, not the lists again), and
/// leaves every other page's answer standing; new data warms the pages again.
#[test]
fn the_main_pages_are_computed_before_the_first_visit() {
    let f = fixture();
    // A store of its own (a backup of the shared one): this test changes queue state.
    let copy = data_dir(Some(VENDOR_RULES));
    let file = copy.path().join("hearth.sqlite");
    let (code, _, err) = hearth(f.path(), &["backup", file.to_str().expect("path")]);
    assert_eq!(code, 0, "{err}");
    let server = Server::start_with(copy.path(), &["--warm-after", "1"]);
    let token = f.token("admin");
    let health = || get(&server.url("/healthz"), None).json();
    let warmed = |generation: &serde_json::Value| {
        let started = std::time::Instant::now();
        loop {
            let h = health();
            if h["warm"]["generation"] == h["generation"] && &h["generation"] != generation {
                return h;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(300),
                "never warmed: {h}"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    };
    let h = warmed(&serde_json::Value::Null);
    assert_eq!(h["warm"]["pages"], hearth_server::warm::PAGES.len(), "{h}");
    // Then every message is read ahead for routing (a window of any end routes from it).
    let started = std::time::Instant::now();
    while health()["read_ahead"]["generation"] != h["generation"] {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(120),
            "never read ahead: {}",
            health()
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let visit_all = || {
        for page in hearth_server::warm::PAGES {
            let r = get(&server.url(page), Some(token));
            assert_eq!(r.status, 200, "{page}: {}", r.body);
        }
    };
    let before = h["computed"].as_u64().expect("computed");
    visit_all();
    assert_eq!(
        health()["computed"].as_u64(),
        Some(before),
        "every main page's answer was ready before its first visit"
    );

    // A queue decision: the queue page lays the new state over the kept items.
    let queue = get(&server.url("/api/v1/queue?per_page=1"), Some(token)).json();
    let id = queue["items"][0]["id"]
        .as_str()
        .expect("an item")
        .to_owned();
    let r = post_json(
        &server.url(&format!("/api/v1/queue/{id}/done")),
        Some(token),
        &json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let before = health()["computed"].as_u64().expect("computed");
    let page = get(&server.url("/queues?state=done"), Some(token));
    assert!(page.body.contains(&id), "the item is listed as done");
    visit_all();
    // `/queues?state=done` and `/queues` (and the API's queue page above) each laid the states
    // over the kept items once; nothing else was computed again.
    assert_eq!(health()["computed"].as_u64(), Some(before + 2));

    // New data: the pages are computed ahead again, and a visit computes nothing.
    let slack = repo().join("../shared/data/slack/houstondatavis-export");
    let (code, _, err) = hearth(
        copy.path(),
        &["-q", "ingest", "slack", slack.to_str().expect("path")],
    );
    assert_eq!(code, 0, "{err}");
    let h = warmed(&h["generation"]);
    let before = h["computed"].as_u64().expect("computed");
    for page in hearth_server::warm::PAGES {
        let r = get(&server.url(page), Some(token));
        assert_eq!(r.status, 200, "{page}: {}", r.body);
        let h2 = health();
        assert_eq!(h2["computed"].as_u64(), Some(before), "{page}: {h} {h2}");
    }
}

#[test]
fn the_long_lists_show_a_page_at_a_time() {
    // A store of its own: other tests mark the shared fixture's items done while this one
    // reads its pages.
    let dir = usrp_users_store(VENDOR_RULES);
    add_user(dir.path(), "viewer-user", "viewer");
    let server = Server::start(dir.path());
    let (cookie, _) = login(&server, "viewer-user", PASSWORD).expect("login");
    let get_page = |path: &str, query: &str| {
        let r = got(agent()
            .get(&server.url(&format!("{path}{query}")))
            .header("Cookie", &format!("hearth_session={cookie}"))
            .call());
        assert_eq!(r.status, 200, "{path}{query}: {}", r.body);
        r.body
    };
    // The queue's items, by their anchors.
    let items = |body: &str| -> Vec<String> {
        body.split("id=\"item-")
            .skip(1)
            .filter_map(|rest| rest.split('"').next().map(str::to_owned))
            .collect()
    };
    // The role audit's brand people, by their links in the table (not the examples).
    let people = |body: &str| -> Vec<String> {
        let table = body.split("<h2>Examples").next().unwrap_or("");
        table
            .split("<td><a href=\"/people/")
            .skip(1)
            .filter_map(|rest| rest.split('"').next().map(str::to_owned))
            .collect()
    };
    type Ids<'a> = &'a dyn Fn(&str) -> Vec<String>;
    let lists: [(&str, &str, Ids); 2] =
        [("/queues", "Items", &items), ("/audit", "People", &people)];
    for (path, what, ids) in lists {
        let page = |query: &str| get_page(path, query);
        let all = ids(&page("?per_page=500"));
        assert!(all.len() > 20, "{path} lists {} entries", all.len());
        assert!(
            !page("?per_page=500").contains("pages of the list"),
            "{path}: one page, no pager"
        );
        // Ten a page: every entry on exactly one page, in the list's order, with links
        // between.
        let pages = all.len().div_ceil(10);
        let mut seen = Vec::new();
        for n in 1..=pages {
            let body = page(&format!("?per_page=10&page={n}"));
            let lo = (n - 1) * 10 + 1;
            let hi = (n * 10).min(all.len());
            assert!(
                body.contains(&format!("{what} {lo}–{hi} of {}", all.len())),
                "{path} page {n}"
            );
            assert_eq!(
                body.contains("rel=\"next\""),
                n < pages,
                "{path} page {n} of {pages}: a next link unless the last"
            );
            assert!(
                !body.contains("rel=\"next\"")
                    || body.contains(&format!("per_page=10&amp;page={}", n + 1)),
                "{path} page {n}: the next link keeps the page size"
            );
            seen.extend(ids(&body));
        }
        assert_eq!(seen, all, "{path}");
        // Past the end: the last page.
        assert_eq!(
            ids(&page(&format!("?per_page=10&page={}", pages + 5))),
            all[(pages - 1) * 10..],
            "{path}"
        );
    }
}
