//! The social analytics readers (one CSV engine, five column maps), the Mastodon outbox and
//! REST API readers and the Bluesky AppView reader on arbitrary bytes: never panic, always
//! conform.
#![no_main]

use hearth_sources::{conformance, facebook, instagram, linkedin, social, socialcsv, twitter};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("tweet_activity_metrics_x_20210101_20210201_en.csv");
    for platform in [
        &twitter::TWITTER,
        &linkedin::LINKEDIN,
        &facebook::FACEBOOK,
        &instagram::INSTAGRAM,
        &socialcsv::SOCIAL_CSV,
    ] {
        let read = |input: &mut dyn std::io::BufRead, sink: &mut conformance::CollectSink| {
            social::read(platform, path, input, sink)
        };
        if let Err(e) = conformance::check_stream(path, data, read, true) {
            panic!("{} conformance: {e}", platform.id);
        }
    }
    let outbox = Path::new("outbox.json");
    let read = |input: &mut dyn std::io::BufRead, sink: &mut conformance::CollectSink| {
        hearth_sources::mastodon::read_outbox(outbox, input, sink)
    };
    if let Err(e) = conformance::check_stream(outbox, data, read, true) {
        panic!("mastodon conformance: {e}");
    }
    let api = Path::new("brand.mastodon.json");
    let read = |input: &mut dyn std::io::BufRead, sink: &mut conformance::CollectSink| {
        hearth_sources::mastodon::read_api(api, input, sink)
    };
    if let Err(e) = conformance::check_stream(api, data, read, true) {
        panic!("mastodon API conformance: {e}");
    }
    let answers = Path::new("brand.bluesky.json");
    let read = |input: &mut dyn std::io::BufRead, sink: &mut conformance::CollectSink| {
        hearth_sources::bluesky::read_answers(answers, input, sink)
    };
    if let Err(e) = conformance::check_stream(answers, data, read, true) {
        panic!("bluesky conformance: {e}");
    }
});
