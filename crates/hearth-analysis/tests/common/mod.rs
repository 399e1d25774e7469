//! A seeded random community for the tests of this crate: 4,000 messages of 120 people over
//! `4,000 × step` seconds in one space or more (replies, mentions, six brand people, a bot, orphan
//! replies, messages out of time order).

use hearth_model::{
    AccountId, AccountInfo, Config, MessageColumns, NO_PARENT, PersonId, PersonInfo, RoleRules,
    Snapshot, SpaceId, SpaceInfo,
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

/// The community with a message every `step` seconds (give or take an hour), spread over
/// `spaces` spaces in turn.
pub fn community_with(step: i64, spaces: u32) -> (Snapshot, Config) {
    let mut rng = Rng(7);
    let mut m = MessageColumns::default();
    let n = 4_000usize;
    let mut start = vec![0u32];
    let mut orphan = Vec::new();
    for i in 0..n {
        m.id.push(i as i64 + 1);
        // Mostly in order, sometimes a skewed clock.
        let jitter = rng.below(7_200) as i64 - 3_600;
        m.time.push(1_600_000_000 + i as i64 * step + jitter);
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
        m.space.push(i as u32 % spaces);
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
        spaces: (0..spaces)
            .map(|k| SpaceInfo {
                id: SpaceId(i64::from(k) + 1),
                source: "t".into(),
                native_id: format!("s{k}"),
                name: format!("s{k}"),
            })
            .collect(),
        identity_actions: Vec::new(),
    };
    (snapshot, config)
}

/// Five windows over the community of [`community_with`] (a step of 25,000 s: three years):
/// whole, without an end, without a start, one that starts mid-month (members whose first
/// month is the window's first came before it) and one with nothing in it.
#[allow(dead_code)]
pub fn five_windows() -> [hearth_analysis::Window; 5] {
    use hearth_analysis::Window;
    let t0 = 1_600_000_000;
    [
        Window::default(),
        Window {
            since: Some(t0 + 20_000_000),
            until: None,
        },
        Window {
            since: None,
            until: Some(t0 + 70_000_000),
        },
        Window {
            since: Some(t0 + 31_234_567),
            until: Some(t0 + 88_000_000),
        },
        Window {
            since: Some(t0 - 9_000_000),
            until: Some(t0 - 1_000_000),
        },
    ]
}
