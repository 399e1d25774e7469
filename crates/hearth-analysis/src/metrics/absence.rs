//! **Answerer absence factor**: how few people carry the answering?
//!
//! An *answer* is a reply (explicit or inferred) in the window from one person to another
//! (not a self-reply, no bot on either side). Rank people by answers given, most first
//! (ties by person order).
//!
//! - `absence_factor`: the fewest people who together give more than half of all answers
//!   (CHAOSS's "contributor absence factor", applied to answers instead of commits). 1 or 2
//!   means the community goes quiet if one or two people are away.
//! - `top10_share`: answers by the 10 most answering people ÷ all answers.
//! - `brand_in_factor`: how many of the `absence_factor` people are brand.
//! - `answerers`: people who gave at least one answer.
//!
//! Example: answers 6, 3, 1 by three people: 6 > 10 / 2, so the factor is 1; top-10 share 1.

use crate::Context;
use hearth_model::{Interaction, InteractionKind, Role};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Absence {
    pub answers: u64,
    pub answerers: u64,
    pub absence_factor: Option<u64>,
    pub top10_share: Option<f64>,
    pub brand_in_factor: u64,
}

/// True for a reply (explicit or inferred) between two distinct non-bot people.
pub fn is_answer(it: &Interaction) -> bool {
    matches!(
        it.kind,
        InteractionKind::Reply | InteractionKind::InferredReply
    ) && it.class.is_between_people()
}

/// Answers given per person, most first (ties by person index).
pub fn answer_counts(cx: &Context<'_>) -> Vec<(u32, u64)> {
    // Counted in an array by person: one add an answer, no hashing.
    let mut by: Vec<u64> = vec![0; cx.snapshot.persons.len()];
    for it in cx.interactions().iter().filter(|it| is_answer(it)) {
        if let Some(n) = by.get_mut(it.from as usize) {
            *n += 1;
        }
    }
    let mut ranked: Vec<(u32, u64)> = by
        .into_iter()
        .enumerate()
        .filter(|&(_, n)| n > 0)
        .map(|(p, n)| (p as u32, n))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
}

pub fn absence(cx: &Context<'_>) -> Absence {
    absence_of(cx, &answer_counts(cx))
}

/// [`absence`] of the [`answer_counts`] of this context.
pub fn absence_of(cx: &Context<'_>, ranked: &[(u32, u64)]) -> Absence {
    let total: u64 = ranked.iter().map(|r| r.1).sum();
    let mut out = Absence {
        answers: total,
        answerers: ranked.len() as u64,
        ..Absence::default()
    };
    if total == 0 {
        return out;
    }
    let mut sum = 0;
    for (k, (p, n)) in ranked.iter().enumerate() {
        sum += n;
        if cx.role(*p) == Role::Brand {
            out.brand_in_factor += 1;
        }
        if 2 * sum > total {
            out.absence_factor = Some(k as u64 + 1);
            break;
        }
    }
    out.top10_share = Some(ranked.iter().take(10).map(|r| r.1).sum::<u64>() as f64 / total as f64);
    out
}
