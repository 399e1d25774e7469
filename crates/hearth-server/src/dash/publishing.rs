//! The publishing part of `/social`: the composer (text, a version per network, an image
//! with its alt text), the review list (drafts, posts in review, approved and failed ones,
//! each with its length per network and the actions its state allows), and a calendar of
//! the next four weeks of scheduled posts. Forms post to `/social/compose` (multipart, for
//! the image) and `/social/posts/act`; both come back to `/social` with what happened.

use super::{csrf, s};
use crate::problem::Problem;
use crate::routes::Call;
use axum::response::Response;
use hearth_app::outbox::{Actor, Compose, Image, When};
use hearth_app::team::{Permission, Role};
use maud::{Markup, html};
use serde_json::Value;

fn actor(call: &Call) -> Result<Actor, Problem> {
    let who = call.who.as_ref().ok_or_else(Problem::unauthorized)?;
    Ok(Actor {
        name: who.actor(),
        admin: who.role == Role::Admin,
    })
}

/// The posts (newest first) and the brand's offset, read outside the page cache: a post
/// action must show at once.
pub async fn section(call: &Call) -> Result<Markup, Problem> {
    let data = call.state.data().to_path_buf();
    let (list, offset, accounts, synced) =
        tokio::task::spawn_blocking(move || -> hearth_app::Result<(Value, i64, Value, Value)> {
            let list = hearth_app::outbox::list_json(&data, None)?;
            let config = hearth_app::config::load(&data)?;
            let offset = hearth_analysis::social::best_time::parse_offset(&config.brand.utc_offset)
                .unwrap_or(0);
            let accounts = hearth_app::accounts::load(&data)
                .map(|a| hearth_app::accounts::to_json(&a))
                .unwrap_or(Value::Null);
            let synced = hearth_app::sync::status_json(&data)?;
            Ok((list, offset, accounts, synced))
        })
        .await
        .map_err(|e| Problem::internal(e.to_string()))??;
    let may_write = call
        .who
        .as_ref()
        .is_some_and(|w| w.role.may(Permission::Posts));
    let posts = list["posts"].as_array().cloned().unwrap_or_default();
    let open: Vec<&Value> = posts
        .iter()
        .filter(|p| {
            matches!(
                p["state"].as_str(),
                Some("draft" | "in_review" | "approved" | "scheduled" | "failed")
            )
        })
        .collect();
    let connected = |n: &str| !accounts[n].is_null();
    Ok(html! {
        section #publishing {
            h2 { "Publishing" }
            (super::flash(call))
            p.muted {
                "Posts go to Bluesky and Mastodon exactly once, at their time. Approval: "
                strong { (s(&list["approval"])) }
                @if list["approval"] == "required" { " (a second person, an admin or a named approver, approves; never the author)" }
                ". Accounts: Bluesky " (if connected("bluesky") { s(&accounts["bluesky"]["handle"]) } else { "not connected".into() })
                ", Mastodon " (if connected("mastodon") { s(&accounts["mastodon"]["account"]) } else { "not connected".into() })
                " (" code { "hearth connect" } ")."
            }
            p.muted #listening {
                "Listening (replies, mentions and counts, by " code { "hearth sync" } " and by the server on a schedule): "
                @let streams = synced.as_array().cloned().unwrap_or_default();
                @if streams.is_empty() { "no sync has run yet." }
                @for (k, c) in streams.iter().enumerate() {
                    @if k > 0 { "; " }
                    (s(&c["network"])) " " (s(&c["stream"])) " synced "
                    (hearth_app::dates::utc(c["synced_at"].as_i64().unwrap_or(0)))
                }
                @if !streams.is_empty() { "." }
            }
            @if may_write {
                details open[open.is_empty()] {
                    summary { "Write a post" }
                    form.compose method="post" action="/social/compose" enctype="multipart/form-data" {
                        (csrf(call))
                        label for="post-text" { "Text" }
                        textarea #post-text name="text" rows="5" style="width:100%" required {}
                        fieldset {
                            legend { "Networks" }
                            label { input type="checkbox" name="network" value="bluesky" checked; " Bluesky (300 graphemes)" }
                            " "
                            label { input type="checkbox" name="network" value="mastodon" checked; " Mastodon (500 characters, or the instance's limit)" }
                        }
                        details {
                            summary { "A version per network" }
                            label for="post-bluesky" { "Bluesky's own text" }
                            textarea #post-bluesky name="bluesky_text" rows="3" style="width:100%" {}
                            label for="post-mastodon" { "Mastodon's own text" }
                            textarea #post-mastodon name="mastodon_text" rows="3" style="width:100%" {}
                        }
                        label for="post-image" { "Image (PNG, JPEG, GIF or WebP, at most 1 MB)" }
                        input #post-image type="file" name="image" accept="image/png,image/jpeg,image/gif,image/webp";
                        label for="post-alt" { "Alt text of the image (what it shows)" }
                        input #post-alt type="text" name="alt" style="width:100%";
                        p { button.primary type="submit" { "Save the draft" } }
                        p.muted { "Links get the UTM tags of hearth.toml ([social.utm]); the length is checked by each network's rule." }
                    }
                }
            }
            h3 #to-review { "Not yet published" }
            @if open.is_empty() {
                p { "No draft, nothing in review or scheduled." }
            } @else {
                ul.posts { @for p in &open { li.post id=(format!("post-{}", p["id"])) { (post_item(call, p, may_write)) } } }
            }
            h3 #calendar { "Calendar: the next four weeks" }
            (calendar(&posts, offset))
        }
    })
}

fn post_item(call: &Call, p: &Value, may_write: bool) -> Markup {
    let id = s(&p["id"]);
    let state = s(&p["state"]);
    let action = |what: &str, label: &str| {
        html! {
            form.inline method="post" action="/social/posts/act" {
                (csrf(call))
                input type="hidden" name="id" value=(id);
                input type="hidden" name="action" value=(what);
                button type="submit" { (label) }
            }
        }
    };
    html! {
        p {
            strong { "Post " (id) } " " span.tag { (state.replace('_', " ")) }
            " by " (s(&p["author"]))
            @if let Some(a) = p["approved_by"].as_str() { ", approved by " (a) }
            @if let Some(r) = p["reason"].as_str() { " — " span.error { (r) } }
        }
        @if let Some(at) = p["scheduled_at"].as_str() {
            p { "Scheduled for " (at) @if let Some(n) = p["schedule_note"].as_str() { " — " (n) } }
        }
        @for r in p["renders"].as_array().into_iter().flatten() {
            div.render {
                span.tag { (s(&r["network"])) } " "
                span class=(if r["fits"] == true { "fits" } else { "over" }) {
                    (s(&r["length"])) " / " (s(&r["limit"]))
                    @if r["fits"] != true { " — too long" }
                }
                blockquote { (s(&r["text"])) }
            }
        }
        @for i in p["images"].as_array().into_iter().flatten() {
            p.muted { "Image " (s(&i["file"])) " (" (s(&i["bytes"])) " bytes), alt: “" (s(&i["alt"])) "”" }
        }
        @if may_write {
            div.actions {
                @if state == "draft" { (action("submit", "Submit for review")) }
                @if state == "in_review" { (action("approve", "Approve")) }
                @if matches!(state.as_str(), "draft" | "in_review" | "approved" | "scheduled" | "failed") {
                    form.inline method="post" action="/social/posts/act" {
                        (csrf(call))
                        input type="hidden" name="id" value=(id);
                        input type="hidden" name="action" value="schedule";
                        label for=(format!("at-{id}")) { "At (brand time)" }
                        input id=(format!("at-{id}")) type="datetime-local" name="at";
                        button type="submit" { "Schedule" }
                        button type="submit" name="best" value="true" { "At the best time" }
                    }
                }
                (action("cancel", "Cancel"))
                details.edit {
                    summary { "Edit" }
                    form method="post" action="/social/posts/act" {
                        (csrf(call))
                        input type="hidden" name="id" value=(id);
                        input type="hidden" name="action" value="edit";
                        label for=(format!("edit-{id}")) { "Text (an edit sends the post back to draft)" }
                        textarea id=(format!("edit-{id}")) name="text" rows="4" style="width:100%" { (s(&p["text"])) }
                        button type="submit" { "Save" }
                    }
                }
            }
        }
    }
}

fn calendar(posts: &[Value], offset: i64) -> Markup {
    let now = hearth_store::now();
    let first_day = (now + offset).div_euclid(86_400);
    // Start on the Monday of this week (1970-01-01 was a Thursday).
    let monday = first_day - (first_day + 3).rem_euclid(7);
    let mut by_day: std::collections::BTreeMap<i64, Vec<&Value>> = Default::default();
    for p in posts.iter().filter(|p| p["state"] == "scheduled") {
        if let Some(t) = p["scheduled_at"]
            .as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        {
            by_day
                .entry((t.timestamp() + offset).div_euclid(86_400))
                .or_default()
                .push(p);
        }
    }
    let later = by_day
        .range(monday + 28..)
        .map(|(_, v)| v.len())
        .sum::<usize>();
    let day_label = |d: i64| {
        chrono::DateTime::from_timestamp(d * 86_400, 0)
            .map(|t| t.format("%a %d %b").to_string())
            .unwrap_or_default()
    };
    let time_of = |p: &Value| s(&p["scheduled_at"]).get(11..16).unwrap_or("").to_owned();
    html! {
        div.scroll { table.calendar aria-label="scheduled posts by day" {
            thead { tr { @for d in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] { th scope="col" { (d) } } } }
            tbody { @for w in 0..4 {
                tr { @for d in 0..7 {
                    @let day = monday + w * 7 + d;
                    td class=(if day == first_day { "today" } else { "" }) {
                        div.muted { (day_label(day)) }
                        @for p in by_day.get(&day).into_iter().flatten() {
                            div.slot {
                                a href=(format!("#post-{}", s(&p["id"]))) { (time_of(p)) " post " (s(&p["id"])) }
                                " " (p["networks"].as_array().map(|a| a.iter().map(s).collect::<Vec<_>>().join(", ")).unwrap_or_default())
                                @if let Some(n) = p["schedule_note"].as_str() { div.muted { (n) } }
                            }
                        }
                    }
                } }
            } }
        } }
        @if later > 0 { p.muted { (later) " more scheduled after these four weeks." } }
    }
}

/// `POST /social/compose`: a new draft from the composer (multipart: text, network,
/// bluesky_text, mastodon_text, image, alt, csrf).
pub async fn compose(call: Call) -> Result<Response, Problem> {
    let boundary = call
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| multer::parse_boundary(c).ok())
        .ok_or_else(|| Problem::bad_request("the composer sends a multipart form"))?;
    let body = call.body.clone();
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut c = Compose::default();
    let mut networks = Vec::new();
    let (mut image, mut image_name, mut alt, mut token) =
        (None, String::new(), String::new(), None);
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| Problem::bad_request(format!("the form does not parse: {e}")))?
    {
        let name = field.name().unwrap_or("").to_owned();
        if name == "image" {
            image_name = field.file_name().unwrap_or("image").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| Problem::bad_request(e.to_string()))?;
            image = Some(bytes.to_vec()).filter(|b| !b.is_empty());
            continue;
        }
        let text = field.text().await.unwrap_or_default();
        match name.as_str() {
            "csrf" => token = Some(text),
            "text" => c.text = Some(text.replace("\r\n", "\n")),
            "network" => networks.push(text),
            "bluesky_text" | "mastodon_text" if !text.trim().is_empty() => {
                c.versions.insert(
                    name.trim_end_matches("_text").to_owned(),
                    text.replace("\r\n", "\n"),
                );
            }
            "alt" => alt = text,
            _ => {}
        }
    }
    super::check_multipart_csrf(&call, token.as_deref())?;
    c.networks = Some(networks);
    if let Some(bytes) = image {
        c.images = Some(vec![Image {
            file_name: image_name,
            alt,
            bytes,
        }]);
    }
    let (data, who) = (call.state.data().to_path_buf(), actor(&call)?);
    let out = tokio::task::spawn_blocking(move || hearth_app::outbox::draft(&data, c, &who))
        .await
        .map_err(|e| Problem::internal(e.to_string()))?;
    Ok(match out {
        Ok(p) => super::back_with(
            "/social",
            "done",
            &format!("Post {} saved as a draft.", s(&p["id"])),
        ),
        Err(e) => super::back_with("/social", "error", &e.to_string()),
    })
}

/// `POST /social/posts/act`: submit, approve, schedule (at, or best), edit (text) or cancel
/// one post.
pub async fn act(call: Call) -> Result<Response, Problem> {
    let form = super::form_of(&call)?;
    let get = |k: &str| super::field(&form, k);
    let id: i64 = get("id")
        .parse()
        .map_err(|_| Problem::bad_request("id is a post number"))?;
    let (action, at, best, text) = (get("action"), get("at"), get("best") == "true", get("text"));
    let (data, who) = (call.state.data().to_path_buf(), actor(&call)?);
    let out = tokio::task::spawn_blocking(move || -> hearth_app::Result<String> {
        use hearth_app::outbox;
        let v = match action.as_str() {
            "submit" => outbox::submit(&data, id, &who)?,
            "approve" => outbox::approve(&data, id, &who)?,
            "cancel" => outbox::cancel(&data, id, None, &who)?,
            "edit" => outbox::edit(
                &data,
                id,
                Compose {
                    text: Some(text.replace("\r\n", "\n")),
                    ..Compose::default()
                },
                &who,
            )?,
            "schedule" => {
                let when = if best {
                    When::Best
                } else if at.trim().is_empty() {
                    return Err(hearth_app::AppError::Invalid(
                        "Give a time, or choose the best time.".to_owned(),
                    ));
                } else {
                    let config = hearth_app::config::load(&data)?;
                    When::At(outbox::parse_time(&config, &at)?)
                };
                outbox::schedule(&data, id, when, &who)?
            }
            other => {
                return Err(hearth_app::AppError::Invalid(format!(
                    "no action {other:?}: submit, approve, schedule or cancel"
                )));
            }
        };
        let when = v["scheduled_at"]
            .as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| format!(" for {}", t.format("%a %-d %b %Y %H:%M (%:z)")))
            .unwrap_or_default();
        Ok(format!(
            "Post {id} is {}{when}.",
            s(&v["state"]).replace('_', " ")
        ))
    })
    .await
    .map_err(|e| Problem::internal(e.to_string()))?;
    Ok(match out {
        Ok(m) => super::back_with("/social", "done", &m),
        Err(e) => super::back_with("/social", "error", &e.to_string()),
    })
}
