//! **Interactions by class**: every interaction of the window, counted by class.
//!
//! An interaction is a directed edge author → addressee derived from a message: the explicit
//! reply (a message whose parent is in the store addresses the parent's author) and the
//! mention (each mentioned person other than that author). It belongs to the window when the
//! *message* is in the window (a parent may be older). Classes: `self` (author addresses
//! themselves) first, then `bot` (either side is a bot), then the four role pairs.
//! `replies`, `mentions` and `inferred_replies` split `total` by kind; an inferred reply is
//! a chat message's parent found by reply inference (`hearth_analysis::replies`).

use crate::Context;
use hearth_model::{InteractionClass, InteractionKind};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Interactions {
    pub member_to_member: u64,
    pub member_to_brand: u64,
    pub brand_to_member: u64,
    pub brand_to_brand: u64,
    #[serde(rename = "self")]
    pub self_replies: u64,
    pub bot: u64,
    /// All of the above.
    pub total: u64,
    /// Of `total`, derived from explicit replies.
    pub replies: u64,
    /// Of `total`, derived from mentions.
    pub mentions: u64,
    /// Of `total`, derived from inferred replies (chat without threads).
    pub inferred_replies: u64,
}

impl Interactions {
    /// Interactions between distinct non-bot people (the four role pairs).
    pub fn between_people(&self) -> u64 {
        self.member_to_member + self.member_to_brand + self.brand_to_member + self.brand_to_brand
    }
}

pub fn interactions(cx: &Context<'_>) -> Interactions {
    let mut c = Interactions::default();
    for it in cx.interactions() {
        c.add(it);
    }
    c
}

impl Interactions {
    /// Counts one more interaction.
    pub fn add(&mut self, it: &hearth_model::Interaction) {
        let c = self;
        c.total += 1;
        match it.kind {
            InteractionKind::Reply => c.replies += 1,
            InteractionKind::Mention => c.mentions += 1,
            InteractionKind::InferredReply => c.inferred_replies += 1,
        }
        match it.class {
            InteractionClass::MemberToMember => c.member_to_member += 1,
            InteractionClass::MemberToBrand => c.member_to_brand += 1,
            InteractionClass::BrandToMember => c.brand_to_member += 1,
            InteractionClass::BrandToBrand => c.brand_to_brand += 1,
            InteractionClass::SelfReply => c.self_replies += 1,
            InteractionClass::Bot => c.bot += 1,
        }
    }
}
