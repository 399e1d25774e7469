//! The series is computed in one pass for all periods; each row must equal the measures of
//! that period computed on their own (a `Context` over the period's window), as the
//! definition in `metrics/series.rs` states. A seeded random community (replies, mentions,
//! a bot, orphan replies, messages out of time order) over weeks and months, with and without
//! a window.

use hearth_analysis::calendar::Period;
use hearth_analysis::metrics::{first_response, interactions, peer_share, series};
use hearth_analysis::{Context, Prepared, Window};
use hearth_model::{
    AccountId, AccountInfo, Config, MessageColumns, NO_PARENT, PersonId, PersonInfo, Role,
    RoleRules, Snapshot, SpaceId, SpaceInfo,
};

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn community() -> (Snapshot, Config) {
    let mut rng = Rng(7);
    let mut m = MessageColumns::default();
    let n = 4_000usize;
    let mut start = vec![0u32];
    let mut orphan = Vec::new();
    for i in 0..n {
        m.id.push(i as i64 + 1);
        // Mostly in order, sometimes a skewed clock.
        let jitter = rng.below(7_200) as i64 - 3_600;
        m.time.push(1_600_000_000 + i as i64 * 5_000 + jitter);
        m.author.push(rng.below(120) as u32);
        let r = rng.below(10);
        let parent = if i > 0 && r < 6 {
            (i as u64 - 1 - rng.below((i as u64).min(30))) as u32
        } else {
            NO_PARENT
        };
        m.parent.push(parent);
        // One message in twenty declares a parent that is not there.
        orphan.push(if parent == NO_PARENT && r == 9 {
            i as u32
        } else {
            NO_PARENT
        });
        m.space.push(0);
        if rng.below(15) == 0 {
            m.mention_person.push(rng.below(120) as u32);
        }
        start.push(m.mention_person.len() as u32);
    }
    m.mention_start = start;
    m.orphan = orphan;
    let persons = (0..120)
        .map(|k| PersonInfo {
            id: PersonId(k + 1),
            display_name: format!("p{k}"),
            accounts: vec![AccountInfo {
                id: AccountId(k + 1),
                source: "t".into(),
                native_id: format!("p{k}"),
                display_name: None,
                email: None,
                username: None,
                flags: Vec::new(),
            }],
            evidence: Vec::new(),
        })
        .collect();
    let config = Config {
        roles: RoleRules {
            brand_accounts: (0..6).map(|k| format!("p{k}")).collect(),
            bot_accounts: vec!["p119".into()],
            ..RoleRules::default()
        },
        ..Config::default()
    };
    let snapshot = Snapshot {
        messages: m,
        persons,
        spaces: vec![SpaceInfo {
            id: SpaceId(1),
            source: "t".into(),
            native_id: "s".into(),
            name: "s".into(),
        }],
        identity_actions: Vec::new(),
    };
    (snapshot, config)
}

#[test]
fn each_row_is_its_period_on_its_own() {
    let (snapshot, config) = community();
    let prepared = Prepared::new(&snapshot, &config);
    let windows = [
        Window::default(),
        Window {
            since: Some(1_600_000_000 + 3_000_000),
            until: Some(1_600_000_000 + 15_000_000),
        },
    ];
    for window in windows {
        for period in [Period::Week, Period::Month] {
            let rows = series::series(&snapshot, &prepared, window, None, period);
            assert!(rows.len() > 4, "{period:?}");
            for row in &rows {
                let k = period.index(row.since);
                let w = Window {
                    since: Some(period.start(k).max(window.since.unwrap_or(i64::MIN))),
                    until: Some(period.start(k + 1).min(window.until.unwrap_or(i64::MAX))),
                };
                let cx = Context::new(&snapshot, &prepared, w, None);
                let m = &snapshot.messages;
                let messages = cx.in_window().count() as u64;
                let mut active: Vec<u32> = cx
                    .in_window()
                    .map(|i| m.author[i])
                    .filter(|&a| cx.role(a) == Role::Member)
                    .collect();
                active.sort_unstable();
                active.dedup();
                let fr = first_response::first_response(&cx);
                let answered = fr.first_by_member + fr.first_by_brand;
                assert_eq!(row.messages, messages, "{}", row.period);
                assert_eq!(row.active_members, active.len() as u64, "{}", row.period);
                assert_eq!(
                    row.peer_share,
                    peer_share::peer_share(&interactions::interactions(&cx)),
                    "{}",
                    row.period
                );
                assert_eq!(row.member_threads, fr.member_threads, "{}", row.period);
                assert_eq!(
                    row.answered_share,
                    (fr.member_threads > 0).then(|| answered as f64 / fr.member_threads as f64),
                    "{}",
                    row.period
                );
                assert_eq!(
                    row.median_hours_first_response, fr.median_hours_any,
                    "{}",
                    row.period
                );
                assert_eq!(row.brand_dependence, fr.brand_dependence, "{}", row.period);
            }
        }
    }
}
