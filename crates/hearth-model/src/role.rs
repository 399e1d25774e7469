//! Roles of people and the classes of interactions between them.

use serde::{Deserialize, Serialize};

/// What a person is to the community. Decided by rules the user controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Staff, official accounts, vendor employees.
    Brand,
    /// Everyone else who is a human.
    Member,
    /// Automated accounts; kept out of community metrics.
    Bot,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Brand => "brand",
            Role::Member => "member",
            Role::Bot => "bot",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an interaction was derived from a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InteractionKind {
    /// The message answers a message of the addressee (explicit parent).
    Reply,
    /// The message names the addressee (`@name`), who is not its parent's author.
    Mention,
    /// The message answers a message of the addressee by inference (chat without threads).
    InferredReply,
}

/// One directed edge author → addressee, derived from one message. Indices are snapshot
/// positions (message, persons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interaction {
    pub message: u32,
    pub from: u32,
    pub to: u32,
    pub kind: InteractionKind,
    pub class: InteractionClass,
}

/// The class of a directed interaction author → addressee. Every interaction has exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InteractionClass {
    MemberToMember,
    MemberToBrand,
    BrandToMember,
    BrandToBrand,
    /// A person answering themselves.
    SelfReply,
    /// Either side is a bot.
    Bot,
}

impl InteractionClass {
    /// Classify an interaction between two people. Self comes first (a bot answering itself is
    /// a self-reply), then bots, then the four role pairs.
    pub fn classify(from: (i64, Role), to: (i64, Role)) -> InteractionClass {
        if from.0 == to.0 {
            return InteractionClass::SelfReply;
        }
        match (from.1, to.1) {
            (Role::Bot, _) | (_, Role::Bot) => InteractionClass::Bot,
            (Role::Member, Role::Member) => InteractionClass::MemberToMember,
            (Role::Member, Role::Brand) => InteractionClass::MemberToBrand,
            (Role::Brand, Role::Member) => InteractionClass::BrandToMember,
            (Role::Brand, Role::Brand) => InteractionClass::BrandToBrand,
        }
    }

    /// True for the four classes between distinct non-bot people (the peer-share denominator).
    pub fn is_between_people(self) -> bool {
        !matches!(self, InteractionClass::SelfReply | InteractionClass::Bot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_covers_every_pair() {
        use InteractionClass as C;
        use Role::*;
        assert_eq!(C::classify((1, Member), (1, Member)), C::SelfReply);
        assert_eq!(C::classify((1, Bot), (1, Bot)), C::SelfReply);
        assert_eq!(C::classify((1, Bot), (2, Member)), C::Bot);
        assert_eq!(C::classify((1, Brand), (2, Bot)), C::Bot);
        assert_eq!(C::classify((1, Member), (2, Member)), C::MemberToMember);
        assert_eq!(C::classify((1, Member), (2, Brand)), C::MemberToBrand);
        assert_eq!(C::classify((1, Brand), (2, Member)), C::BrandToMember);
        assert_eq!(C::classify((1, Brand), (2, Brand)), C::BrandToBrand);
        assert!(C::MemberToBrand.is_between_people());
        assert!(!C::Bot.is_between_people());
    }
}
