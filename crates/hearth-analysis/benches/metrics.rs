//! Each metric on a synthetic snapshot of 1,000,000 and 10,000,000 messages (no IO: the
//! snapshot is built in memory), to show how each one's cost grows: with the messages, not
//! with periods × messages or with the square of people's degrees.
//!
//! The community: 20,000 people of whom 3,000 write most (a Zipf-like draw) and the first 30
//! are brand; one message every 30 minutes (1M messages span 57 years: 685 months, 2,976
//! weeks); 70 % reply to one of the 40 messages before them, so a few dense people talk with
//! thousands. `cargo bench -p hearth-analysis --bench metrics` (`HEARTH_BENCH_MAX=1000000` for
//! 1M only).

use divan::{Bencher, black_box};
use hearth_analysis::calendar::Period;
use hearth_analysis::metrics::{
    absence, activity, first_response, introductions, newcomers, resilience, series, structure,
    survival,
};
use hearth_analysis::{Context, Prepared, Window};
use hearth_model::{
    AccountId, AccountInfo, Config, MessageColumns, NO_PARENT, PersonId, PersonInfo, RoleRules,
    Snapshot, SpaceId, SpaceInfo,
};
use std::sync::OnceLock;

fn main() {
    divan::main();
}

const PEOPLE: usize = 20_000;
const BRAND: usize = 30;

/// SplitMix64: the same snapshot every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn synthetic(n: usize) -> (Snapshot, Config) {
    let mut rng = Rng(19);
    let mut m = MessageColumns::default();
    for i in 0..n {
        m.id.push(i as i64 + 1);
        m.time.push(1_000_000_000 + i as i64 * 1800);
        // Zipf-like: most messages by the first few thousand people.
        let a = if rng.below(10) < 8 {
            rng.below(3_000).min(rng.below(3_000))
        } else {
            rng.below(PEOPLE)
        };
        m.author.push(a as u32);
        let parent = if i > 0 && rng.below(10) < 7 {
            (i - 1 - rng.below(i.min(40))) as u32
        } else {
            NO_PARENT
        };
        m.parent.push(parent);
        m.space.push(0);
    }
    let persons = (0..PEOPLE)
        .map(|k| PersonInfo {
            id: PersonId(k as i64 + 1),
            display_name: format!("p{k}"),
            accounts: vec![AccountInfo {
                id: AccountId(k as i64 + 1),
                source: "synthetic".into(),
                native_id: format!("p{k}"),
                display_name: None,
                email: None,
                username: None,
                flags: Vec::new(),
            }],
            evidence: Vec::new(),
        })
        .collect();
    let snapshot = Snapshot {
        messages: m,
        persons,
        spaces: vec![SpaceInfo {
            id: SpaceId(1),
            source: "synthetic".into(),
            native_id: "s".into(),
            name: "s".into(),
        }],
        identity_actions: Vec::new(),
    };
    let config = Config {
        roles: RoleRules {
            brand_accounts: (0..BRAND).map(|k| format!("p{k}")).collect(),
            ..RoleRules::default()
        },
        ..Config::default()
    };
    (snapshot, config)
}

struct Fixture {
    snapshot: Snapshot,
    prepared: Prepared,
}

fn fixture(n: usize) -> &'static Fixture {
    static ONE: OnceLock<Fixture> = OnceLock::new();
    static TEN: OnceLock<Fixture> = OnceLock::new();
    let cell = if n == 1_000_000 { &ONE } else { &TEN };
    cell.get_or_init(|| {
        let (snapshot, config) = synthetic(n);
        let prepared = Prepared::new(&snapshot, &config);
        Fixture { snapshot, prepared }
    })
}

/// 1M and 10M messages; `HEARTH_BENCH_MAX=1000000` stops at 1M.
fn sizes() -> Vec<usize> {
    let max = std::env::var("HEARTH_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    [1_000_000, 10_000_000]
        .into_iter()
        .filter(|n| *n <= max)
        .collect()
}

fn run<T>(bencher: Bencher, n: usize, f: impl Fn(&Context<'_>) -> T + Sync) {
    let fx = fixture(n);
    let cx = Context::new(&fx.snapshot, &fx.prepared, Window::default(), None);
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| black_box(f(&cx)));
}

#[divan::bench(args = sizes(), sample_count = 3)]
fn first_response(bencher: Bencher, n: usize) {
    run(bencher, n, first_response::first_response);
}

#[divan::bench(args = sizes(), sample_count = 3)]
fn survival(bencher: Bencher, n: usize) {
    run(bencher, n, survival::survival);
}

#[divan::bench(args = sizes(), sample_count = 3)]
fn resilience(bencher: Bencher, n: usize) {
    run(bencher, n, resilience::resilience);
}

#[divan::bench(args = sizes(), sample_count = 3)]
fn structure(bencher: Bencher, n: usize) {
    run(bencher, n, structure::structure);
}

#[divan::bench(args = sizes(), sample_count = 3)]
fn activity(bencher: Bencher, n: usize) {
    run(bencher, n, activity::activity);
}

#[divan::bench(args = sizes(), sample_count = 3)]
fn newcomers(bencher: Bencher, n: usize) {
    run(bencher, n, newcomers::newcomers);
}

#[divan::bench(args = sizes(), sample_count = 3)]
fn absence(bencher: Bencher, n: usize) {
    run(bencher, n, absence::absence);
}

#[divan::bench(args = sizes(), sample_count = 3)]
fn introductions(bencher: Bencher, n: usize) {
    run(bencher, n, |cx| introductions::introductions(cx, 10));
}

fn run_series(bencher: Bencher, n: usize, period: Period) {
    let fx = fixture(n);
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| {
            black_box(series::series(
                &fx.snapshot,
                &fx.prepared,
                Window::default(),
                None,
                period,
            ))
        });
}

#[divan::bench(args = sizes(), sample_count = 3)]
fn series_monthly(bencher: Bencher, n: usize) {
    run_series(bencher, n, Period::Month);
}

#[divan::bench(args = sizes(), sample_count = 3)]
fn series_weekly(bencher: Bencher, n: usize) {
    run_series(bencher, n, Period::Week);
}
