//! The compact, columnar view of the store that analysis runs on.
//!
//! Built by `hearth-store`, read by `hearth-analysis`. Messages are columns of plain integers
//! (about 24 bytes a message); people carry what role rules need.

use crate::{AccountId, PersonId, SpaceId};
use serde::{Deserialize, Serialize};

/// Marks a message without a resolved parent in [`MessageColumns::parent`].
pub const NO_PARENT: u32 = u32::MAX;

/// Messages as parallel columns, indexed by position (not by store id).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessageColumns {
    /// Store id of each message (for drill-down to its text).
    pub id: Vec<i64>,
    /// Seconds since the Unix epoch, UTC.
    pub time: Vec<i64>,
    /// Index into [`Snapshot::persons`].
    pub author: Vec<u32>,
    /// Index of the parent message, or [`NO_PARENT`].
    pub parent: Vec<u32>,
    /// Index into [`Snapshot::spaces`].
    pub space: Vec<u32>,
    /// Mentions as compressed rows: message `i` mentions the persons
    /// `mention_person[mention_start[i]..mention_start[i + 1]]`. Empty when no message has
    /// mentions (`mention_start` is then empty too).
    pub mention_start: Vec<u32>,
    pub mention_person: Vec<u32>,
    /// For a message whose parent was inferred (chat without threads), the inference's
    /// confidence in (0, 1]; 0.0 for explicit parents and no parent. Empty when no message
    /// has an inferred parent.
    pub inferred: Vec<f32>,
    /// *Orphan replies*: a message that declares a parent (mail `In-Reply-To`/`References`,
    /// a thread parent in chat and forums) which is not in the snapshot. For each orphan, the
    /// index of the first orphan (in snapshot order) of the same space that declares the
    /// same missing parent — itself for the first — so orphans of one missing parent share
    /// one thread; [`NO_PARENT`] for every other message. Empty when no message is an orphan.
    /// An orphan continues a thread whose start is elsewhere: it never starts one.
    pub orphan: Vec<u32>,
    /// Text measures stored at ingest (see `hearth_analysis::text::measures`), filled only
    /// when every message has them for `measure_key`; empty otherwise. The sentiment
    /// compound of each message;
    pub sentiment: Vec<f64>,
    /// its label + 1 (bits 0–1), intent as a thread start (bits 4–7) and as a reply
    /// (bits 8–11), and whether it uses a welcome phrase (bit 12);
    pub text_codes: Vec<u32>,
    /// and the name groups it names, for the messages that name any: (index, bit mask), in
    /// index order.
    pub names: Vec<(u32, u64)>,
    /// (lexicon version, names key) the measures were computed with; `None` when the
    /// snapshot carries none.
    pub measure_key: Option<(i64, i64)>,
}

/// The text measures of one message.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TextMeasure {
    pub compound: f64,
    /// -1 negative, 0 neutral, 1 positive.
    pub label: i8,
    /// Intent (an index into `hearth_analysis::text::intent::Intent::ALL`) if the message
    /// starts a thread, and if it is a reply.
    pub intent_root: u8,
    pub intent_reply: u8,
    /// Bit k: the message names name group k (the brand's names first, then competitors).
    pub names: u64,
    /// The message's own words use a welcome phrase (the role audit's welcomes).
    pub welcome: bool,
}

/// What the measuring of one message gives: its measures and its theme terms (the words the
/// themes metric counts, each once, sorted).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measured {
    pub measure: TextMeasure,
    pub terms: Vec<String>,
}

impl TextMeasure {
    /// Label, intents packed as in [`MessageColumns::text_codes`].
    pub fn codes(&self) -> u32 {
        (self.label + 1) as u32 & 0x3
            | (u32::from(self.intent_root) & 0xf) << 4
            | (u32::from(self.intent_reply) & 0xf) << 8
            | u32::from(self.welcome) << 12
    }
}

impl MessageColumns {
    pub fn len(&self) -> usize {
        self.time.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Confidence of message `i`'s inferred parent; `None` when its parent is explicit or
    /// it has none.
    pub fn inferred(&self, i: usize) -> Option<f32> {
        self.inferred.get(i).copied().filter(|c| *c > 0.0)
    }

    /// Whether message `i` is an orphan reply (its declared parent is not in the snapshot).
    pub fn is_orphan(&self, i: usize) -> bool {
        self.orphan.get(i).is_some_and(|g| *g != NO_PARENT)
    }

    /// For an orphan reply, the first orphan of its missing parent (see [`Self::orphan`]).
    pub fn orphan_group(&self, i: usize) -> Option<u32> {
        self.orphan.get(i).copied().filter(|g| *g != NO_PARENT)
    }

    /// Whether message `i` starts a thread: it has no parent and declares none (an orphan
    /// reply continues a thread that is not in the snapshot).
    pub fn starts_thread(&self, i: usize) -> bool {
        self.parent[i] == NO_PARENT && !self.is_orphan(i)
    }

    /// How many messages are orphan replies.
    pub fn orphan_count(&self) -> usize {
        self.orphan.iter().filter(|g| **g != NO_PARENT).count()
    }

    /// The stored text measures of message `i`, when the snapshot carries them.
    pub fn measure(&self, i: usize) -> Option<TextMeasure> {
        let names = self
            .names
            .binary_search_by_key(&(i as u32), |x| x.0)
            .map_or(0, |k| self.names[k].1);
        self.decode(i, names)
    }

    /// [`Self::measure`] without its names (`names` 0), for what reads the rest of it: no
    /// search of the names list.
    pub fn measure_unnamed(&self, i: usize) -> Option<TextMeasure> {
        self.decode(i, 0)
    }

    /// The stored sentiment of message `i` alone (compound, label −1/0/1): what
    /// [`Self::measure`] gives without looking up its names.
    pub fn sentiment_at(&self, i: usize) -> Option<(f64, i8)> {
        let (&compound, &codes) = (self.sentiment.get(i)?, self.text_codes.get(i)?);
        Some((compound, (codes & 0x3) as i8 - 1))
    }

    fn decode(&self, i: usize, names: u64) -> Option<TextMeasure> {
        let (&compound, &codes) = (self.sentiment.get(i)?, self.text_codes.get(i)?);
        Some(TextMeasure {
            compound,
            label: (codes & 0x3) as i8 - 1,
            intent_root: ((codes >> 4) & 0xf) as u8,
            intent_reply: ((codes >> 8) & 0xf) as u8,
            names,
            welcome: codes & (1 << 12) != 0,
        })
    }

    /// [`Self::measure`] of many messages, `ids` ascending: one walk along the names list
    /// instead of a search for each.
    pub fn measures_of(&self, ids: &[u32]) -> Vec<Option<TextMeasure>> {
        let mut j = 0;
        ids.iter()
            .map(|&i| {
                while j < self.names.len() && self.names[j].0 < i {
                    j += 1;
                }
                let names = match self.names.get(j) {
                    Some(&(at, mask)) if at == i => mask,
                    _ => 0,
                };
                self.decode(i as usize, names)
            })
            .collect()
    }

    /// The persons message `i` mentions (each once).
    pub fn mentions(&self, i: usize) -> &[u32] {
        match (self.mention_start.get(i), self.mention_start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.mention_person[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// One account of a person, with what role rules look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    pub id: AccountId,
    pub source: String,
    pub native_id: String,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub username: Option<String>,
    pub flags: Vec<String>,
}

/// A merge or split someone made by hand (`hearth people merge|split`), oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentityAction {
    Merge {
        a: AccountId,
        b: AccountId,
        note: String,
        at: i64,
    },
    Split {
        account: AccountId,
        note: String,
        at: i64,
    },
}

/// One person and their accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonInfo {
    pub id: PersonId,
    pub display_name: String,
    pub accounts: Vec<AccountInfo>,
    /// Why these accounts are one person (one line per merge); empty for a single account.
    pub evidence: Vec<String>,
}

/// One space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceInfo {
    pub id: SpaceId,
    pub source: String,
    pub native_id: String,
    pub name: String,
}

/// Everything analysis needs, in memory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub messages: MessageColumns,
    pub persons: Vec<PersonInfo>,
    pub spaces: Vec<SpaceInfo>,
    /// Merges and splits made by hand; applied with the rules by `hearth-analysis`.
    pub identity_actions: Vec<IdentityAction>,
}

#[cfg(test)]
mod tests {
    use super::MessageColumns;

    #[test]
    fn measures_of_many_messages_are_each_message_s_measure() {
        let m = MessageColumns {
            sentiment: vec![0.5, -0.2, 0.0, 0.9, 0.1],
            text_codes: vec![2, 0, 1 | (3 << 4), 2 | (1 << 12), 1],
            names: vec![(1, 0b01), (3, 0b11), (4, 0b10)],
            ..MessageColumns::default()
        };
        let all: Vec<u32> = (0..6).collect();
        let one_by_one: Vec<_> = all.iter().map(|&i| m.measure(i as usize)).collect();
        assert_eq!(m.measures_of(&all), one_by_one);
        assert_eq!(one_by_one[5], None, "a message without measures");
        assert_eq!(m.measures_of(&[1, 4]), vec![one_by_one[1], one_by_one[4]]);
        assert_eq!(
            one_by_one[3].map(|x| (x.names, x.welcome)),
            Some((0b11, true))
        );
        // The sentiment alone is the measure's, and so is the rest without names.
        for (i, x) in one_by_one.iter().enumerate() {
            assert_eq!(m.sentiment_at(i), x.map(|x| (x.compound, x.label)));
            let unnamed = x.map(|x| super::TextMeasure { names: 0, ..x });
            assert_eq!(m.measure_unnamed(i), unnamed);
        }
        assert_eq!(m.sentiment_at(1), Some((-0.2, -1)));
    }
}
