//! Metrics on small communities whose numbers can be checked by hand: a star (the brand
//! answers everyone), a mesh (members answer each other), mentions, bots and windows.

use hearth_analysis::{Window, report};
use hearth_model::{
    AccountId, AccountInfo, Config, MessageColumns, NO_PARENT, PersonId, PersonInfo, RoleRules,
    Snapshot, SpaceId, SpaceInfo,
};

/// People are named by e-mail; `brand.example` is the brand's domain, `bot@…` a bot.
fn person(i: usize, email: &str) -> PersonInfo {
    PersonInfo {
        id: PersonId(i as i64 + 1),
        display_name: email.to_owned(),
        accounts: vec![AccountInfo {
            id: AccountId(i as i64 + 1),
            source: "test".into(),
            native_id: email.to_owned(),
            display_name: None,
            email: Some(email.to_owned()),
            username: None,
            flags: Vec::new(),
        }],
        evidence: Vec::new(),
    }
}

fn config() -> Config {
    Config {
        roles: RoleRules {
            brand_email_domains: vec!["brand.example".into()],
            bot_accounts: vec!["bot@example.org".into()],
            ..RoleRules::default()
        },
        ..Config::default()
    }
}

/// Messages as (author, parent index or None, hour, mentioned authors).
fn snapshot(people: &[&str], messages: &[(usize, Option<usize>, i64, &[usize])]) -> Snapshot {
    let mut m = MessageColumns::default();
    let mut start = vec![0u32];
    for (i, (author, parent, hour, mentions)) in messages.iter().enumerate() {
        m.id.push(i as i64 + 1);
        m.time.push(1_700_000_000 + hour * 3600);
        m.author.push(*author as u32);
        m.parent.push(parent.map_or(NO_PARENT, |p| p as u32));
        m.space.push(0);
        m.mention_person.extend(mentions.iter().map(|p| *p as u32));
        start.push(m.mention_person.len() as u32);
    }
    m.mention_start = start;
    Snapshot {
        messages: m,
        persons: people
            .iter()
            .enumerate()
            .map(|(i, e)| person(i, e))
            .collect(),
        spaces: vec![SpaceInfo {
            id: SpaceId(1),
            source: "test".into(),
            native_id: "s".into(),
            name: "s".into(),
        }],
        identity_actions: Vec::new(),
    }
}

const PEOPLE: &[&str] = &[
    "staff@brand.example", // 0 brand
    "ann@example.org",     // 1
    "bob@example.org",     // 2
    "cy@example.org",      // 3
    "di@example.org",      // 4
    "bot@example.org",     // 5 bot
];

#[test]
fn a_star_is_an_audience_that_falls_apart_without_the_brand() {
    // Four members ask; the brand answers each one after 2 hours.
    let s = snapshot(
        PEOPLE,
        &[
            (1, None, 0, &[]),
            (2, None, 0, &[]),
            (3, None, 0, &[]),
            (4, None, 0, &[]),
            (0, Some(0), 2, &[]),
            (0, Some(1), 2, &[]),
            (0, Some(2), 2, &[]),
            (0, Some(3), 2, &[]),
        ],
    );
    let r = report(&s, &config(), Window::default());
    assert_eq!(r.interactions.brand_to_member, 4);
    assert_eq!(r.community.peer_share, Some(0.0));
    assert_eq!(r.community.verdict, "audience");
    let f = &r.community.first_response;
    assert_eq!(
        (f.member_threads, f.first_by_brand, f.unanswered),
        (4, 4, 0)
    );
    assert_eq!(f.median_hours_brand, Some(2.0));
    assert_eq!(f.brand_dependence, Some(1.0));
    let res = &r.community.resilience;
    assert_eq!(res.active_members, 4);
    assert_eq!(res.members_in_largest_component_with_brand, Some(1.0));
    assert_eq!(res.members_in_largest_component_without_brand, Some(0.25));
    assert_eq!(res.isolated_without_brand, 4);
}

#[test]
fn a_mesh_is_a_community_that_holds_without_the_brand() {
    // Ann asks, Bob answers in 1 h, Cy answers Bob, Di answers Cy, Ann thanks Di;
    // the brand adds one reply to Ann's question at hour 5.
    let s = snapshot(
        PEOPLE,
        &[
            (1, None, 0, &[]),
            (2, Some(0), 1, &[]),
            (3, Some(1), 2, &[]),
            (4, Some(2), 3, &[]),
            (1, Some(3), 4, &[]),
            (0, Some(0), 5, &[]),
        ],
    );
    let r = report(&s, &config(), Window::default());
    assert_eq!(r.interactions.member_to_member, 4);
    assert_eq!(r.interactions.brand_to_member, 1);
    assert_eq!(r.community.peer_share, Some(0.8));
    assert_eq!(r.community.verdict, "community");
    let f = &r.community.first_response;
    assert_eq!(
        (f.member_threads, f.first_by_member, f.first_by_brand),
        (1, 1, 0)
    );
    assert_eq!(f.median_hours_member, Some(1.0));
    assert_eq!(f.brand_dependence, Some(0.0));
    let res = &r.community.resilience;
    assert_eq!(res.members_in_largest_component_without_brand, Some(1.0));
    assert_eq!(res.isolated_without_brand, 0);
    assert_eq!(r.counts.threads, 1);
}

#[test]
fn mentions_bots_and_self_replies_are_classed() {
    let s = snapshot(
        PEOPLE,
        &[
            // Ann asks and mentions Bob and the brand.
            (1, None, 0, &[2, 0]),
            // Bob replies to Ann and also mentions her: one interaction, not two.
            (2, Some(0), 1, &[1]),
            // Ann answers herself.
            (1, Some(0), 2, &[]),
            // The bot answers Ann first; bots never count as a response.
            (5, Some(0), 0, &[]),
        ],
    );
    let r = report(&s, &config(), Window::default());
    let i = &r.interactions;
    assert_eq!((i.replies, i.mentions, i.total), (3, 2, 5));
    assert_eq!(i.member_to_member, 2); // Ann→Bob (mention), Bob→Ann (reply)
    assert_eq!(i.member_to_brand, 1); // Ann→brand (mention)
    assert_eq!(i.self_replies, 1);
    assert_eq!(i.bot, 1);
    assert_eq!(r.counts.bots, 1);
    let f = &r.community.first_response;
    assert_eq!(f.first_by_member, 1);
    assert_eq!(f.median_hours_member, Some(1.0));
}

#[test]
fn the_window_takes_replies_inside_it_and_responses_before_its_end() {
    let s = snapshot(
        PEOPLE,
        &[
            (1, None, 0, &[]),     // before the window
            (2, Some(0), 10, &[]), // inside: counts as an interaction
            (3, None, 11, &[]),    // inside: a member thread...
            (0, Some(2), 30, &[]), // ...answered after the window's end
        ],
    );
    let hour = |h: i64| 1_700_000_000 + h * 3600;
    let w = Window {
        since: Some(hour(5)),
        until: Some(hour(20)),
    };
    let r = report(&s, &config(), w);
    assert_eq!(r.counts.messages, 2);
    assert_eq!(r.interactions.member_to_member, 1);
    let f = &r.community.first_response;
    assert_eq!((f.member_threads, f.unanswered), (1, 1));
    assert_eq!(r.counts.threads, 2);
}
