//! The series is computed in one pass for all periods; each row must equal the measures of
//! that period computed on their own (a `Context` over the period's window), as the
//! definition in `metrics/series.rs` states. A seeded random community (replies, mentions,
//! a bot, orphan replies, messages out of time order) over weeks and months, with and without
//! a window.

mod common;
use common::community_with;
use hearth_analysis::calendar::Period;
use hearth_analysis::metrics::{first_response, interactions, peer_share, series};
use hearth_analysis::{Context, Prepared, Window};
use hearth_model::Role;

#[test]
fn each_row_is_its_period_on_its_own() {
    // About eight months in one space.
    let (snapshot, config) = community_with(5_000, 1);
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
