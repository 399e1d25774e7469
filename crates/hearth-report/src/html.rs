//! The shareable report: one self-contained HTML file (inline CSS and SVG, no script, no
//! network), readable on a laptop and a phone and printable to PDF.
//!
//! Every piece of community text (names, spaces, excerpts, themes) goes through [`esc`]:
//! nothing from the data can become markup, script, an event handler or a link.

// Markup is written in chunks that end lines where the page reads best.
#![allow(clippy::write_with_newline)]

use crate::layout::layout;
use std::fmt::Write;

/// Everything the HTML report shows, computed by the caller.
#[derive(Debug, Clone, Default)]
pub struct HtmlReport {
    /// What the report is about (the space, or "all spaces").
    pub title: String,
    /// The window in words ("all time", "2025-01-01 to 2026-01-01").
    pub window: String,
    /// Why the verdict is `unknown` (`no_brand`, `no_members`), if it is.
    pub unknown_because: Option<String>,
    /// `community`, `audience`, `in_between`, `no_interactions` or `unknown`.
    pub verdict: String,
    pub peer_share: Option<f64>,
    pub first_by_member_share: Option<f64>,
    pub connected_without_brand: Option<f64>,
    /// Peer share at the start and the end of the period (labels and values).
    pub trend: Option<((String, f64), (String, f64))>,
    pub messages: u64,
    pub people: u64,
    pub members: u64,
    pub brand: u64,
    /// Replies whose parent is not in the data (they never start a thread).
    pub orphan_replies: u64,
    pub series: Vec<SeriesPoint>,
    pub survival: Vec<(f64, f64)>,
    pub survival_median_hours: Option<f64>,
    pub cohorts: Vec<CohortRow>,
    /// (label, count) from newcomers to those who came back.
    pub funnel: Vec<(String, u64)>,
    pub graph: Graph,
    /// The graph's node positions when computed beforehand ([`picture_layout`], kept by the
    /// application layer between reports); computed here when absent or of another size.
    pub layout: Option<Vec<(f64, f64)>>,
    pub lapsed: Vec<Vec<String>>,
    pub helpers: Vec<Vec<String>>,
    pub waiting: Vec<Vec<String>>,
    /// The role audit: one row a brand person with 20+ messages (name, messages, the three
    /// shares, verdict), and the team's verdict in words.
    pub roles: Vec<Vec<String>>,
    pub roles_team: String,
    /// (metric name, definition text) for the definitions section.
    pub definitions: Vec<(String, String)>,
    /// The social media side, when the store has posts or `[brand] names`.
    pub social: Option<SocialSection>,
}

/// One number in the side-by-side table: (label, value, metric it links to).
pub type Cell = (String, String, String);

/// The social media side of the report: the brand's one-to-many work, kept apart from the
/// community numbers and shown beside them.
#[derive(Debug, Clone, Default)]
pub struct SocialSection {
    /// Both disciplines over the same period: (community label, value, metric) and
    /// (social label, value, metric), row by row.
    pub side_by_side: Vec<(Cell, Cell)>,
    /// (measure, value, formula, metric) for the post totals.
    pub totals: Vec<(String, String, String, String)>,
    /// date, account, headline rate, text.
    pub top_posts: Vec<Vec<String>>,
    /// The best-time sentence (with sample sizes, or why there is none).
    pub best_time: String,
    /// name, mentions, share of voice, negative share.
    pub voices: Vec<Vec<String>>,
    /// Weekly brand mentions (week label, count).
    pub timeline: Vec<(String, u64)>,
    /// Alerts on the timeline: (index into `timeline`, a crisis rather than a notice, what
    /// happened).
    pub alerts: Vec<(usize, bool, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct SeriesPoint {
    pub label: String,
    pub peer_share: Option<f64>,
    pub active_members: u64,
    pub messages: u64,
}

#[derive(Debug, Clone, Default)]
pub struct CohortRow {
    pub label: String,
    pub size: u64,
    pub retention: Vec<f64>,
}

#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    /// (a, b, interactions) between node indices.
    pub edges: Vec<(usize, usize, u64)>,
    /// People and interactions not drawn (a large community shows its most active part).
    pub hidden_people: u64,
    pub hidden_interactions: u64,
}

#[derive(Debug, Clone, Default)]
pub struct GraphNode {
    pub name: String,
    pub brand: bool,
    pub messages: u64,
    /// The person's id: in the dashboard a node links to its person's page.
    pub person: Option<i64>,
}

/// Where the numbers and people of the report link to when it is part of the dashboard
/// rather than a file of its own.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// Prefix of a metric's page (`/metrics/`); the metric's name and `query` follow.
    pub metric: String,
    /// Prefix of a person's page (`/people/`); the id and `query` follow.
    pub person: String,
    /// The query string (with its `?`, or empty) every link carries: the window and space.
    pub query: String,
}

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters (other than tab and newline) are dropped.
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    close_bidi(&mut out);
    out
}

/// Closes what a piece of data text leaves open of right-to-left overrides, embeddings and
/// isolates, so that it cannot reorder the page around it (an unclosed U+202E turns the rest
/// of a line backwards). Text that opens nothing is left as it is.
pub fn close_bidi(text: &mut String) {
    let mut open: Vec<char> = Vec::new();
    for c in text.chars() {
        match c {
            '\u{202a}' | '\u{202b}' | '\u{202d}' | '\u{202e}' => open.push('\u{202c}'),
            '\u{2066}'..='\u{2068}' => open.push('\u{2069}'),
            '\u{202c}' => {
                if let Some(at) = open.iter().rposition(|x| *x == '\u{202c}') {
                    open.remove(at);
                }
            }
            '\u{2069}' => {
                // A PDI also closes the embeddings opened after its isolate.
                if let Some(at) = open.iter().rposition(|x| *x == '\u{2069}') {
                    open.truncate(at);
                }
            }
            _ => {}
        }
    }
    while let Some(c) = open.pop() {
        text.push(c);
    }
}

/// `text` with its open bidi controls closed (see [`close_bidi`]), for templates that
/// escape on their own.
pub fn bidi_closed(text: &str) -> String {
    let mut t = text.to_owned();
    close_bidi(&mut t);
    t
}

/// An id made only of `[a-z0-9_-]`, for anchors.
fn slug(s: &str) -> String {
    s.chars()
        .map(|c| c.to_ascii_lowercase())
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

/// A number that links to its definition.
fn num(text: &str, metric: &str) -> String {
    format!(
        "<a class=\"num\" href=\"#def-{}\">{}</a>",
        slug(metric),
        esc(text)
    )
}

const CSS: &str = r#"
:root { --brand: #d9480f; --member: #1c7ed6; --ink: #212529; --muted: #6c757d; --line: #dee2e6; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 980px; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .2rem 0; } h2 { font-size: 1.25rem; margin-top: 2rem;
       border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
.sub { color: var(--muted); margin: 0 0 1rem; }
.verdict { font-size: 1.3rem; padding: 1rem; border-radius: 8px; background: #f1f3f5; }
.verdict strong.community { color: #2b8a3e; } .verdict strong.audience { color: var(--brand); }
.verdict strong.in_between { color: #e67700; } .verdict strong.unknown { color: #495057; }
pre.fix { white-space: pre-wrap; background: #fff3bf; padding: .6rem; border-radius: 6px; font-size: .85rem; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.card { flex: 1 1 12rem; border: 1px solid var(--line); border-radius: 8px; padding: .75rem; }
.card .big { font-size: 1.6rem; font-weight: 600; display: block; }
a.num { color: inherit; text-decoration: none; border-bottom: 1px dotted var(--muted); }
figure { margin: 1rem 0; } figcaption { color: var(--muted); font-size: .9rem; }
svg { width: 100%; height: auto; display: block; }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
.legend span { display: inline-block; margin-right: 1rem; }
.dot { display: inline-block; width: .8rem; height: .8rem; border-radius: 50%; vertical-align: middle; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 500; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr)); gap: 1rem; }
td { overflow-wrap: anywhere; } h1, p, figcaption { overflow-wrap: anywhere; }
dl.defs dt { font-weight: 600; margin-top: 1rem; } dl.defs dd { margin: 0; font-size: .85rem;
       color: #343a40; overflow-wrap: anywhere; } dl.defs dd p { margin: .3rem 0; }
dl.defs pre { white-space: pre-wrap; background: #f8f9fa; padding: .4rem; border-radius: 4px; }
.scale { display: flex; align-items: center; gap: .3rem; font-size: .8rem; color: var(--muted); }
.scale i { display: inline-block; width: 1.2rem; height: .8rem; background: #1c7ed6; }
@media (max-width: 600px) {
  svg text { font-size: 15px; }
  table.rows thead { display: none; }
  table.rows tr { display: block; border-bottom: 1px solid var(--line); padding: .4rem 0; }
  table.rows td { display: block; border: 0; padding: .1rem 0; }
  table.rows td::before { content: attr(data-label) ": "; color: var(--muted); }
}
@media print { body { max-width: none; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
"#;

/// The report's sections without the page around them and without the definitions, with
/// every number linking to `links.metric` and every drawn person to `links.person`: the
/// dashboard's overview. Every text from the data is escaped as in [`render_html`].
pub fn render_sections(r: &HtmlReport, links: &Links) -> String {
    let mut s = String::new();
    verdict(&mut s, r);
    picture_linked(&mut s, r, Some(links));
    charts(&mut s, r);
    tables(&mut s, r);
    if let Some(social) = &r.social {
        social_section(&mut s, social);
    }
    relink(&s, links)
}

/// The report's own style sheet (the dashboard uses it too).
pub fn css() -> &'static str {
    CSS
}

/// Points `href="#def-NAME"` at `links.metric` + NAME + `links.query`.
fn relink(html: &str, links: &Links) -> String {
    let mut out = String::with_capacity(html.len() + 1024);
    let mut rest = html;
    while let Some(at) = rest.find("href=\"#def-") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "href=\"#def-".len()..];
        let end = after.find('"').unwrap_or(after.len());
        let _ = write!(
            out,
            "href=\"{}{}{}\"",
            esc(&links.metric),
            slug(&after[..end]),
            esc(&links.query)
        );
        rest = &after[end.min(after.len())..];
        rest = rest.strip_prefix('"').unwrap_or(rest);
    }
    out.push_str(rest);
    out
}

/// Renders the report as one HTML document.
pub fn render_html(r: &HtmlReport) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
         <title>Hearth report: {}</title><style>{CSS}</style></head><body>\n",
        esc(&r.title)
    );
    let _ = write!(
        s,
        "<header><h1>Community or audience? {}</h1><p class=\"sub\">{} · {} messages by {} people ({} members, {} brand) · made by Hearth</p></header>\n",
        esc(&r.title),
        esc(&r.window),
        r.messages,
        r.people,
        r.members,
        r.brand
    );
    if r.orphan_replies > 0 {
        let _ = writeln!(
            s,
            "<p class=\"sub\">{}.</p>",
            esc(&crate::orphan_line(r.orphan_replies))
        );
    }
    verdict(&mut s, r);
    picture(&mut s, r);
    charts(&mut s, r);
    tables(&mut s, r);
    if let Some(social) = &r.social {
        social_section(&mut s, social);
    }
    definitions(&mut s, r);
    s.push_str("</body></html>\n");
    s
}

fn verdict(s: &mut String, r: &HtmlReport) {
    let (word, class) = match r.verdict.as_str() {
        "community" => (
            "a community: members mostly talk with each other",
            "community",
        ),
        "audience" => ("an audience: people mostly talk with the brand", "audience"),
        "in_between" => (
            "in between: members and the brand share the talk",
            "in_between",
        ),
        "unknown" if r.unknown_because.as_deref() == Some("no_members") => (
            "not known: every person is brand, so nobody's talk is a member's",
            "unknown",
        ),
        "unknown" => ("not known yet: say who the brand is", "unknown"),
        _ => ("not measurable yet: no interactions between people", "none"),
    };
    let _ = write!(
        s,
        "<section id=\"verdict\"><p class=\"verdict\">This is <strong class=\"{class}\">{word}</strong>. \
         Peer share {}, first answers by members {}, members still connected without the brand {}.",
        num(&pct(r.peer_share), "peer_share"),
        num(&pct(r.first_by_member_share), "first_response"),
        num(&pct(r.connected_without_brand), "resilience"),
    );
    if let Some(((l0, v0), (l1, v1))) = &r.trend {
        let moved = if (v1 - v0).abs() < 0.02 {
            "held steady"
        } else if v1 > v0 {
            "rose"
        } else {
            "fell"
        };
        let _ = write!(
            s,
            " Over the period the peer share {moved}: {} in {} → {} in {}.",
            num(&pct(Some(*v0)), "series"),
            esc(l0),
            num(&pct(Some(*v1)), "series"),
            esc(l1)
        );
    }
    s.push_str("</p>\n");
    if r.unknown_because.as_deref() == Some("no_brand") {
        let _ = write!(
            s,
            "<pre class=\"fix\">{}</pre>",
            esc(crate::SAY_WHO_THE_BRAND_IS)
        );
    }
    s.push_str("<div class=\"cards\">");
    for (label, value, metric) in [
        ("peer share", pct(r.peer_share), "peer_share"),
        (
            "first answers by members",
            pct(r.first_by_member_share),
            "first_response",
        ),
        (
            "connected without the brand",
            pct(r.connected_without_brand),
            "resilience",
        ),
        (
            "median wait for an answer",
            r.survival_median_hours
                .map_or_else(|| "never half".to_owned(), hours),
            "survival",
        ),
    ] {
        let _ = write!(
            s,
            "<div class=\"card\"><span class=\"big\">{}</span>{}</div>",
            num(&value, metric),
            esc(label)
        );
    }
    s.push_str("</div></section>\n");
}

fn hours(h: f64) -> String {
    if h < 1.0 {
        format!("{:.0} min", h * 60.0)
    } else if h < 48.0 {
        format!("{h:.1} h")
    } else {
        format!("{:.1} days", h / 24.0)
    }
}

/// Rounds of the picture's force-directed layout.
const LAYOUT_ROUNDS: usize = 400;

/// The positions of the picture's nodes in the unit square (a pure function of the graph's
/// size and edges: see [`picture_key`]).
pub fn picture_layout(g: &Graph) -> Vec<(f64, f64)> {
    let edges: Vec<(usize, usize, f64)> =
        g.edges.iter().map(|&(a, b, w)| (a, b, w as f64)).collect();
    layout(g.nodes.len(), &edges, LAYOUT_ROUNDS)
}

/// A fingerprint (FNV-1a, 64 bits) of everything [`picture_layout`] depends on: the number of
/// nodes, the edges and the rounds. Equal keys, equal layouts.
pub fn picture_key(g: &Graph) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |x: u64| {
        for b in x.to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(LAYOUT_ROUNDS as u64);
    eat(g.nodes.len() as u64);
    for &(a, b, w) in &g.edges {
        eat(a as u64);
        eat(b as u64);
        eat(w);
    }
    h
}

fn picture(s: &mut String, r: &HtmlReport) {
    picture_linked(s, r, None);
}

fn picture_linked(s: &mut String, r: &HtmlReport, links: Option<&Links>) {
    let g = &r.graph;
    s.push_str("<section id=\"picture\"><h2>Who talks with whom</h2>\n");
    if g.nodes.is_empty() {
        s.push_str("<p>No interactions between people in this period.</p></section>\n");
        return;
    }
    let pos = match &r.layout {
        Some(p) if p.len() == g.nodes.len() => p.clone(),
        _ => picture_layout(g),
    };
    let (w, h) = (900.0, 620.0);
    let max_msgs = g.nodes.iter().map(|n| n.messages).max().unwrap_or(1).max(1) as f64;
    let max_w = g.edges.iter().map(|e| e.2).max().unwrap_or(1).max(1) as f64;
    // With links each node is a control, so the drawing is a group of them, not one image.
    let role = if links.is_some() { "group" } else { "img" };
    let _ = write!(
        s,
        "<figure><svg id=\"graph\" viewBox=\"0 0 {w} {h}\" role=\"{role}\" aria-label=\"interaction graph\">"
    );
    let xy = |i: usize| (pos[i].0 * w, pos[i].1 * h);
    for &(a, b, n) in &g.edges {
        let ((x1, y1), (x2, y2)) = (xy(a), xy(b));
        let brand = g.nodes[a].brand || g.nodes[b].brand;
        let _ = write!(
            s,
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{}\" stroke-opacity=\"{:.2}\" stroke-width=\"{:.2}\"/>",
            if brand { "#f08c00" } else { "#74c0fc" },
            0.25 + 0.5 * (n as f64 / max_w),
            0.6 + 2.5 * (n as f64 / max_w).sqrt()
        );
    }
    for (i, node) in g.nodes.iter().enumerate() {
        let (x, y) = xy(i);
        let radius = 2.5 + 12.0 * (node.messages as f64 / max_msgs).sqrt();
        let link = links.zip(node.person);
        if let Some((l, id)) = link {
            let _ = write!(
                s,
                "<a href=\"{}{id}{}\" aria-label=\"{}\">",
                esc(&l.person),
                esc(&l.query),
                esc(&node.name)
            );
        }
        let _ = write!(
            s,
            "<circle class=\"{}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{radius:.1}\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"0.8\"><title>{} ({} messages{})</title></circle>",
            if node.brand { "brand" } else { "member" },
            if node.brand { "#d9480f" } else { "#1c7ed6" },
            esc(&node.name),
            node.messages,
            if node.brand { ", brand" } else { "" }
        );
        if link.is_some() {
            s.push_str("</a>");
        }
    }
    s.push_str("</svg><figcaption><span class=\"legend\"><span><i class=\"dot\" style=\"background:#d9480f\"></i> brand</span><span><i class=\"dot\" style=\"background:#1c7ed6\"></i> members (size: messages)</span></span> ");
    let _ = write!(
        s,
        "{} people and {} pairs drawn.",
        g.nodes.len(),
        g.edges.len()
    );
    if g.hidden_people > 0 {
        let _ = write!(
            s,
            " Showing the most active part: {} more people with {} interactions are not drawn.",
            g.hidden_people, g.hidden_interactions
        );
    }
    s.push_str(" A star around the brand is an audience; a mesh of members is a community.</figcaption></figure></section>\n");
}

/// A chart frame: plot area inside margins, y from 0 to `y_max`.
struct Frame {
    w: f64,
    h: f64,
    left: f64,
    bottom: f64,
}

impl Frame {
    fn x(&self, f: f64) -> f64 {
        self.left + f * (self.w - self.left - 10.0)
    }
    fn y(&self, f: f64) -> f64 {
        (self.h - self.bottom) - f * (self.h - self.bottom - 10.0)
    }
}

fn charts(s: &mut String, r: &HtmlReport) {
    s.push_str("<section id=\"charts\"><h2>Over time</h2><div class=\"grid\">\n");
    // Peer share and active members by month.
    let n = r.series.len();
    if n > 0 {
        let f = Frame {
            w: 460.0,
            h: 240.0,
            left: 46.0,
            bottom: 22.0,
        };
        let max_active = r
            .series
            .iter()
            .map(|p| p.active_members)
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let _ = write!(
            s,
            "<figure id=\"chart-series\"><svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"peer share and active members\">",
            f.w, f.h
        );
        axes(s, &f, "100%", "0%");
        let bw = (f.w - f.left - 10.0) / n as f64;
        for (i, p) in r.series.iter().enumerate() {
            let hgt = p.active_members as f64 / max_active;
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#d0ebff\"><title>{}: {} active members</title></rect>",
                f.x(i as f64 / n as f64),
                f.y(hgt),
                (bw - 1.0).max(0.5),
                f.y(0.0) - f.y(hgt),
                esc(&p.label),
                p.active_members
            );
        }
        let mut path = String::new();
        for (i, p) in r.series.iter().enumerate() {
            if let Some(v) = p.peer_share {
                let _ = write!(
                    path,
                    "{}{:.1},{:.1} ",
                    if path.is_empty() { "M" } else { "L" },
                    f.x((i as f64 + 0.5) / n as f64),
                    f.y(v)
                );
            }
        }
        let _ = write!(
            s,
            "<path d=\"{path}\" fill=\"none\" stroke=\"#2b8a3e\" stroke-width=\"2\"/>"
        );
        let _ = write!(
            s,
            "<text x=\"{:.0}\" y=\"{:.0}\">{}</text><text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text>",
            f.left,
            f.h - 6.0,
            esc(&r.series[0].label),
            f.w - 10.0,
            f.h - 6.0,
            esc(&r.series[n - 1].label)
        );
        let _ = write!(
            s,
            "</svg><figcaption><span style=\"color:#2b8a3e\">━</span> {} by month; bars: {} (most: {}).</figcaption></figure>\n",
            num("peer share", "peer_share"),
            num("active members", "activity"),
            max_active
        );
    }
    // Survival curve.
    if !r.survival.is_empty() {
        let f = Frame {
            w: 460.0,
            h: 240.0,
            left: 46.0,
            bottom: 22.0,
        };
        let _ = write!(
            s,
            "<figure id=\"chart-survival\"><svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"time to first response\">",
            f.w, f.h
        );
        axes(s, &f, "100%", "0%");
        // x: hours on a log scale from 0.1 h to 30 days.
        let lx = |h: f64| ((h.max(0.1)).log10() + 1.0) / (720f64.log10() + 1.0);
        let mut path = format!("M{:.1},{:.1}", f.x(0.0), f.y(1.0));
        let mut last = 1.0;
        for &(t, sv) in &r.survival {
            if t > 720.0 {
                break;
            }
            let _ = write!(
                path,
                " L{:.1},{:.1} L{:.1},{:.1}",
                f.x(lx(t)),
                f.y(last),
                f.x(lx(t)),
                f.y(sv)
            );
            last = sv;
        }
        let _ = write!(path, " L{:.1},{:.1}", f.x(1.0), f.y(last));
        let _ = write!(
            s,
            "<path d=\"{path}\" fill=\"none\" stroke=\"#1c7ed6\" stroke-width=\"2\"/>"
        );
        for (h, label) in [(1.0, "1 h"), (24.0, "1 d"), (168.0, "7 d"), (720.0, "30 d")] {
            let _ = write!(
                s,
                "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#dee2e6\"/><text x=\"{x:.1}\" y=\"{:.0}\" text-anchor=\"{}\">{label}</text>",
                f.y(0.0),
                f.y(1.0),
                f.h - 6.0,
                if h >= 720.0 { "end" } else { "middle" },
                x = f.x(lx(h))
            );
        }
        let _ = write!(
            s,
            "</svg><figcaption>Share of member questions still waiting for a first answer ({}), by hours (h) and days (d) since asked; unanswered questions count as still waiting. Median wait: {}.</figcaption></figure>\n",
            num("Kaplan–Meier", "survival"),
            r.survival_median_hours
                .map_or_else(|| "more than half never answered".to_owned(), hours)
        );
    }
    // Cohort retention heat map.
    if !r.cohorts.is_empty() {
        let cols = r
            .cohorts
            .iter()
            .map(|c| c.retention.len())
            .max()
            .unwrap_or(1);
        let (cw, ch, left, top) = (30.0, 18.0, 96.0, 18.0);
        let (w, h) = (
            left + cw * cols as f64 + 10.0,
            top + ch * r.cohorts.len() as f64 + 4.0,
        );
        let _ = write!(
            s,
            "<figure id=\"chart-cohorts\"><svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"cohort retention\">"
        );
        for k in 0..cols {
            let _ = write!(
                s,
                "<text x=\"{:.0}\" y=\"12\" text-anchor=\"middle\">+{k}</text>",
                left + cw * (k as f64 + 0.5)
            );
        }
        for (row, c) in r.cohorts.iter().enumerate() {
            let y = top + ch * row as f64;
            let _ = write!(
                s,
                "<text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{} ({})</text>",
                left - 4.0,
                y + 13.0,
                esc(&c.label),
                c.size
            );
            for (k, v) in c.retention.iter().enumerate() {
                let _ = write!(
                    s,
                    "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#1c7ed6\" fill-opacity=\"{:.2}\"><title>{} cohort, month +{k}: {:.0}%</title></rect>",
                    left + cw * k as f64,
                    cw - 1.0,
                    ch - 1.0,
                    0.08 + 0.92 * v,
                    esc(&c.label),
                    v * 100.0
                );
            }
        }
        // The colour scale: how dark a cell is, as a share of the cohort active.
        s.push_str("</svg><div class=\"scale\" aria-hidden=\"true\">0%");
        for step in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let _ = write!(s, "<i style=\"opacity:{:.2}\"></i>", 0.08 + 0.92 * step);
        }
        s.push_str("100% active</div>");
        let _ = write!(
            s,
            "<figcaption>{}: of the members who first wrote in a month (its size in brackets), the share active 0–12 months later; darker is more.</figcaption></figure>\n",
            num("Cohort retention", "activity")
        );
    }
    // Newcomer funnel.
    if let Some(first) = r.funnel.first().map(|f| f.1.max(1)) {
        // Each step's label above its bar, so no label is cut however narrow the screen.
        let (w, bh) = (460.0, 40.0);
        let h = bh * r.funnel.len() as f64 + 4.0;
        let _ = write!(
            s,
            "<figure id=\"chart-funnel\"><svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"newcomer funnel\">"
        );
        for (i, (label, n)) in r.funnel.iter().enumerate() {
            let y = i as f64 * bh;
            let bar = (w - 70.0) * (*n as f64 / first as f64);
            let _ = write!(
                s,
                "<text x=\"0\" y=\"{:.1}\">{}</text><rect x=\"0\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"16\" fill=\"#74c0fc\"/><text x=\"{:.1}\" y=\"{:.1}\">{n}</text>",
                y + 14.0,
                esc(label),
                y + 19.0,
                bar + 5.0,
                y + 32.0
            );
        }
        let _ = write!(
            s,
            "</svg><figcaption>{}: first message → answered → answered by a member → of those, came back within 30 days.</figcaption></figure>\n",
            num("Newcomers", "newcomers")
        );
    }
    s.push_str("</div></section>\n");
}

fn axes(s: &mut String, f: &Frame, top: &str, bottom: &str) {
    let _ = write!(
        s,
        "<line x1=\"{l}\" x2=\"{r}\" y1=\"{b:.1}\" y2=\"{b:.1}\" stroke=\"#adb5bd\"/><line x1=\"{l}\" x2=\"{r}\" y1=\"{t:.1}\" y2=\"{t:.1}\" stroke=\"#f1f3f5\"/><text x=\"{tx}\" y=\"{ty:.1}\" text-anchor=\"end\">{top}</text><text x=\"{tx}\" y=\"{by:.1}\" text-anchor=\"end\">{bottom}</text>",
        l = f.left,
        r = f.w - 10.0,
        b = f.y(0.0),
        t = f.y(1.0),
        tx = f.left - 4.0,
        ty = f.y(1.0) + 4.0,
        by = f.y(0.0),
    );
}

/// A table of text cells, every cell escaped. On a narrow screen each row becomes a card,
/// each cell labelled with its column (a long last message reads as a paragraph, not as a
/// column one word wide).
fn text_table(s: &mut String, head: &[&str], rows: &[Vec<String>]) {
    s.push_str("<table class=\"rows\"><thead><tr>");
    for h in head {
        let _ = write!(s, "<th>{}</th>", esc(h));
    }
    s.push_str("</tr></thead><tbody>");
    for row in rows {
        s.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let label = head.get(i).copied().unwrap_or("");
            let _ = write!(s, "<td data-label=\"{}\">{}</td>", esc(label), esc(cell));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
}

fn table(s: &mut String, id: &str, title: &str, metric: &str, head: &[&str], rows: &[Vec<String>]) {
    let _ = write!(
        s,
        "<section id=\"{id}\"><h2>{} <small>({})</small></h2>",
        esc(title),
        num("how it is chosen", metric)
    );
    if rows.is_empty() {
        s.push_str("<p>Nobody right now.</p></section>\n");
        return;
    }
    text_table(s, head, rows);
    s.push_str("</section>\n");
}

fn tables(s: &mut String, r: &HtmlReport) {
    table(
        s,
        "lapsed",
        "Lapsed members to reach out to",
        "lapsed",
        &[
            "member",
            "messages",
            "usual gap (days)",
            "silent (days)",
            "last message",
        ],
        &r.lapsed,
    );
    table(
        s,
        "helpers",
        "Helpers to thank",
        "helpers",
        &["member", "answers", "people helped", "trend"],
        &r.helpers,
    );
    if !r.roles_team.is_empty() {
        let _ = write!(
            s,
            "<section id=\"roles\"><h2>What the brand's people do <small>({})</small></h2><p>{}</p>",
            num("how it is decided", "role_audit"),
            esc(&r.roles_team)
        );
        if !r.roles.is_empty() {
            text_table(
                s,
                &[
                    "person",
                    "messages",
                    "broadcasting",
                    "answering",
                    "facilitating",
                    "verdict",
                ],
                &r.roles,
            );
        }
        s.push_str("</section>\n");
    }
    table(
        s,
        "waiting",
        "Newcomers still waiting for an answer",
        "newcomers",
        &["newcomer", "since", "first message"],
        &r.waiting,
    );
}

fn social_section(s: &mut String, x: &SocialSection) {
    s.push_str("<section id=\"both\"><h2>Both disciplines, the same period</h2>\
        <p>Community work is measured by what members do with each other; social media work by what the brand's posts reach. Neither set of numbers stands for the other.</p>\
        <table><thead><tr><th>Community (many-to-many)</th><th></th><th>Social media (one-to-many)</th><th></th></tr></thead><tbody>");
    for ((cl, cv, cm), (sl, sv, sm)) in &x.side_by_side {
        let cell = |label: &str, value: &str, metric: &str| {
            if label.is_empty() {
                "<td></td><td></td>".to_owned()
            } else {
                format!("<td>{}</td><td>{}</td>", esc(label), num(value, metric))
            }
        };
        let _ = write!(s, "<tr>{}{}</tr>", cell(cl, cv, cm), cell(sl, sv, sm));
    }
    s.push_str("</tbody></table></section>\n");

    s.push_str("<section id=\"social\"><h2>The social media side</h2>");
    if !x.totals.is_empty() {
        s.push_str(
            "<table><thead><tr><th>measure</th><th>value</th><th>formula</th></tr></thead><tbody>",
        );
        for (label, value, formula, metric) in &x.totals {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(label),
                num(value, metric),
                esc(formula)
            );
        }
        s.push_str("</tbody></table>");
    }
    let _ = write!(s, "<p>{}</p>", esc(&x.best_time));
    if !x.top_posts.is_empty() {
        s.push_str("<h3>Top posts</h3>");
        text_table(
            s,
            &["date", "account", "engagement rate", "post"],
            &x.top_posts,
        );
    }
    if !x.voices.is_empty() {
        let _ = write!(
            s,
            "<h3>Mentions and share of voice <small>({})</small></h3>",
            num("definition", "mentions")
        );
        text_table(
            s,
            &["name", "mentions", "share of voice", "negative"],
            &x.voices,
        );
    }
    if !x.timeline.is_empty() {
        let w = 720.0;
        let h = 180.0;
        let (left, right, top, bottom) = (40.0, 10.0, 14.0, 24.0);
        let max = x.timeline.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1) as f64;
        let bw = (w - left - right) / x.timeline.len() as f64;
        let _ = write!(
            s,
            "<figure id=\"mention-timeline\"><svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Weekly mentions with alerts\">"
        );
        for (k, (label, n)) in x.timeline.iter().enumerate() {
            let bh = (h - top - bottom) * *n as f64 / max;
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#74c0fc\"><title>{}: {n}</title></rect>",
                left + k as f64 * bw,
                h - bottom - bh,
                (bw - 0.5).max(0.5),
                bh,
                esc(label)
            );
        }
        // Notices first (a grey tick above the bar), crises over them (a red line and dot).
        for (k, crisis, what) in x
            .alerts
            .iter()
            .filter(|a| !a.1)
            .chain(x.alerts.iter().filter(|a| a.1))
        {
            let cx = left + (*k as f64 + 0.5) * bw;
            if *crisis {
                let _ = write!(
                    s,
                    "<g class=\"alert crisis\"><line x1=\"{cx:.1}\" x2=\"{cx:.1}\" y1=\"{top}\" y2=\"{:.1}\" stroke=\"#e03131\" stroke-dasharray=\"3 2\"/><circle cx=\"{cx:.1}\" cy=\"{top}\" r=\"4\" fill=\"#e03131\"><title>{}</title></circle></g>",
                    h - bottom,
                    esc(what)
                );
            } else {
                let _ = write!(
                    s,
                    "<g class=\"alert notice\"><line x1=\"{cx:.1}\" x2=\"{cx:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#868e96\" stroke-width=\"2\"><title>{}</title></line></g>",
                    top - 6.0,
                    top + 2.0,
                    esc(what)
                );
            }
        }
        let first = x.timeline.first().map_or("", |t| t.0.as_str());
        let last = x.timeline.last().map_or("", |t| t.0.as_str());
        let _ = write!(
            s,
            "<text x=\"{left}\" y=\"{:.1}\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text></svg>",
            h - 6.0,
            esc(first),
            w - right,
            h - 6.0,
            esc(last),
            left - 4.0,
            top + 4.0,
            max as u64
        );
        let _ = write!(
            s,
            "<figcaption>Mentions of the brand per week; red marks are crises ({crises}: the negative share of the brand's mentions rising, from several people), grey ticks are volume notices ({notices}: many messages on one topic); each with the messages that explain it in <code>hearth alerts</code> ({}).</figcaption></figure>",
            num("how they are found", "alerts"),
            crises = x.alerts.iter().filter(|a| a.1).count(),
            notices = x.alerts.iter().filter(|a| !a.1).count(),
        );
    }
    s.push_str("</section>\n");
}

/// Markdown (a metric's definition, from its file's header) as HTML: emphasis, lists and
/// code kept; raw HTML shown as text; images dropped; links kept only to web pages when
/// `web_links` (a link to code, such as rustdoc's ``[`x`](super::x)``, becomes its text).
pub fn markdown(text: &str, web_links: bool) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut dropped = Vec::new();
    // Every piece of text goes out through `esc` (quotes too, bidi closed): markup in the
    // Markdown is shown as text.
    // A rustdoc link with no target (``[`TOP`]``) is a link to nothing: dropped below like
    // any link to code, its text kept (not shown with its brackets).
    let nowhere = |_: pulldown_cmark::BrokenLink<'_>| Some(("".into(), "".into()));
    let parser = Parser::new_with_broken_link_callback(
        text,
        pulldown_cmark::Options::empty(),
        Some(nowhere),
    );
    let events = parser.filter_map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) | Event::Text(h) => {
            Some(Event::InlineHtml(esc(&h).into()))
        }
        Event::Code(c) => Some(Event::InlineHtml(
            format!("<code>{}</code>", esc(&c)).into(),
        )),
        Event::Start(Tag::Link { dest_url, .. }) => {
            let keep =
                web_links && (dest_url.starts_with("https://") || dest_url.starts_with("http://"));
            dropped.push(!keep);
            keep.then(|| {
                Event::Start(Tag::Link {
                    link_type: pulldown_cmark::LinkType::Inline,
                    dest_url,
                    title: "".into(),
                    id: "".into(),
                })
            })
        }
        Event::End(TagEnd::Link) => match dropped.pop() {
            Some(true) => None,
            _ => Some(Event::End(TagEnd::Link)),
        },
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        other => Some(other),
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

fn definitions(s: &mut String, r: &HtmlReport) {
    s.push_str(
        "<section id=\"definitions\"><h2>How each number is computed</h2><dl class=\"defs\">",
    );
    for (name, text) in &r.definitions {
        let _ = write!(
            s,
            "<dt id=\"def-{}\">{}</dt><dd>{}</dd>",
            slug(name),
            esc(name),
            markdown(text.trim(), false)
        );
    }
    s.push_str("</dl></section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rustdoc_link_shows_its_text_without_brackets() {
        let html = markdown(
            "The top [`TOP`] words; see [`own_words`](super::own_words) and [docs](https://example.org).",
            true,
        );
        assert_eq!(
            html,
            "<p>The top <code>TOP</code> words; see <code>own_words</code> and <a href=\"https://example.org\">docs</a>.</p>\n"
        );
    }

    #[test]
    fn unclosed_right_to_left_override_is_closed_inside_the_data_text() {
        // An RLO that would turn the rest of the page's line backwards.
        assert_eq!(esc("evil\u{202e}gnp.exe"), "evil\u{202e}gnp.exe\u{202c}");
        assert_eq!(
            esc("\u{2067}\u{202b}x"),
            "\u{2067}\u{202b}x\u{202c}\u{2069}"
        );
        // Balanced text is left as it is; a PDI closes the embeddings inside its isolate.
        assert_eq!(esc("a\u{202e}b\u{202c}"), "a\u{202e}b\u{202c}");
        assert_eq!(
            esc("\u{2066}\u{202e}b\u{2069}"),
            "\u{2066}\u{202e}b\u{2069}"
        );
        assert_eq!(esc("שלום world"), "שלום world");
    }

    #[test]
    fn hostile_text_stays_text() {
        let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">x</a>\u{0}\u{7}";
        let r = HtmlReport {
            title: hostile.into(),
            window: hostile.into(),
            verdict: "community".into(),
            graph: Graph {
                nodes: vec![
                    GraphNode {
                        name: hostile.into(),
                        brand: true,
                        messages: 3,
                        person: Some(7),
                    },
                    GraphNode {
                        name: "ann".into(),
                        brand: false,
                        messages: 1,
                        person: None,
                    },
                ],
                edges: vec![(0, 1, 2)],
                ..Graph::default()
            },
            lapsed: vec![vec![hostile.into(); 5]],
            definitions: vec![(hostile.into(), hostile.into())],
            ..HtmlReport::default()
        };
        let html = render_html(&r);
        assert!(!html.contains("<script"));
        assert!(!html.contains("<img"));
        assert!(!html.contains("href=\"javascript:"));
        // No tag carries an event handler (the text may mention one, escaped).
        for tag in html.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or("");
            assert!(!tag.contains(" onerror="), "{tag}");
            assert!(
                !tag.starts_with("script") && !tag.starts_with("img"),
                "{tag}"
            );
        }
        assert!(!html.contains('\u{0}'));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        // The only links are to the report's own definitions.
        for part in html.split("href=\"").skip(1) {
            assert!(part.starts_with("#def-"), "{}", &part[..part.len().min(40)]);
        }
        // In the dashboard they point at its pages, with the scope, and people are links.
        let links = Links {
            metric: "/metrics/".into(),
            person: "/people/".into(),
            query: "?since=2025-01&space=a&b".into(),
        };
        let page = render_sections(&r, &links);
        assert!(page.contains("href=\"/metrics/peer_share?since=2025-01&amp;space=a&amp;b\""));
        assert!(page.contains("href=\"/people/7?since=2025-01&amp;space=a&amp;b\""));
        assert!(!page.contains("#def-"));
        assert!(!page.contains("<script"));
    }
}
