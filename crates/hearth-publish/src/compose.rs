//! What a post becomes on each network: its links tagged with UTM parameters, its length
//! counted by the network's own rule, and the spans (links, mentions, hashtags) that Bluesky
//! wants as facets. Pure: no IO.
//!
//! - **Bluesky** counts graphemes (user-perceived characters), at most [`BLUESKY_GRAPHEMES`].
//!   A link is shown as its host and path cut to [`BLUESKY_LINK_SHOWN`] characters and points,
//!   through a link facet, at the full tagged address, as the Bluesky app does.
//! - **Mastodon** counts characters (Unicode scalar values), at most the instance's limit
//!   (500 unless the instance says otherwise); every link counts [`MASTODON_LINK_LENGTH`]
//!   whatever its length, and a mention `@name@instance` counts as `@name`.

use unicode_segmentation::UnicodeSegmentation;

/// The networks Hearth publishes to.
pub const NETWORKS: &[&str] = &["bluesky", "mastodon"];
/// Bluesky's limit, in graphemes.
pub const BLUESKY_GRAPHEMES: usize = 300;
/// How many characters of a link Bluesky's text shows (then `…`).
pub const BLUESKY_LINK_SHOWN: usize = 30;
/// What a link counts on Mastodon, whatever its length.
pub const MASTODON_LINK_LENGTH: usize = 23;

/// A span of the rendered text, by UTF-8 byte offsets (what Bluesky's facets index).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    /// The full address for a link, the handle for a mention, the tag (without `#`) for a
    /// hashtag.
    pub value: String,
}

/// A post's text as one network will get it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rendered {
    pub network: String,
    pub text: String,
    /// Its length by the network's rule, and the network's limit.
    pub length: usize,
    pub limit: usize,
    pub links: Vec<Span>,
    pub mentions: Vec<Span>,
    pub tags: Vec<Span>,
}

impl Rendered {
    pub fn fits(&self) -> bool {
        self.length <= self.limit
    }
}

/// The UTM parameters to add, already filled in (`utm_source` = `bluesky`, …); empty
/// values are left out.
pub fn utm_params(
    rules: [(&str, &str); 4],
    network: &str,
    post: i64,
) -> Vec<(&'static str, String)> {
    const NAMES: [&str; 4] = ["utm_source", "utm_medium", "utm_campaign", "utm_content"];
    NAMES
        .into_iter()
        .zip(rules)
        .map(|(name, (_, v))| {
            (
                name,
                v.replace("{network}", network)
                    .replace("{post}", &post.to_string()),
            )
        })
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// `url` with the UTM parameters added to its query (before any `#fragment`). An address
/// that already carries a `utm_` parameter, or is not http(s), is kept as written.
pub fn tag(url: &str, params: &[(&str, String)]) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_owned();
    };
    if !matches!(parsed.scheme(), "http" | "https")
        || params.is_empty()
        || parsed.query_pairs().any(|(k, _)| k.starts_with("utm_"))
    {
        return url.to_owned();
    }
    {
        let mut q = parsed.query_pairs_mut();
        for (k, v) in params {
            q.append_pair(k, v);
        }
    }
    parsed.into()
}

/// The links of `text` (http and https addresses), by byte range.
pub fn links(text: &str) -> Vec<(usize, usize)> {
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]);
    finder
        .links(text)
        .filter(|l| {
            let s = l.as_str();
            s.starts_with("http://") || s.starts_with("https://")
        })
        .map(|l| (l.start(), l.end()))
        .collect()
}

/// Graphemes in `s`.
pub fn graphemes(s: &str) -> usize {
    s.graphemes(true).count()
}

/// How a link shows in Bluesky's text: the address as written without its scheme, cut to
/// [`BLUESKY_LINK_SHOWN`] characters with `…`.
pub fn shown(url: &str) -> String {
    let bare = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let bare = bare.strip_prefix("www.").unwrap_or(bare);
    if bare.chars().count() <= BLUESKY_LINK_SHOWN {
        return bare.to_owned();
    }
    let mut out: String = bare.chars().take(BLUESKY_LINK_SHOWN - 1).collect();
    out.push('…');
    out
}

fn is_word_start(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || "([{\"'".contains(c))
}

/// `@handle.domain` mentions (Bluesky handles are domain names), by byte range.
fn bluesky_mentions(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        if !is_word_start(text, at) {
            continue;
        }
        let rest = &text[at + 1..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
            .unwrap_or(rest.len());
        let handle = rest[..len].trim_end_matches(['.', '-']);
        let labels: Vec<&str> = handle.split('.').collect();
        let tld_ok = labels
            .last()
            .is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
        if labels.len() >= 2 && tld_ok && labels.iter().all(|l| !l.is_empty()) {
            out.push(Span {
                start: at,
                end: at + 1 + handle.len(),
                value: handle.to_ascii_lowercase(),
            });
        }
    }
    out
}

/// `#tag` hashtags (not all digits, at most 64 graphemes), by byte range.
fn hashtags(text: &str, skip: &[(usize, usize)]) -> Vec<Span> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('#') {
        if !is_word_start(text, at) || skip.iter().any(|(s, e)| (*s..*e).contains(&at)) {
            continue;
        }
        let rest = &text[at + 1..];
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let tag = &rest[..len];
        if tag.is_empty() || tag.chars().all(|c| c.is_ascii_digit()) || graphemes(tag) > 64 {
            continue;
        }
        out.push(Span {
            start: at,
            end: at + 1 + len,
            value: tag.to_owned(),
        });
    }
    out
}

/// Mastodon's length: characters, a link as [`MASTODON_LINK_LENGTH`], `@name@instance` as
/// `@name`.
pub fn mastodon_length(text: &str) -> usize {
    let spans = links(text);
    let mut n = 0;
    let mut pos = 0;
    for (s, e) in &spans {
        n += mastodon_plain(&text[pos..*s]);
        n += MASTODON_LINK_LENGTH;
        pos = *e;
    }
    n + mastodon_plain(&text[pos..])
}

fn mastodon_plain(text: &str) -> usize {
    let mut n = text.chars().count();
    for word in text.split_whitespace() {
        // @name@instance.example: the instance part does not count.
        if let Some(rest) = word.strip_prefix('@')
            && let Some(i) = rest.find('@')
            && rest[i + 1..].contains('.')
        {
            n -= rest[i..].chars().count();
        }
    }
    n
}

/// `text` as `network` will get it: links tagged with `utm`, length by the network's rule.
pub fn render(
    network: &str,
    text: &str,
    utm: &[(&str, String)],
    mastodon_limit: usize,
) -> Rendered {
    let found = links(text);
    let mut out = String::with_capacity(text.len() + 64);
    let mut spans = Vec::new();
    let mut pos = 0;
    for (s, e) in &found {
        out.push_str(&text[pos..*s]);
        let written = &text[*s..*e];
        let full = tag(written, utm);
        // Bluesky shows the address as written, short; the facet carries the tagged one.
        let visible = if network == "bluesky" {
            shown(written)
        } else {
            full.clone()
        };
        let start = out.len();
        out.push_str(&visible);
        spans.push(Span {
            start,
            end: out.len(),
            value: full,
        });
        pos = *e;
    }
    out.push_str(&text[pos..]);
    let ranges: Vec<(usize, usize)> = spans.iter().map(|s| (s.start, s.end)).collect();
    let (length, limit, mentions) = if network == "bluesky" {
        (graphemes(&out), BLUESKY_GRAPHEMES, bluesky_mentions(&out))
    } else {
        (mastodon_length(&out), mastodon_limit, Vec::new())
    };
    let mentions = mentions
        .into_iter()
        .filter(|m| !ranges.iter().any(|(s, e)| m.start < *e && *s < m.end))
        .collect();
    Rendered {
        network: network.to_owned(),
        tags: hashtags(&out, &ranges),
        text: out,
        length,
        limit,
        links: spans,
        mentions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utm() -> Vec<(&'static str, String)> {
        utm_params(
            [
                ("source", "{network}"),
                ("medium", "social"),
                ("campaign", ""),
                ("content", "hearth-post-{post}"),
            ],
            "bluesky",
            7,
        )
    }

    #[test]
    fn utm_goes_before_the_fragment_and_keeps_existing_tags() {
        assert_eq!(
            tag("https://example.org/a?x=1#top", &utm()),
            "https://example.org/a?x=1&utm_source=bluesky&utm_medium=social&utm_content=hearth-post-7#top"
        );
        let tagged = "https://example.org/?utm_source=newsletter";
        assert_eq!(tag(tagged, &utm()), tagged);
        assert_eq!(tag("mailto:a@example.org", &utm()), "mailto:a@example.org");
    }

    #[test]
    fn bluesky_counts_graphemes_and_shows_links_short() {
        let r = render(
            "bluesky",
            "Family 👨‍👩‍👧 news: https://example.org/a/very/long/path/to/the/release-notes. #USRP @ettus.bsky.social",
            &utm(),
            500,
        );
        assert!(
            r.text.contains("example.org/a/very/long/path/…"),
            "{}",
            r.text
        );
        assert_eq!(r.links.len(), 1);
        let l = &r.links[0];
        assert_eq!(&r.text[l.start..l.end], "example.org/a/very/long/path/…");
        assert!(l.value.ends_with(
            "release-notes?utm_source=bluesky&utm_medium=social&utm_content=hearth-post-7"
        ));
        // The family emoji is one grapheme (five scalar values).
        assert_eq!(r.length, graphemes(&r.text));
        assert_eq!(r.length, r.text.chars().count() - 4);
        assert_eq!(r.tags[0].value, "USRP");
        assert_eq!(r.mentions[0].value, "ettus.bsky.social");
        assert_eq!(
            &r.text[r.mentions[0].start..r.mentions[0].end],
            "@ettus.bsky.social"
        );
    }

    #[test]
    fn mastodon_counts_a_link_as_23_and_a_remote_mention_by_its_name() {
        let text = "Read https://example.org/a/very/long/path/that/goes/on/and/on now @ettus@fosstodon.org";
        let r = render("mastodon", text, &[], 500);
        assert_eq!(r.length, "Read ".len() + 23 + " now @ettus".len());
        assert!(r.fits());
        let long = "x".repeat(501);
        assert!(!render("mastodon", &long, &[], 500).fits());
        assert!(render("mastodon", &long, &[], 1000).fits());
    }

    #[test]
    fn three_hundred_graphemes_fit_bluesky_and_301_do_not() {
        let ok = "é".repeat(300);
        assert!(render("bluesky", &ok, &[], 500).fits());
        let over = "é".repeat(301);
        let r = render("bluesky", &over, &[], 500);
        assert_eq!((r.length, r.limit), (301, 300));
        assert!(!r.fits());
    }
}
