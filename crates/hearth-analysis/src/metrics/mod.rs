//! One metric a file. Each file's header states what it measures, the formula, its
//! parameters and an example; `docs/metrics.md` collects them, and [`definition`] hands the
//! same text to `hearth explain`.

pub mod absence;
pub mod activity;
pub mod counts;
pub mod first_response;
pub mod helpers;
pub mod interactions;
pub mod introductions;
pub mod lapsed;
pub mod newcomers;
pub mod peer_share;
pub mod resilience;
pub mod series;
pub mod structure;
pub mod survival;

/// Every metric `hearth explain` knows, with the source whose header defines it.
const DEFINITIONS: &[(&str, &str)] = &[
    ("peer_share", include_str!("peer_share.rs")),
    ("interactions", include_str!("interactions.rs")),
    ("counts", include_str!("counts.rs")),
    ("first_response", include_str!("first_response.rs")),
    ("brand_dependence", include_str!("first_response.rs")),
    ("survival", include_str!("survival.rs")),
    ("resilience", include_str!("resilience.rs")),
    ("structure", include_str!("structure.rs")),
    ("activity", include_str!("activity.rs")),
    ("retention", include_str!("activity.rs")),
    ("newcomers", include_str!("newcomers.rs")),
    ("lapsed", include_str!("lapsed.rs")),
    ("helpers", include_str!("helpers.rs")),
    ("introductions", include_str!("introductions.rs")),
    ("absence", include_str!("absence.rs")),
    ("series", include_str!("series.rs")),
    ("sentiment", include_str!("../text/sentiment.rs")),
    ("intent", include_str!("../text/intent.rs")),
    ("themes", include_str!("../text/themes.rs")),
    ("reply_inference", include_str!("../replies/mod.rs")),
    ("role_audit", include_str!("../audit.rs")),
    ("job_check", include_str!("../jobs.rs")),
    ("routing", include_str!("../route.rs")),
    ("post_metrics", include_str!("../social/posts.rs")),
    ("best_time", include_str!("../social/best_time.rs")),
    ("responses", include_str!("../social/response.rs")),
    ("mentions", include_str!("../social/mentions.rs")),
    ("alerts", include_str!("../social/alerts.rs")),
];

/// The names [`definition`] knows.
pub fn names() -> impl Iterator<Item = &'static str> {
    DEFINITIONS.iter().map(|(n, _)| *n)
}

/// The definition of a metric: its source file's `//!` header as plain text.
pub fn definition(name: &str) -> Option<String> {
    let (_, source) = DEFINITIONS.iter().find(|(n, _)| *n == name)?;
    let mut out = String::new();
    for line in source.lines() {
        let Some(doc) = line.strip_prefix("//!") else {
            break;
        };
        out.push_str(doc.strip_prefix(' ').unwrap_or(doc));
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_metric_has_a_definition() {
        for name in super::names() {
            let d = super::definition(name).unwrap_or_default();
            assert!(d.lines().count() >= 3, "{name}: {d}");
            assert!(d.contains("**"), "{name} header names the metric in bold");
        }
        assert_eq!(super::definition("nope"), None);
    }
}
