//! **Peer share**: how much of the talk between people is members talking with members.
//!
//! `peer_share = member→member ÷ (member→member + member→brand + brand→member + brand→brand)`
//!
//! Self-replies and anything involving a bot are left out of both sides. `None` when there
//! are no interactions between distinct non-bot people. Example: usrp-users with the vendor's
//! domains as brand, 5,349 ÷ (5,349 + 898 + 1,361 + 29) ≈ 0.70.

use super::interactions::Interactions;

pub fn peer_share(i: &Interactions) -> Option<f64> {
    let all = i.between_people();
    (all > 0).then(|| i.member_to_member as f64 / all as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_figures() {
        let i = Interactions {
            member_to_member: 5349,
            member_to_brand: 898,
            brand_to_member: 1361,
            brand_to_brand: 29,
            self_replies: 697,
            bot: 0,
            ..Interactions::default()
        };
        let p = peer_share(&i).unwrap_or_default();
        assert!((p - 0.70040591855).abs() < 1e-9, "{p}");
        assert_eq!(peer_share(&Interactions::default()), None);
    }
}
