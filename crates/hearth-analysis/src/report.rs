//! The community report: every metric of the foundation, in one serialisable struct.

use crate::metrics::counts::counts;
use crate::metrics::first_response::{FirstResponse, first_response};
use crate::metrics::interactions::{Interactions, interactions};
use crate::metrics::peer_share::peer_share;
use crate::metrics::resilience::{Resilience, resilience};
use crate::{Context, Prepared, Window};
use hearth_model::{Config, Snapshot};
use serde::Serialize;

pub use crate::metrics::counts::Counts;

/// Peer share at or above this reads as a community.
pub const COMMUNITY_AT: f64 = 0.6;
/// Peer share below this reads as an audience.
pub const AUDIENCE_BELOW: f64 = 0.4;

/// Everything `hearth report` shows. Field order is the JSON key order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommunityReport {
    pub window: Window,
    #[serde(flatten)]
    pub counts: Counts,
    pub interactions: Interactions,
    pub community: Community,
    /// The same measures for each space with messages in the window, most messages first.
    pub spaces: Vec<SpaceReport>,
}

/// The report's measures restricted to one space.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpaceReport {
    pub source: String,
    pub space: String,
    #[serde(flatten)]
    pub counts: Counts,
    pub interactions: Interactions,
    pub community: Community,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Community {
    /// `community`, `audience`, `in_between`, `no_interactions`, or `unknown` when no brand
    /// person (or no member) is known: then every peer share is a foregone conclusion.
    pub verdict: &'static str,
    /// Why the verdict is `unknown`: `no_brand` or `no_members` (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown_because: Option<&'static str>,
    pub peer_share: Option<f64>,
    pub first_response: FirstResponse,
    pub resilience: Resilience,
}

/// The verdict from the peer share (thresholds [`COMMUNITY_AT`], [`AUDIENCE_BELOW`]).
pub fn verdict(peer_share: Option<f64>) -> &'static str {
    match peer_share {
        None => "no_interactions",
        Some(p) if p >= COMMUNITY_AT => "community",
        Some(p) if p < AUDIENCE_BELOW => "audience",
        Some(_) => "in_between",
    }
}

/// Why no verdict can be given for the whole snapshot: no person is brand (with no rules,
/// everyone is a member and the peer share is 100 % by construction), or nobody is a member.
pub fn unknown_because(prepared: &Prepared) -> Option<&'static str> {
    use hearth_model::Role;
    let has = |role| prepared.roles.iter().any(|d| d.role == role);
    if !has(Role::Brand) {
        Some("no_brand")
    } else if !has(Role::Member) {
        Some("no_members")
    } else {
        None
    }
}

fn measures(cx: &Context<'_>, unknown: Option<&'static str>) -> (Counts, Interactions, Community) {
    let interactions = interactions(cx);
    let peer_share = peer_share(&interactions);
    let community = Community {
        verdict: if unknown.is_some() {
            "unknown"
        } else {
            verdict(peer_share)
        },
        unknown_because: unknown,
        peer_share,
        first_response: first_response(cx),
        resilience: resilience(cx),
    };
    (counts(cx), interactions, community)
}

/// The report's numbers for one scope (the context's window and space), without the
/// per-space breakdown: what a comparison of two periods needs.
pub fn scope_report(cx: &Context<'_>, prepared: &Prepared) -> CommunityReport {
    let (counts, interactions, community) = measures(cx, unknown_because(prepared));
    CommunityReport {
        window: cx.window,
        counts,
        interactions,
        community,
        spaces: Vec::new(),
    }
}

/// Computes the report for `window`: in total, and for each space.
pub fn report(snapshot: &Snapshot, config: &Config, window: Window) -> CommunityReport {
    let prepared = Prepared::new(snapshot, config);
    let unknown = unknown_because(&prepared);
    let (counts, interactions, community) =
        measures(&Context::new(snapshot, &prepared, window, None), unknown);
    let mut spaces = Vec::new();
    if let [only] = snapshot.spaces.as_slice() {
        // One space: its report is the total's.
        if counts.messages > 0 {
            spaces.push(SpaceReport {
                source: only.source.clone(),
                space: only.name.clone(),
                counts: counts.clone(),
                interactions: interactions.clone(),
                community: community.clone(),
            });
        }
    } else {
        for (index, info) in snapshot.spaces.iter().enumerate() {
            let cx = Context::new(snapshot, &prepared, window, Some(index as u32));
            let (counts, interactions, community) = measures(&cx, unknown);
            if counts.messages > 0 {
                spaces.push(SpaceReport {
                    source: info.source.clone(),
                    space: info.name.clone(),
                    counts,
                    interactions,
                    community,
                });
            }
        }
        spaces.sort_by(|a, b| {
            b.counts
                .messages
                .cmp(&a.counts.messages)
                .then_with(|| a.space.cmp(&b.space))
        });
    }
    CommunityReport {
        window,
        counts,
        interactions,
        community,
        spaces,
    }
}
