//! The IRC log reader, and reply inference over what it reads, on arbitrary bytes: never
//! panics, always conforms, one link per line pointing backwards.
#![no_main]

use hearth_analysis::replies::{self, ChatLine};
use hearth_sources::conformance;
use hearth_sources::irc::{number_lines, read_log};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("2020-01-01.log");
    if let Err(e) = conformance::check_stream(path, data, |i, s| read_log(path, i, s), true) {
        panic!("conformance: {e}");
    }
    let numbered = number_lines(&String::from_utf8_lossy(data));
    let lines: Vec<ChatLine<'_>> = numbered
        .iter()
        .map(|l| ChatLine {
            time: l.minute * 60,
            author: l.speaker,
            text: &l.text,
            system: l.system,
            mentions: &l.mentions,
        })
        .collect();
    let links = replies::infer(&lines, replies::shipped());
    assert_eq!(links.len(), lines.len());
    for (i, l) in links.iter().enumerate() {
        assert!(l.parent as usize <= i);
        assert!(l.confidence > 0.0 && l.confidence <= 1.0);
    }
});
