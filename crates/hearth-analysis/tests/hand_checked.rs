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

fn context_of<'s>(
    s: &'s Snapshot,
    prepared: &'s hearth_analysis::Prepared,
    window: Window,
) -> hearth_analysis::Context<'s> {
    hearth_analysis::Context::new(s, prepared, window, None)
}

/// Newcomers, helpers, lapsed members, introductions and the absence factor on a small
/// community whose every number is worked out in the comments.
#[test]
fn people_lists_by_hand() {
    use hearth_analysis::metrics::{absence, helpers, introductions, lapsed, newcomers};
    const D: i64 = 24; // hours in a day
    // ann asks (0); bob answers (1); staff answers too (2); cy asks (3), nobody answers;
    // di asks (4), staff answers (5); bob and cy both write in ann's thread and in di's
    // (6, 7, 8, 9) but never address each other; ann writes again on day 10 (10).
    // bob then writes every 2 days up to day 20 (11..=16) and goes silent.
    let msgs: Vec<(usize, Option<usize>, i64, &[usize])> = vec![
        (1, None, 0, &[]),            // 0 ann asks
        (2, Some(0), 1, &[]),         // 1 bob → ann
        (0, Some(0), 5, &[]),         // 2 staff → ann
        (3, None, 2 * D, &[]),        // 3 cy asks, unanswered
        (4, None, 3 * D, &[]),        // 4 di asks
        (0, Some(4), 3 * D + 2, &[]), // 5 staff → di
        (2, Some(2), 3 * D + 3, &[]), // 6 bob → staff (ann's thread)
        (3, Some(1), 3 * D + 4, &[]), // 7 cy → bob (answers bob's first message)
        (2, Some(5), 3 * D + 5, &[]), // 8 bob → staff (di's thread)
        (3, Some(5), 3 * D + 6, &[]), // 9 cy → staff (di's thread)
        (1, None, 10 * D, &[]),       // 10 ann again
        (2, None, 12 * D, &[]),       // 11.. bob every 2 days
        (2, None, 14 * D, &[]),
        (2, None, 16 * D, &[]),
        (2, None, 18 * D, &[]),
        (2, None, 20 * D, &[]),
        (4, None, 90 * D, &[]), // 16 di, much later (sets the as-of moment)
    ];
    let s = snapshot(PEOPLE, &msgs);
    let prepared = hearth_analysis::Prepared::new(&s, &config());
    let cx = context_of(&s, &prepared, Window::default());

    // Newcomers: ann (answered by bob, a member, after 1 h; back on day 10), bob (his first
    // message, an answer to ann, is answered by cy's message 7: a member), cy (unanswered;
    // came back the next day with message 7), di (answered by staff after 2 h; back only on
    // day 90: not within 30 days).
    let n = newcomers::newcomers(&cx);
    assert_eq!(n.newcomers, 4);
    assert_eq!(
        (n.answered_by_member, n.answered_by_brand, n.unanswered),
        (2, 1, 1)
    );
    assert_eq!(n.came_back, 3); // ann, bob, cy
    assert_eq!(n.came_back_rate_answered_by_brand, Some(0.0)); // di
    assert_eq!(n.came_back_rate_unanswered, Some(1.0)); // cy
    assert_eq!(n.waiting.len(), 1);
    assert_eq!(n.waiting[0].person, 3);

    // Answers between people: bob 3 (1, 6, 8), staff 2 (2, 5), cy 2 (7, 9). 7 in all:
    // bob alone is not more than half (3 ≤ 3.5); bob + staff is → factor 2.
    let a = absence::absence(&cx);
    assert_eq!((a.answers, a.answerers, a.absence_factor), (7, 3, Some(2)));
    assert_eq!(a.brand_in_factor, 1);

    // Helpers (members only): bob helped ann and staff (2 people, 3 answers); cy helped bob
    // and staff (2 people, 2 answers): bob first.
    let h = helpers::helpers(&cx, 10);
    assert_eq!(h.len(), 2);
    assert_eq!((h[0].person, h[0].people_helped, h[0].answers), (2, 2, 3));
    assert_eq!((h[1].person, h[1].people_helped, h[1].answers), (3, 2, 2));

    // Lapsed as of day 90 + 1 s: bob wrote on days 0, 3, 12, 14, 16, 18, 20 (7 days, gaps
    // 3, 9, 2, 2, 2, 2: median 2), silent 70 days ≥ max(4 × 2, 30): lapsed. ann has 2
    // messages (< 5), cy 3, di 2: not considered.
    let l = lapsed::lapsed(&cx, 10);
    assert_eq!(l.len(), 1);
    assert_eq!((l[0].person, l[0].messages), (2, 8));
    assert_eq!(l[0].usual_gap_days, 2.0);
    assert!(
        (l[0].silent_days - 70.0).abs() < 0.1,
        "{}",
        l[0].silent_days
    );
    // One person's entry, as a person page asks for it: the list's own entry, or none.
    assert_eq!(lapsed::lapsed_of(&cx, 2).as_ref(), Some(&l[0]));
    for nobody in [0, 1, 3, 4] {
        assert_eq!(lapsed::lapsed_of(&cx, nobody), None);
    }

    // Introductions: ann's thread has ann, bob, cy; di's thread has di, bob, cy. Pairs
    // sharing 2 threads: (bob, cy) — but cy answered bob (7), so they talked: no pair.
    // Nobody else shares two threads.
    assert!(introductions::introductions(&cx, 10).is_empty());
    // Without message 7, bob and cy share two threads and never talked: introduce them.
    let mut fewer = msgs.clone();
    fewer[7] = (3, Some(0), 3 * D + 4, &[]); // cy → ann instead
    let s2 = snapshot(PEOPLE, &fewer);
    let p2 = hearth_analysis::Prepared::new(&s2, &config());
    let intro = introductions::introductions(&context_of(&s2, &p2, Window::default()), 10);
    assert_eq!(intro.len(), 1);
    assert_eq!((intro[0].a, intro[0].b, intro[0].shared_threads), (2, 3, 2));
}

/// The activity example of docs/metrics.md: ann writes in January and March, bob in
/// February; staff writes every month but is not a member.
#[test]
fn activity_and_cohorts_by_hand() {
    use hearth_analysis::metrics::activity;
    // 2024-01-10, 2024-02-10, 2024-03-10 at noon UTC, as hours after the snapshot's base time.
    let base = 1_700_000_000;
    let hour = |t: i64| (t - base) / 3600;
    let (jan, feb, mar) = (1_704_888_000, 1_707_566_400, 1_710_072_000);
    let msgs: Vec<(usize, Option<usize>, i64, &[usize])> = vec![
        (1, None, hour(jan), &[]),
        (0, None, hour(jan), &[]),
        (2, None, hour(feb), &[]),
        (0, None, hour(feb), &[]),
        (1, None, hour(mar), &[]),
        (0, None, hour(mar), &[]),
    ];
    let s = snapshot(PEOPLE, &msgs);
    let prepared = hearth_analysis::Prepared::new(&s, &config());
    let a = activity::activity(&context_of(&s, &prepared, Window::default()));
    assert_eq!(a.active_members, 2);
    let rows: Vec<(&str, u64, u64, u64, u64)> = a
        .months
        .iter()
        .map(|m| (m.month.as_str(), m.active, m.new, m.returning, m.churned))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("2024-01", 1, 1, 0, 0),
            ("2024-02", 1, 1, 0, 1), // ann churned, bob new
            ("2024-03", 1, 0, 1, 1), // ann returning, bob churned
        ]
    );
    assert_eq!(a.months[1].churn_rate, Some(1.0));
    // Cohorts: January = {ann}: active in months +0 and +2; February = {bob}: +0 only.
    assert_eq!(a.cohorts[0].retention, vec![1.0, 0.0, 1.0]);
    assert_eq!(a.cohorts[1].retention, vec![1.0, 0.0]);
    // Means over the span's 60 days (Jan 10 … Mar 10) and 3 months: 3 member-days ÷ 61
    // days; MAU (1 + 1 + 1) ÷ 3 = 1.
    assert_eq!(a.mean_monthly_active, Some(1.0));
    let dau = a.mean_daily_active.unwrap_or_default();
    assert!((dau - 3.0 / 61.0).abs() < 1e-12, "{dau}");
    assert_eq!(a.stickiness, a.mean_daily_active);
}

/// A thread made to show each activity of the role audit once (see the comments), with the
/// texts of the brand messages that name or welcome someone.
fn audit_scenario() -> (Snapshot, std::collections::HashMap<u32, String>) {
    let mut people: Vec<PersonInfo> = PEOPLE
        .iter()
        .enumerate()
        .map(|(i, e)| person(i, e))
        .collect();
    people[3].display_name = "Cy Young".into();
    people[4].display_name = "Di Prince".into();
    let messages: &[(usize, Option<usize>, i64, &[usize])] = &[
        (0, None, 0, &[]),      // 0 staff: announcement, nobody answers → broadcasting
        (1, None, 10, &[]),     // 1 ann asks
        (0, Some(1), 11, &[]),  // 2 staff answers ann; nobody joins → answering
        (2, None, 20, &[]),     // 3 bob asks
        (0, Some(3), 21, &[]),  // 4 staff answers bob …
        (2, Some(4), 22, &[]),  // 5 bob replies to staff
        (1, Some(5), 23, &[]),  // 6 … ann (new to the thread) answers bob → 4 facilitating
        (3, None, 30, &[]),     // 7 cy's first message
        (0, Some(7), 31, &[]),  // 8 staff: "welcome to the list" → cy then talks with ann
        (1, Some(7), 40, &[]),  // 9 ann answers cy (after the welcome)
        (4, None, 50, &[]),     // 10 di asks
        (0, Some(10), 51, &[]), // 11 staff names Cy Young to di → they talk
        (3, Some(10), 60, &[]), // 12 cy answers di
        (0, Some(0), 70, &[]),  // 13 staff continues its own announcement → broadcasting
    ];
    let mut s = snapshot(PEOPLE, messages);
    s.persons = std::mem::take(&mut people);
    let texts = [
        (
            8,
            "Hi Cy, welcome to the list! What are you building?".to_owned(),
        ),
        (
            11,
            "Di, you should talk to Cy Young, who built the same thing last year.".to_owned(),
        ),
    ]
    .into_iter()
    .collect();
    (s, texts)
}

/// The role audit on [`audit_scenario`], with the reason for each activity.
#[test]
fn role_audit_tells_broadcasting_answering_and_facilitating_apart() {
    use hearth_analysis::audit::{Activity, Reason, audit};
    let (s, texts) = audit_scenario();
    let prepared = hearth_analysis::Prepared::new(&s, &config());
    let cx = hearth_analysis::Context::new(&s, &prepared, Window::default(), None);
    let result = audit(&cx, &texts, false);
    assert_eq!(result.people.len(), 1);
    let staff = &result.people[0];
    let got: Vec<(u32, Activity)> = staff
        .messages
        .iter()
        .map(|c| (c.message, c.activity))
        .collect();
    use Activity::*;
    assert_eq!(
        got,
        vec![
            (0, Broadcasting),
            (2, Answering),
            (4, Facilitating),
            (8, Facilitating),
            (11, Facilitating),
            (13, Broadcasting),
        ]
    );
    let reasons: Vec<&Reason> = staff.messages.iter().map(|c| &c.reason).collect();
    assert_eq!(
        *reasons[2],
        Reason::MembersJoined {
            joined: vec![1],
            message: 6
        }
    );
    assert_eq!(
        *reasons[3],
        Reason::Welcome {
            newcomer: 3,
            message: 9
        }
    );
    assert_eq!(
        *reasons[4],
        Reason::Introduction {
            members: vec![3, 4],
            a: 3,
            b: 4,
            message: 12
        }
    );
    assert_eq!(staff.split.messages(), 6);
    assert_eq!(staff.split.share(Facilitating), 0.5);
    // Six messages are too few for a verdict; the same split at 20+ messages would be one.
    assert_eq!(
        staff.split.verdict(),
        hearth_analysis::audit::Verdict::TooFewMessages
    );
}

/// An earlier end leaves out what followed it: the member who joined a thread, the newcomer
/// who talked after a welcome, the introduced pair who talked, and a namesake who came later
/// (whose name, shared, names no one). The index of the whole space, cut at each end,
/// classifies as an index built for that end.
#[test]
fn role_audit_at_an_earlier_end_leaves_out_what_followed() {
    use Activity::{Answering, Facilitating};
    use hearth_analysis::audit::{Activity, Index, classify_all, classify_with};
    let (mut s, texts) = audit_scenario();
    // 14: a second "Cy Young" (another address) writes for the first time, after everything.
    let mut namesake = person(6, "cy@other.example");
    namesake.display_name = "Cy Young".into();
    s.persons.push(namesake);
    let m = &mut s.messages;
    m.id.push(15);
    m.time.push(1_700_000_000 + 80 * 3600);
    m.author.push(6);
    m.parent.push(NO_PARENT);
    m.space.push(0);
    m.mention_start.push(m.mention_person.len() as u32);
    let prepared = hearth_analysis::Prepared::new(&s, &config());
    let whole = hearth_analysis::Context::new(&s, &prepared, Window::default(), None);
    let index = Index::new(&whole, &texts, false);
    let hour = |h: i64| 1_700_000_000 + h * 3600;
    let (f, a) = (Some(Facilitating), Some(Answering));
    for (end, expected) in [
        // At the end of the data "Cy Young" names two members, so 11 introduces no one.
        (None, [f, f, a]),
        // Before the namesake came, the name was Cy's alone.
        (Some(75), [f, f, f]),
        // Cy had not answered Di yet.
        (Some(55), [f, f, a]),
        // Cy had not talked with a member after the welcome (11 is after the end).
        (Some(35), [f, a, None]),
        // Ann joined bob's thread at hour 23 exactly: an end is exclusive.
        (Some(23), [a, None, None]),
    ] {
        let window = Window {
            since: None,
            until: end.map(hour),
        };
        let cx = hearth_analysis::Context::new(&s, &prepared, window, None);
        let direct = classify_all(&cx, &texts, false);
        let kept = classify_with(&cx, &index).expect("the whole space's index covers every end");
        assert_eq!(kept, direct, "end {end:?}");
        let class = |i: u32| direct.iter().find(|c| c.message == i).map(|c| c.activity);
        let got: Vec<Option<Activity>> = [4, 8, 11].iter().map(|&i| class(i)).collect();
        assert_eq!(got, expected, "messages 4, 8, 11 at end {end:?}");
    }
    // An index answers no window starting before its own, nor another space.
    let later = hearth_analysis::Context::new(
        &s,
        &prepared,
        Window {
            since: Some(hour(30)),
            until: None,
        },
        None,
    );
    let from_later = Index::new(&later, &texts, false);
    assert!(classify_with(&whole, &from_later).is_none());
    assert!(classify_with(&later, &index).is_some());
}

/// A window's end takes the class of a brand message from the whole space's classes once it
/// has settled, and classifies it again while what decides it could still change: the 90
/// days in which an introduced pair may talk, and a namesake's first message (after which a
/// shared name names no one). Each end's classes equal an index built for that end.
#[test]
fn role_audit_takes_a_settled_class_from_the_whole_space() {
    use Activity::{Answering, Broadcasting, Facilitating};
    use hearth_analysis::audit::{
        Activity, Index, Whole, classify_all, classify_cut, classify_with, summarize, tally_cut,
    };
    let day = |d: i64| d * 24;
    let messages: &[(usize, Option<usize>, i64, &[usize])] = &[
        (1, None, day(0), &[]),      // 0 ann's first message
        (2, None, day(1), &[]),      // 1 bob's first message
        (0, None, day(2), &[1, 2]),  // 2 staff names ann and bob, who never talked
        (1, Some(1), day(60), &[]),  // 3 … ann answers bob 58 days later
        (3, None, day(95), &[]),     // 4 cy's first message
        (4, None, day(96), &[]),     // 5 di asks
        (0, Some(5), day(100), &[]), // 6 staff: "Di, talk to Cy Young"
        (3, Some(5), day(105), &[]), // 7 cy answers di
        (6, None, day(300), &[]),    // 8 a second "Cy Young" writes for the first time
    ];
    let mut people: Vec<&str> = PEOPLE.to_vec();
    people.push("cy@other.example");
    let mut s = snapshot(&people, messages);
    for p in [3, 6] {
        s.persons[p].display_name = "Cy Young".into();
    }
    s.persons[4].display_name = "Di Prince".into();
    let texts: std::collections::HashMap<u32, String> =
        [(6, "Di, you should talk to Cy Young.".to_owned())].into();
    let prepared = hearth_analysis::Prepared::new(&s, &config());
    let whole_cx = hearth_analysis::Context::new(&s, &prepared, Window::default(), None);
    let index = Index::new(&whole_cx, &texts, false);
    let whole = classify_with(&whole_cx, &index).expect("its own scope");
    let whole = Whole::new(&whole_cx, &index, whole);
    let hour = |h: i64| 1_700_000_000 + h * 3600;
    let (b, f, a) = (Some(Broadcasting), Some(Facilitating), Some(Answering));
    for (end, expected) in [
        // Ann and bob had not talked yet: 2 starts a thread, nothing more.
        (Some(day(30)), [b, None]),
        (Some(day(70)), [f, None]),
        (Some(day(150)), [f, f]),
        // Past 6's 90 days, before the namesake: "Cy Young" is cy.
        (Some(day(250)), [f, f]),
        // After it the name names no one: 6 answers di.
        (None, [f, a]),
    ] {
        let window = Window {
            since: None,
            until: end.map(hour),
        };
        let cx = hearth_analysis::Context::new(&s, &prepared, window, None);
        let direct = classify_all(&cx, &texts, false);
        let cut = classify_cut(&cx, &index, Some(&whole)).expect("covers every end");
        assert_eq!(cut, direct, "end {end:?}");
        // The counts alone, cut the same way, are the summary's without its messages.
        let mut counted = summarize(&cx, direct.clone());
        for p in &mut counted.people {
            p.messages.clear();
        }
        let tallied = tally_cut(&cx, &index, Some(&whole)).expect("covers every end");
        assert_eq!(tallied, counted, "end {end:?}");
        let class = |i: u32| direct.iter().find(|c| c.message == i).map(|c| c.activity);
        assert_eq!(
            [class(2), class(6)],
            expected,
            "messages 2 and 6 at end {end:?}"
        );
    }
}
