//! Measures read off message text (the store hands the text in; analysis does no IO).

pub mod intent;
pub mod measures;
pub mod sentiment;
pub mod themes;

/// Whether `word` contains `needle`: for the short words of a message a plain scan, where
/// `str::contains` first builds a searcher for each call.
pub(crate) fn has(word: &str, needle: &[u8]) -> bool {
    word.as_bytes().windows(needle.len()).any(|w| w == needle)
}

/// The words of ASCII text, byte by byte: runs of bytes that are `part` of a word, with the
/// `edge` bytes at either end trimmed, empty ones left out. What `str::split` on the other
/// bytes, `trim_matches` and a filter give, without decoding characters.
pub(crate) fn ascii_words<'a>(
    text: &'a str,
    part: impl Fn(u8) -> bool,
    edge: impl Fn(u8) -> bool,
    mut f: impl FnMut(&'a str),
) {
    debug_assert!(text.is_ascii());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !part(b[i]) {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < b.len() && part(b[end]) {
            end += 1;
        }
        let (mut s, mut e) = (i, end);
        while s < e && edge(b[s]) {
            s += 1;
        }
        while e > s && edge(b[e - 1]) {
            e -= 1;
        }
        if s < e {
            // ASCII: every index is a character boundary.
            f(&text[s..e]);
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn has_is_contains() {
        for (word, needle) in [
            ("http://x", "://"),
            ("a::b", "::"),
            (":/", "://"),
            ("", "::"),
            ("::", "::"),
            ("x:", "::"),
            ("é://", "://"),
        ] {
            assert_eq!(
                super::has(word, needle.as_bytes()),
                word.contains(needle),
                "{word}"
            );
        }
    }
}
