//! Renderings of a [`CommunityReport`]: readable terminal text and stable JSON.
//!
//! Invariant: rendering does no analysis and no IO; it only formats numbers it is given.
//! Same report in, same bytes out.

pub mod html;
pub mod layout;

use hearth_analysis::CommunityReport;
use serde_json::{Value, json};
use std::fmt::Write;

/// An ISO 8601 UTC timestamp (`2019-04-28T20:00:00Z`) for UTC seconds.
pub fn iso(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| t.to_string())
}

/// The report as a JSON value (the keys are documented in `docs/report-json.md`).
pub fn to_json(report: &CommunityReport) -> Value {
    let mut v = serde_json::to_value(report).unwrap_or(Value::Null);
    if let Some(obj) = v.as_object_mut() {
        obj.insert(
            "window".to_owned(),
            json!({
                "since": report.window.since.map(iso),
                "until": report.window.until.map(iso),
            }),
        );
    }
    v
}

/// The report as pretty JSON text, with a final newline.
pub fn render_json(report: &CommunityReport) -> String {
    let mut s = serde_json::to_string_pretty(&to_json(report)).unwrap_or_default();
    s.push('\n');
    s
}

/// `s` cut to `n` characters, with `…` when cut.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{:.1}%", x * 100.0))
}

fn hours(x: Option<f64>) -> String {
    match x {
        None => "–".to_owned(),
        Some(h) if h < 1.0 => format!("{:.0} min", h * 60.0),
        Some(h) if h < 48.0 => format!("{h:.1} h"),
        Some(h) => format!("{:.1} days", h / 24.0),
    }
}

fn share_of(n: u64, total: u64) -> String {
    if total == 0 {
        "–".to_owned()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / total as f64)
    }
}

/// The report as readable terminal text.
pub fn render_text(r: &CommunityReport) -> String {
    let mut s = String::new();
    let c = &r.community;
    let i = &r.interactions;
    let fr = &c.first_response;
    let rs = &c.resilience;
    let window = match (r.window.since, r.window.until) {
        (None, None) => "all time".to_owned(),
        (since, until) => format!(
            "{} to {}",
            since.map_or_else(|| "the beginning".to_owned(), iso),
            until.map_or_else(|| "now".to_owned(), iso)
        ),
    };
    let verdict = match c.verdict {
        "community" => "a COMMUNITY: members mostly talk with each other",
        "audience" => "an AUDIENCE: people mostly talk with the brand",
        "in_between" => "IN BETWEEN: members talk with each other and with the brand",
        "unknown" if c.unknown_because == Some("no_members") => {
            "UNKNOWN: every person is brand, so nobody's talk is a member's; check [roles]"
        }
        "unknown" => "UNKNOWN: say who the brand is",
        _ => "NOT YET MEASURABLE: no replies between people in this window",
    };
    let _ = writeln!(s, "Hearth community report ({window})");
    let _ = writeln!(s);
    let _ = writeln!(s, "Verdict: {verdict}.");
    if c.unknown_because == Some("no_brand") {
        s.push_str(SAY_WHO_THE_BRAND_IS);
    }
    let _ = writeln!(
        s,
        "  peer share {}, first responses by members {}, members still connected without the brand {}",
        pct(c.peer_share),
        share_of(fr.first_by_member, fr.first_by_member + fr.first_by_brand),
        pct(rs.members_in_largest_component_without_brand),
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Activity: {} messages in {} threads by {} people ({} members, {} brand, {} bots)",
        r.counts.messages,
        r.counts.threads,
        r.counts.people,
        r.counts.members,
        r.counts.brand,
        r.counts.bots
    );
    if r.counts.orphan_replies > 0 {
        let _ = writeln!(s, "  {}", orphan_line(r.counts.orphan_replies));
    }
    let _ = writeln!(s);
    if i.inferred_replies > 0 {
        let _ = writeln!(
            s,
            "Who talks to whom ({} interactions: {} replies, {} inferred replies, {} mentions)",
            i.total, i.replies, i.inferred_replies, i.mentions
        );
    } else {
        let _ = writeln!(
            s,
            "Who talks to whom ({} interactions: {} replies, {} mentions)",
            i.total, i.replies, i.mentions
        );
    }
    let between = i.between_people();
    for (label, n) in [
        ("member → member", i.member_to_member),
        ("member → brand ", i.member_to_brand),
        ("brand  → member", i.brand_to_member),
        ("brand  → brand ", i.brand_to_brand),
    ] {
        let _ = writeln!(s, "  {label}  {n:>8}  {:>6}", share_of(n, between));
    }
    let _ = writeln!(s, "  self             {:>8}", i.self_replies);
    let _ = writeln!(s, "  with bots        {:>8}", i.bot);
    let _ = writeln!(
        s,
        "  peer share = member→member ÷ interactions between people = {}",
        pct(c.peer_share)
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "Threads started by members: {}", fr.member_threads);
    let _ = writeln!(
        s,
        "  first answered by a member  {:>6}  {:>6}  median {}",
        fr.first_by_member,
        share_of(fr.first_by_member, fr.member_threads),
        hours(fr.median_hours_member)
    );
    let _ = writeln!(
        s,
        "  first answered by the brand {:>6}  {:>6}  median {}",
        fr.first_by_brand,
        share_of(fr.first_by_brand, fr.member_threads),
        hours(fr.median_hours_brand)
    );
    let _ = writeln!(
        s,
        "  unanswered                  {:>6}  {:>6}",
        fr.unanswered,
        share_of(fr.unanswered, fr.member_threads)
    );
    let _ = writeln!(
        s,
        "  answered within 1 h {}, 24 h {}, 7 days {}",
        pct(fr.answered_within.hour_1),
        pct(fr.answered_within.hours_24),
        pct(fr.answered_within.days_7)
    );
    let _ = writeln!(
        s,
        "  brand dependence: {} of answered threads heard only from the brand ({} threads)",
        pct(fr.brand_dependence),
        fr.brand_only_threads
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Without the brand ({} active members)",
        rs.active_members
    );
    let _ = writeln!(
        s,
        "  in the largest group with the brand     {}",
        pct(rs.members_in_largest_component_with_brand)
    );
    let _ = writeln!(
        s,
        "  in the largest group without the brand  {}",
        pct(rs.members_in_largest_component_without_brand)
    );
    let _ = writeln!(
        s,
        "  left isolated without the brand         {}",
        rs.isolated_without_brand
    );
    let _ = writeln!(
        s,
        "  never talked with anyone                {}",
        rs.isolated_with_brand
    );
    if r.spaces.len() > 1 {
        let _ = writeln!(s);
        let _ = writeln!(s, "By space");
        let _ = writeln!(
            s,
            "  {:<36} {:<14} {:>8} {:>7} {:>11} {:>15}  verdict",
            "space", "source", "messages", "people", "peer share", "first by member"
        );
        for sp in &r.spaces {
            let f = &sp.community.first_response;
            let _ = writeln!(
                s,
                "  {:<36} {:<14} {:>8} {:>7} {:>11} {:>15}  {}",
                clip(&sp.space, 36),
                sp.source,
                sp.counts.messages,
                sp.counts.people,
                pct(sp.community.peer_share),
                share_of(f.first_by_member, f.first_by_member + f.first_by_brand),
                sp.community.verdict
            );
        }
    }
    s
}

/// What to write in `hearth.toml` when no brand person is known (the text report and the
/// HTML report say it word for word).
pub const SAY_WHO_THE_BRAND_IS: &str =
    "  Without it every person counts as a member and the peer share is 100 % by \
construction. Add to hearth.toml in the data directory (one of these is enough):
    [roles]
    brand_email_domains = [\"example.com\"]      # the brand's mail domains
    brand_accounts = [\"support@example.com\"]   # addresses or platform ids (`hearth people list`)
    brand_platform_roles = [\"Team\"]            # platform roles that mean brand (Discord's)
";

/// The report's line on orphan replies (text and HTML say the same).
pub fn orphan_line(n: u64) -> String {
    if n == 1 {
        "1 reply answers a message that is not in the data (an orphan reply): it stays in its thread but never counts as a new question".to_owned()
    } else {
        format!(
            "{n} replies answer messages that are not in the data (orphan replies): they stay in their threads but never count as new questions"
        )
    }
}
