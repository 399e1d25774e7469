//! **Text measures**, computed once per message while its text is in memory (at ingest) and
//! stored: the sentiment (compound and label), the intent — as a thread's first message and
//! as a reply, since reply inference may give a chat message its parent later — which of
//! the `[brand] names` and competitors it names, whether it uses a welcome phrase (the role
//! audit's welcomes), and its theme terms (the words the themes metric counts; stored as ids
//! into a vocabulary by `hearth-store`).
//!
//! Each stored measure records what computed it: [`LEXICON`] (the sentiment lexicon and the
//! intent rules; bumped when either changes) and the [`Names::key`] of the names looked for.
//! When `hearth.toml` changes the names, or a new Hearth changes the lexicon, the measures
//! that depend on it are computed again from the stored text, once; until then, and for a
//! store in the middle of an ingest, every measure falls back to reading the text.
//!
//! The measures are the same functions the text-reading paths call ([`sentiment::score`],
//! [`intent::classify`], the mention rule of `social/mentions.rs`), so both give the same
//! numbers (`tests/measures.rs` in the CLI compares them on usrp-users).

use super::{intent, sentiment, themes};
use crate::route::{untagged, words};
use hearth_model::{BrandRules, Measured, TextMeasure};

/// The version of the sentiment lexicon and intent rules the stored measures come from.
/// 2: the welcome flag and the theme terms are stored too.
pub const LEXICON: i64 = 2;

/// The name groups mentions look for: the brand's names first, then each competitor's (in
/// `hearth.toml`'s order of competitors, sorted by name). At most 64 groups are measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    pub groups: Vec<(String, bool, Vec<Vec<String>>)>,
}

impl Names {
    pub fn new(brand: &BrandRules) -> Self {
        let mut groups = Vec::new();
        let brand_name = brand
            .names
            .first()
            .cloned()
            .unwrap_or_else(|| "brand".into());
        groups.push((
            brand_name,
            true,
            brand
                .names
                .iter()
                .map(|n| words(n))
                .filter(|w| !w.is_empty())
                .collect(),
        ));
        for (name, list) in &brand.competitors {
            let mut ws: Vec<Vec<String>> = list
                .iter()
                .map(|n| words(n))
                .filter(|w| !w.is_empty())
                .collect();
            if ws.is_empty() {
                ws.push(words(name));
            }
            groups.push((name.clone(), false, ws));
        }
        groups.truncate(64);
        Names { groups }
    }

    /// A stable fingerprint of the word lists (FNV-1a), stored with each measure.
    pub fn key(&self) -> i64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |b: &[u8]| {
            for x in b {
                h ^= u64::from(*x);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        };
        for (name, brand, lists) in &self.groups {
            eat(name.as_bytes());
            eat(&[u8::from(*brand), 0xff]);
            for l in lists {
                for w in l {
                    eat(w.as_bytes());
                    eat(&[0xfe]);
                }
                eat(&[0xfd]);
            }
            eat(&[0xfc]);
        }
        (h >> 1) as i64
    }

    /// Which groups a message names: bit k for group k (subject without mailing-list tags,
    /// and the own words of the body).
    pub fn hits(&self, subject: &str, body: &str) -> u64 {
        self.hits_own(subject, &sentiment::own_words(body))
    }

    /// The same from the body's own words.
    pub fn hits_own(&self, subject: &str, own: &str) -> u64 {
        let norm = intent::normalized(own);
        self.hits_tokens(subject, &intent::tokens(&norm))
    }

    /// The same from the tokens of the body's own words ([`intent::tokens`]: the words
    /// `route::words` gives, as slices).
    pub fn hits_tokens(&self, subject: &str, own: &[&str]) -> u64 {
        if self.groups.iter().all(|g| g.2.is_empty()) {
            return 0;
        }
        let subject = intent::normalized(&untagged(subject));
        let mut w: Vec<&str> = intent::tokens(&subject);
        w.extend_from_slice(own);
        let mut mask = 0u64;
        for (k, (_, _, lists)) in self.groups.iter().enumerate() {
            let named = lists.iter().any(|n| {
                !n.is_empty()
                    && w.windows(n.len())
                        .any(|x| x.iter().zip(n).all(|(a, b)| a == b))
            });
            if named {
                mask |= 1 << k;
            }
        }
        mask
    }
}

/// The label as stored: -1 negative, 0 neutral, 1 positive.
pub fn label_code(label: &str) -> i8 {
    match label {
        "negative" => -1,
        "positive" => 1,
        _ => 0,
    }
}

pub fn label_name(code: i8) -> &'static str {
    match code {
        -1 => "negative",
        1 => "positive",
        _ => "neutral",
    }
}

/// Every measure of one message, and its theme terms.
pub fn measure(subject: &str, body: &str, names: &Names) -> Measured {
    let own = sentiment::own_words(body);
    // Lowercased once for the scorer, the intent's words, the welcome and the theme terms.
    let lower = own.to_lowercase();
    let s = sentiment::score_lower(&lower);
    let norm = intent::normalized_lower(&lower);
    let tokens = intent::tokens(&norm);
    let f = intent::features_of(&own, &tokens);
    let measure = TextMeasure {
        compound: s.compound,
        label: label_code(s.label),
        intent_root: intent_code(intent::decide(&f, true).intent),
        intent_reply: intent_code(intent::decide(&f, false).intent),
        names: names.hits_tokens(subject, &tokens),
        welcome: crate::audit::welcomes(&lower),
    };
    Measured {
        measure,
        terms: themes::subject_and_lower_body_words(subject, &lower),
    }
}

/// The code an intent is stored as (its index in [`intent::Intent::ALL`]; [`intent_of`]
/// reads it back).
fn intent_code(i: intent::Intent) -> u8 {
    intent::Intent::ALL
        .iter()
        .position(|x| *x == i)
        .unwrap_or(6) as u8
}

/// The intent stored as `code` (an index into [`intent::Intent::ALL`]).
pub fn intent_of(code: u8) -> intent::Intent {
    intent::Intent::ALL
        .get(code as usize)
        .copied()
        .unwrap_or(intent::Intent::Other)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`measure`] as first written: each measure lowercases the own words itself, and the
    /// theme terms lowercase the subject and body together.
    fn measure_by_parts(subject: &str, body: &str, names: &Names) -> Measured {
        let own = sentiment::own_words(body);
        let s = sentiment::score_own(&own);
        let norm = intent::normalized(&own);
        let tokens = intent::tokens(&norm);
        let f = intent::features_of(&own, &tokens);
        let mut whole = String::new();
        if !sentiment::own_words_to(subject, &mut whole) {
            whole.push('\n');
            whole.push_str(&own);
        }
        Measured {
            measure: TextMeasure {
                compound: s.compound,
                label: label_code(s.label),
                intent_root: intent_code(intent::decide(&f, true).intent),
                intent_reply: intent_code(intent::decide(&f, false).intent),
                names: names.hits_tokens(subject, &tokens),
                welcome: crate::audit::welcomes(&own.to_lowercase()),
            },
            terms: themes::message_words_in_order(&whole),
        }
    }

    #[test]
    fn lowercasing_once_measures_every_message_as_before() {
        let names = Names::new(&BrandRules {
            names: ["Ettus", "USRP", "UHD", "RFNoC"].map(String::from).to_vec(),
            ..BrandRules::default()
        });
        let text = crate::test_text::usrp_users_2019();
        let mut mails: Vec<(String, String)> = text
            .split("\nFrom ")
            .map(|mail| {
                let (head, body) = mail.split_once("\n\n").unwrap_or((mail, ""));
                let subject = head
                    .lines()
                    .find_map(|l| l.strip_prefix("Subject: "))
                    .unwrap_or("");
                (subject.to_owned(), body.to_owned())
            })
            .collect();
        // Typographic apostrophes, Greek final sigma at a line's end, a subject that ends
        // the own words, words in capitals.
        mails.push(("ΟΔΟΣ".into(), "Ο ΔΡΟΜΟΣ\nIt’s GREAT, thanks!".into()));
        mails.push((
            "Bob wrote:".into(),
            "Welcome to the list, USRP friends".into(),
        ));
        assert!(mails.len() > 1_000, "{}", mails.len());
        for (subject, body) in &mails {
            assert_eq!(
                measure(subject, body, &names),
                measure_by_parts(subject, body, &names),
                "{subject:?}"
            );
        }
    }
}
