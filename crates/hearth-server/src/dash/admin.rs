//! The admin's pages: `/data` (upload an export, read its diagnostics, the sources and when
//! each was last read), `/settings` (`hearth.toml`, edited with validation and written back
//! as typed, comments kept) and `/users` (users and tokens).

use super::{Page, csrf, field, flash, form_of, param, render, s};
use crate::problem::Problem;
use crate::routes::Call;
use axum::response::Response;
use hearth_app::team::Role;
use maud::html;

/// `/data`: the upload form, the progress or result of an upload (`?job=N`), and the files
/// read so far.
pub async fn data(call: Call) -> Result<Response, Problem> {
    let job = param(&call, "job")
        .and_then(|j| j.parse::<u64>().ok())
        .and_then(|id| {
            call.state
                .jobs
                .lock()
                .ok()
                .and_then(|jobs| jobs.iter().find(|j| j.id == id).cloned())
        });
    let history = call.state.with_store(|s| Ok(s.ingest_history(50)?)).await?;
    page_data(&call, history, job.as_deref(), None)
}

fn page_data(
    call: &Call,
    history: Vec<hearth_store::IngestRow>,
    job: Option<&crate::Job>,
    error: Option<&str>,
) -> Result<Response, Problem> {
    use std::sync::atomic::Ordering;
    let mut formats = vec!["auto"];
    formats.extend(
        hearth_app::ingest::format_names()
            .into_iter()
            .filter(|f| *f != "auto"),
    );
    let result = job.and_then(|j| j.result.lock().ok().and_then(|r| r.clone()));
    let running = job.is_some() && result.is_none();
    let body = html! {
        (flash(call))
        h1 { "Data" }
        @if let Some(e) = error { p.flash.error role="alert" { "Not read: " (e) } }
        @if let Some(j) = job {
            section #job aria-live="polite" {
                h2 { "Reading " (j.name) }
                @match &result {
                    None => {
                        @let (done, total) = (j.done.load(Ordering::Relaxed), j.total.load(Ordering::Relaxed).max(1));
                        p { progress max=(total) value=(done) aria-label="bytes read" { (done * 100 / total) "%" } " "
                            (done / 1024) " of " (total / 1024) " KiB read; this page updates every second." }
                    }
                    Some(Err(e)) => { p.flash.error role="alert" { "Not read: " (e) } }
                    Some(Ok(r)) => {
                        @for x in r.as_array().into_iter().flatten() {
                            p { strong { (s(&x["source"])) } ": read " (s(&x["read"])) ", added " strong #added { (s(&x["added"])) } ", already stored " (s(&x["duplicates"])) ", skipped " (s(&x["skipped"])) "." }
                            @for f in x["files"].as_array().into_iter().flatten() {
                                @for d in f["diagnostics"].as_array().into_iter().flatten().take(20) { p.muted { (s(d)) } }
                            }
                        }
                    }
                }
            }
        }
        section {
            h2 { "Read an export" }
            p { "One file (a mailbox, a JSON or CSV export, a Slack or Stack Exchange zip…): Hearth tells the format from it, or choose one. Re-reading adds nothing; broken records are skipped and reported with file and line." }
            form method="post" action="/data/upload" enctype="multipart/form-data" {
                (csrf(call))
                p { label { "File " input type="file" name="file" required; } }
                p { label { "Format " select name="format" { @for f in &formats { option value=(f) { (f) } } } } }
                p { button.primary type="submit" { "Upload and read" } }
            }
        }
        section {
            h2 { "Files read" }
            div.scroll { table {
                thead { tr { th { "source" } th { "file" } th { "when" } th { "read" } th { "added" } th { "skipped" } } }
                tbody { @for h in &history {
                    tr { td { (h.source) } td { (h.path) } td { (hearth_report::iso(h.finished_at)) } td { (h.read) } td { (h.added) } td { (h.skipped) } }
                } }
            } }
        }
    };
    render(
        call,
        Page {
            title: "Data".into(),
            active: "/data",
            scope: Default::default(),
            keep: vec![],
            no_scope: true,
            refresh: running.then_some(1),
        },
        body,
    )
}

/// `POST /data/upload`: a multipart form with the file and its format. The file is read in
/// the background; the browser is sent to `/data?job=N`, which shows its progress.
pub async fn upload(call: Call) -> Result<Response, Problem> {
    let boundary = call
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| multer::parse_boundary(c).ok())
        .ok_or_else(|| Problem::bad_request("the upload is a multipart form"))?;
    let body = call.body.clone();
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let (mut format, mut name, mut bytes, mut token) =
        (String::from("auto"), String::new(), None, None);
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| Problem::bad_request(format!("the upload does not parse: {e}")))?
    {
        match field.name().unwrap_or("") {
            "file" => {
                name = field.file_name().unwrap_or("upload").to_owned();
                bytes = Some(
                    field
                        .bytes()
                        .await
                        .map_err(|e| Problem::bad_request(e.to_string()))?,
                );
            }
            "format" => format = field.text().await.unwrap_or_default(),
            "csrf" => token = Some(field.text().await.unwrap_or_default()),
            _ => {}
        }
    }
    super::check_multipart_csrf(&call, token.as_deref())?;
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return Ok(super::back_with("/data", "error", "Choose a file."));
    };
    let job = {
        let mut jobs = call
            .state
            .jobs
            .lock()
            .map_err(|_| Problem::internal("jobs"))?;
        let id = jobs.last().map_or(1, |j| j.id + 1);
        let job = std::sync::Arc::new(crate::Job {
            id,
            name: name.clone(),
            started: hearth_store::now(),
            done: 0.into(),
            total: (bytes.len() as u64).into(),
            result: std::sync::Mutex::new(None),
        });
        jobs.push(job.clone());
        // Keep the last 20 jobs.
        let excess = jobs.len().saturating_sub(20);
        jobs.drain(..excess);
        job
    };
    let (state, actor, id) = (call.state.clone(), call.actor(), job.id);
    tokio::spawn(async move {
        let out = crate::routes::ingest_upload_with(
            &state,
            &actor,
            &format,
            &name,
            bytes,
            Some(job.clone()),
        )
        .await
        .map_err(|p| p.detail);
        if let Ok(mut r) = job.result.lock() {
            *r = Some(out);
        }
    });
    Ok(crate::pages::see_other(&format!("/data?job={id}")))
}

/// `/settings` and `POST /settings`: `hearth.toml` as text, checked before it is written.
pub async fn settings(call: Call) -> Result<Response, Problem> {
    let data = call.state.data().to_path_buf();
    let posted = call.route.method == "POST";
    let (text, message) = if posted {
        let form = form_of(&call)?;
        let text = field(&form, "toml").replace("\r\n", "\n");
        if text.trim().is_empty() {
            return Err(Problem::bad_request(
                "the field toml is missing or blank: an empty hearth.toml would drop every rule",
            ));
        }
        let (d, t, actor) = (
            data.clone(),
            text.clone(),
            call.who.as_ref().map_or_else(String::new, |w| w.actor()),
        );
        let saved = tokio::task::spawn_blocking(move || hearth_app::config::save(&d, &t, &actor))
            .await
            .map_err(|e| Problem::internal(e.to_string()))?;
        match saved {
            Ok(_) => (
                text,
                Ok("Saved. The next report uses the new rules.".to_owned()),
            ),
            Err(e) => (text, Err(e.to_string())),
        }
    } else {
        (hearth_app::config::text(&data)?, Ok(String::new()))
    };
    let body = html! {
        h1 { "Settings" }
        @match &message {
            Ok(m) if !m.is_empty() => { p.flash role="status" { (m) } }
            Err(e) => { p.flash.error role="alert" { "Not saved: " (e) } }
            _ => {}
        }
        p { "The rules of this data directory: who is brand (" code { "[roles]" } "), brand names and competitors (" code { "[brand]" } "), routing rules and thresholds (" code { "[route]" } ", " code { "[queue]" } "), and the social settings. An unknown key or a wrong value is refused with the reason; the file is written as you typed it, comments and all." }
        form method="post" action="/settings" {
            (csrf(&call))
            label for="toml" { "hearth.toml" }
            textarea.toml #toml name="toml" spellcheck="false" { (text) }
            p { button.primary type="submit" { "Check and save" } }
        }
    };
    let mut r = render(
        &call,
        Page {
            title: "Settings".into(),
            active: "/settings",
            scope: Default::default(),
            keep: vec![],
            no_scope: true,
            refresh: None,
        },
        body,
    )?;
    if message.is_err() {
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(r)
}

/// `/users` and `POST /users`: users and tokens, and the forms to change them.
pub async fn users(call: Call) -> Result<Response, Problem> {
    let mut new_token: Option<String> = None;
    let mut message: Result<String, String> = Ok(String::new());
    if call.route.method == "POST" {
        let form = form_of(&call)?;
        let actor = call.who.as_ref().map_or_else(String::new, |w| w.actor());
        let (what, name, role, password) = (
            field(&form, "what"),
            field(&form, "name"),
            field(&form, "role"),
            field(&form, "password"),
        );
        let out = call
            .state
            .with_store(move |s| -> hearth_app::Result<(String, Option<String>)> {
                use hearth_app::team;
                match what.as_str() {
                    "add" => team::add_user(s, &name, Role::parse(&role)?, &password, &actor)
                        .map(|()| (format!("Added {name}."), None)),
                    "remove" => team::remove_user(s, &name, &actor)
                        .map(|()| (format!("Removed {name}."), None)),
                    "token" => team::create_token(s, &name, Role::parse(&role)?, &actor).map(|t| {
                        (
                            format!("Token {name} created; copy it now, it is not shown again."),
                            Some(t),
                        )
                    }),
                    "revoke" => team::revoke_token(s, &name, &actor)
                        .map(|()| (format!("Revoked {name}."), None)),
                    other => Err(hearth_app::AppError::Invalid(format!(
                        "unknown action {other:?}"
                    ))),
                }
            })
            .await;
        match out {
            Ok((m, t)) => {
                message = Ok(m);
                new_token = t;
            }
            Err(p) => message = Err(p.detail),
        }
    }
    let users = call.state.with_store(hearth_app::team::users).await?;
    let tokens = call.state.with_store(hearth_app::team::tokens).await?;
    let roles = Role::ALL;
    let body = html! {
        h1 { "Users and tokens" }
        @match &message {
            Ok(m) if !m.is_empty() => { p.flash role="status" { (m) } }
            Err(e) => { p.flash.error role="alert" { (e) } }
            _ => {}
        }
        @if let Some(t) = &new_token { p { "Token: " code #new-token { (t) } } }
        section {
            h2 { "Users" }
            table { thead { tr { th { "name" } th { "role" } th { "since" } th { "" } } }
                tbody { @for u in users.as_array().into_iter().flatten() {
                    tr { td { (s(&u["name"])) } td { (s(&u["role"])) } td { (s(&u["created_at"]).get(..10).unwrap_or("")) }
                        td { form method="post" action="/users" {
                            (csrf(&call)) input type="hidden" name="what" value="remove"; input type="hidden" name="name" value=(s(&u["name"]));
                            button type="submit" aria-label=(format!("remove {}", s(&u["name"]))) { "Remove" }
                        } } }
                } } }
            h3 { "Add a user" }
            form method="post" action="/users" {
                (csrf(&call)) input type="hidden" name="what" value="add";
                label { "name " input name="name" required autocomplete="off"; } " "
                label { "role " select name="role" { @for r in roles { option value=(r.as_str()) { (r.as_str()) } } } } " "
                label { "password " input type="password" name="password" minlength="10" required autocomplete="new-password"; } " "
                button type="submit" { "Add" }
            }
        }
        section {
            h2 { "Tokens for scripts" }
            table { thead { tr { th { "name" } th { "role" } th { "created" } th { "last used" } th { "revoked" } th { "" } } }
                tbody { @for t in tokens.as_array().into_iter().flatten() {
                    tr { td { (s(&t["name"])) } td { (s(&t["role"])) } td { (s(&t["created_at"]).get(..10).unwrap_or("")) }
                        td { (t["last_used_at"].as_str().map_or("never", |x| x.get(..10).unwrap_or(""))) } td { (t["revoked_at"].as_str().unwrap_or("")) }
                        td { @if t["revoked_at"].is_null() { form method="post" action="/users" {
                            (csrf(&call)) input type="hidden" name="what" value="revoke"; input type="hidden" name="name" value=(s(&t["name"]));
                            button type="submit" aria-label=(format!("revoke {}", s(&t["name"]))) { "Revoke" }
                        } } } }
                } } }
            h3 { "Create a token" }
            form method="post" action="/users" {
                (csrf(&call)) input type="hidden" name="what" value="token";
                label { "name " input name="name" required autocomplete="off"; } " "
                label { "role " select name="role" { @for r in roles { option value=(r.as_str()) selected[r == Role::Viewer] { (r.as_str()) } } } } " "
                button type="submit" { "Create" }
            }
        }
    };
    let _ = param;
    render(
        &call,
        Page {
            title: "Users".into(),
            active: "/users",
            scope: Default::default(),
            keep: vec![],
            no_scope: true,
            refresh: None,
        },
        body,
    )
}
