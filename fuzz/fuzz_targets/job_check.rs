//! The job-posting check on arbitrary text: never panics; shares stay in [0, 1] and sum to
//! 1 when any duty matched; every counted duty names the phrases behind it.
#![no_main]

use hearth_analysis::jobs;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let r = jobs::check(&text);
    assert!((0.0..=1.0).contains(&r.community_share));
    assert!((0.0..=1.0).contains(&r.social_media_share));
    if r.matched_duties > 0 {
        assert!((r.community_share + r.social_media_share - 1.0).abs() < 1e-9);
    } else {
        assert_eq!(r.verdict, "unknown");
    }
    for d in &r.duties {
        assert_eq!(d.matches.is_empty(), d.community + d.social_media == 0.0);
    }
});
