//! `/social`: posts with every rate and its formula, the best-time heat map with sample sizes,
//! share of voice, responses, and alerts with the messages that explain them. `/jobs`: paste
//! a job description, see its duties and its honest title.

use super::{Page, csrf, hours, message_line, num, pct, render, s, scope_of};
use crate::problem::Problem;
use crate::routes::{Call, cached_value};
use axum::response::Response;
use maud::html;
use serde_json::{Value, json};

pub async fn page(call: Call) -> Result<Response, Problem> {
    let scope = scope_of(&call);
    let sc = scope.clone();
    let v = cached_value(&call, "", move |d| {
        let loaded = hearth_app::scope::load(d, &sc)?;
        let c = loaded.config.clone();
        // One reading of the window's mentions for both; the page lists the latest twenty
        // alerts (the counts are of all).
        let (mentions, alerts) = hearth_app::social::mentions_and_alerts(&loaded, &c, Some(20))?;
        Ok(json!({
            "posts": hearth_app::social::posts_json(&loaded, &c, 10)?,
            "best_time": hearth_app::social::best_time_json(&loaded, &c)?,
            "responses": hearth_app::social::responses_json(&loaded, &c)?,
            "mentions": mentions,
            "alerts": alerts,
        }))
    })
    .await?;
    let publishing = super::publishing::section(&call).await?;
    let posts = &v["posts"];
    let r = &v["responses"];
    let bt = &v["best_time"];
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    // Slots are labelled "Mon 13:00" (weekday and hour in the brand's zone).
    let grid = bt["slots"].as_array().cloned().unwrap_or_default();
    let cell = |d: usize, h: usize| -> Option<&Value> {
        let label = format!("{} {h:02}:00", days[d]);
        grid.iter()
            .find(|c| c["group"].as_str() == Some(label.as_str()))
    };
    let max_rate = grid
        .iter()
        .filter_map(|c| c["median_rate"].as_f64())
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let body = html! {
        h1 { "The social media side" }
        p.muted { "One-to-many work, measured apart from the community numbers and never folded into the verdict." }
        (publishing)
        section {
            h2 { "Posts" }
            @if posts["posts"] == 0 {
                p { "No post analytics in this window. Read a platform's export (" code { "hearth ingest twitter|linkedin|facebook|instagram|social-csv FILE" } ", or Data → upload) to see reach, engagement and their formulas here." }
            } @else {
                p { (s(&posts["posts"])) " posts with analytics. Headline engagement rate = " code { (s(&posts["headline_rate"]["formula"])) } "." }
            }
            @if let Some(t) = posts["totals"].as_object().filter(|_| posts["posts"] != 0) {
                div.scroll { table {
                    thead { tr { th { "measure" } th { "value" } th { "formula" } } }
                    tbody { @for (k, x) in t {
                        @if x.get("formula").is_some() {
                            tr { td { (num(&k.replace('_', " "), "post_metrics", &scope)) } td { (rate(x)) } td { code { (s(&x["formula"])) } } }
                        } @else if !x.is_object() {
                            tr { td { (k.replace('_', " ")) } td { (if x.is_number() { hearth_app::social::num(x) } else { s(x) }) } td {} }
                        }
                    } }
                } }
            }
            @if let Some(top) = posts["top_posts"].as_array().filter(|t| !t.is_empty()) {
                h3 { "Best posts by engagement rate" }
                ul { @for p in top { li { (s(&p["time"]).get(..10).unwrap_or("")) " · " (s(&p["account"])) " · " (rate(&p["rates"]["engagement_rate"])) " · “" (s(&p["text"]).chars().take(120).collect::<String>()) "”" } } }
            }
        }
        section {
            h2 { "Best time to post" }
            @match bt["recommendation"]["slot"].as_object() {
                Some(slot) => { p { "Best slot: " strong { (s(&slot["group"])) } " (" (s(&bt["utc_offset"])) "), median " (pct(&slot["median_rate"])) " over " (s(&slot["posts"])) " posts, against " (pct(&bt["median_rate"])) " over all " (s(&bt["posts"])) ". " (num("how it is chosen", "best_time", &scope)) } }
                None => { p { (s(&bt["recommendation"]["note"])) " " (num("how it is chosen", "best_time", &scope)) } }
            }
            @if !grid.is_empty() {
                div.scroll { table.heat aria-label="median engagement rate by weekday and hour (posts in the slot)" {
                    thead { tr { th { "" } @for h in 0..24 { th scope="col" { (h) } } } }
                    tbody { @for (d, name) in days.iter().enumerate() {
                        tr { th scope="row" { (name) } @for h in 0..24 {
                            @match cell(d, h) {
                                Some(c) => {
                                    @let x = c["median_rate"].as_f64().unwrap_or(0.0) / max_rate;
                                    td style=(format!("background: rgba(28,126,214,{:.2})", 0.1 + 0.8 * x)) title=(format!("{} posts, median {}", s(&c["posts"]), pct(&c["median_rate"]))) { (s(&c["posts"])) }
                                }
                                None => { td {} }
                            }
                        } }
                    } }
                } }
                p.muted { "Each cell: posts in the slot (colour: their median engagement rate). Slots need " (s(&bt["min_posts_per_slot"])) " posts to be compared." }
            }
        }
        section {
            h2 { "Response to people who address the brand" }
            p { (num(&pct(&r["response_rate"]), "responses", &scope)) " of " (s(&r["items"])) " answered; median " (hours(&r["median_hours"])) ", 90th percentile " (hours(&r["p90_hours"])) "." }
        }
        section {
            h2 { "Mentions and share of voice" }
            div.scroll { table {
                thead { tr { th { "name" } th { "mentions" } th { "share of voice" } th { "negative" } } }
                tbody { @for x in v["mentions"]["voices"].as_array().into_iter().flatten() {
                    tr { td { (s(&x["name"])) @if x["brand"] == true { span.tag.brand { "brand" } } } td { (s(&x["mentions"])) } td { (num(&pct(&x["share_of_voice"]), "mentions", &scope)) } td { (pct(&x["negative_share"])) } }
                } }
            } }
            p.muted { "Share of voice = " (s(&v["mentions"]["share_of_voice_formula"])) "." }
            ul { @for m in v["mentions"]["examples"].as_array().into_iter().flatten() { li { (message_line(m, None, &scope)) } } }
        }
        section {
            h2 { "Alerts" }
            @if v["alerts"]["alerts"].as_array().is_some_and(|l| !l.is_empty()) {
                p.muted { (s(&v["alerts"]["crises"])) " crises (the negative share of the brand's mentions rising, from several people) and " (s(&v["alerts"]["notices"])) " volume notices (many messages on one topic) in this window." }
            }
            @match v["alerts"]["alerts"].as_array() {
                Some(list) if !list.is_empty() => {
                    ul { @for a in list.iter().rev().take(20) {
                        li {
                            strong { (s(&a["day"])) } " "
                            @if a["class"] == "crisis" { span.tag.crisis { "crisis" } } @else { span.tag { "notice" } }
                            " — " (s(&a["kind"])) ": " (s(&a["count"])) " (usual " (format!("{:.1}", a["baseline"].as_f64().unwrap_or(0.0))) ", z " (format!("{:.1}", a["z"].as_f64().unwrap_or(0.0))) ")"
                            @if let Some(w) = a["words"].as_array() { " · words: " (w.iter().map(s).collect::<Vec<_>>().join(", ")) }
                            ul { @for m in a["examples"].as_array().into_iter().flatten() { li { (message_line(m, None, &scope)) } } }
                        }
                    } }
                }
                _ => { p { "No alert in this window. " (num("How alerts are found", "alerts", &scope)) } }
            }
        }
    };
    render(
        &call,
        Page {
            title: "Social".into(),
            active: "/social",
            scope,
            keep: vec![],
            no_scope: false,
            refresh: None,
        },
        body,
    )
}

fn rate(x: &Value) -> String {
    match &x["value"] {
        Value::Null => "unknown".into(),
        v if v.as_f64().is_some_and(|f| f <= 1.5) => pct(v),
        v => s(v),
    }
}

/// `/jobs`: the form, and (POST) the check of the pasted posting.
pub async fn jobs(call: Call) -> Result<Response, Problem> {
    let posted = call.route.method == "POST";
    let text = if posted {
        super::field(&super::form_of(&call)?, "posting")
    } else {
        String::new()
    };
    let result = if posted && !text.trim().is_empty() {
        let t = text.clone();
        Some(
            tokio::task::spawn_blocking(move || hearth_app::check_job::check_json(&t))
                .await
                .map_err(|e| Problem::internal(e.to_string()))?,
        )
    } else {
        None
    };
    let scope = scope_of(&call);
    let body = html! {
        h1 { "Is this job community work?" }
        p { "Paste a job description: each duty is read as community work (members with each other), social media work (the brand to many), or neither; the share decides the honest title. " (num("How", "job_check", &scope)) }
        form method="post" action="/jobs" {
            (csrf(&call))
            label for="posting" { "Job description" }
            textarea #posting name="posting" rows="14" style="width:100%" required { (text) }
            p { button.primary type="submit" { "Check it" } }
        }
        @if let Some(r) = &result {
            section #result {
                h2 { "Verdict: " (s(&r["verdict"]).replace('_', " ")) }
                p { "Community work " (pct(&r["community_share"])) ", social media work " (pct(&r["social_media_share"])) ". "
                    "Honest title: " strong { (s(&r["suggested_title"])) }
                    @if r["title_fits"] == false { " (the posting's title, “" (s(&r["title"])) "”, does not fit)" } "." }
                p { (s(&r["matched_duties"])) " duties have a known phrase:" }
                ul { @for d in r["matches"].as_array().into_iter().flatten() {
                    @let side = if d["community"].as_f64() > d["social_media"].as_f64() { "community" } else if d["social_media"].as_f64().unwrap_or(0.0) > 0.0 { "social media" } else { "neither" };
                    li { span.tag { (side) } " " (s(&d["duty"]))
                        @if let Some(p) = d["phrases"].as_array().filter(|p| !p.is_empty()) { span.muted { " — " (p.iter().map(|x| s(&x["phrase"])).collect::<Vec<_>>().join(", ")) } } }
                } }
            }
        }
        @if posted && result.is_none() { p.flash.error role="alert" { "Paste a job description first." } }
    };
    render(
        &call,
        Page {
            title: "Job check".into(),
            active: "/jobs",
            scope,
            keep: vec![],
            no_scope: true,
            refresh: None,
        },
        body,
    )
}
