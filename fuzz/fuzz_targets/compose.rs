//! A post's text as each network gets it, on arbitrary text: never panics; every link,
//! mention and hashtag span lies on character boundaries inside the rendered text, in order
//! and apart; a link's span shows the address (Bluesky: its short form) and carries the
//! tagged one; the length is the network's count of the rendered text.
#![no_main]

use hearth_publish::compose::{self, Span};
use libfuzzer_sys::fuzz_target;

fn check(text: &str, spans: &[Span]) {
    let mut last = 0;
    for s in spans {
        assert!(s.start <= s.end && s.end <= text.len());
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        assert!(s.start >= last, "spans in order and apart");
        last = s.end;
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let utm = compose::utm_params(
        [("source", "{network}"), ("medium", "social"), ("campaign", ""), ("content", "hearth-post-{post}")],
        "bluesky",
        7,
    );
    for network in compose::NETWORKS {
        let r = compose::render(network, &text, &utm, 500);
        check(&r.text, &r.links);
        check(&r.text, &r.mentions);
        check(&r.text, &r.tags);
        for l in &r.links {
            assert!(l.value.starts_with("http://") || l.value.starts_with("https://"));
        }
        if *network == "bluesky" {
            assert_eq!(r.length, compose::graphemes(&r.text));
        } else {
            assert_eq!(r.length, compose::mastodon_length(&r.text));
        }
    }
});
