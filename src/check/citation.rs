//! Which source a draft's quotation cites, in every common form, and which stored document
//! that is.
//!
//! Forms read, in the quotation's paragraph: `prov:ID`, inline links `[text](URL)`,
//! reference links `[text][label]` / `[text][]` with their `[label]: URL` definition,
//! footnotes `[^n]` whose definition holds a bare URL, `<URL>`, a Markdown link or a
//! `prov:` id, and HTML `href`/`cite` attributes. A citation after the quotation wins (the
//! nearest); failing one, the nearest before it in the same paragraph ("As [Reuters
//! reported](URL), she said: …"). URLs compare after [`canonical_url`].

use std::collections::HashMap;

/// The citation for the quotation at `start..end` of `text` (the draft as written), within
/// its paragraph `para` (offsets into `text`).
pub fn citation(
    text: &str,
    para: std::ops::Range<usize>,
    start: usize,
    end: usize,
) -> Option<String> {
    let (start, end) = (floor(text, start), floor(text, end));
    let para_start = floor(text, para.start).min(start);
    let para_end = floor(text, para.end).max(end);
    let after = &text[end..para_end];
    if let Some((_, c)) = found_in(after, text).into_iter().min_by_key(|(i, _)| *i) {
        return Some(c);
    }
    let before = &text[para_start..start];
    found_in(before, text)
        .into_iter()
        .max_by_key(|(i, _)| *i)
        .map(|(_, c)| c)
}

fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Every citation in `segment`, with its offset there; `doc` is the whole draft, where
/// footnote and link definitions live.
fn found_in(segment: &str, doc: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (i, _) in segment.match_indices("prov:") {
        if let Some(id) = prov_id(&segment[i..]) {
            found.push((i, id));
        }
    }
    for (i, _) in segment.match_indices("](") {
        if let Some(u) = link_target(&segment[i + 2..]) {
            found.push((i, u));
        }
    }
    for (i, _) in segment.match_indices("][") {
        let label: String = segment[i + 2..].chars().take_while(|c| *c != ']').collect();
        let label = if label.is_empty() {
            // `[text][]`: the text is the label.
            segment[..i]
                .rfind('[')
                .map(|o| segment[o + 1..i].to_owned())
                .unwrap_or_default()
        } else {
            label
        };
        if let Some(u) = definition(doc, &label).and_then(|d| first_target(&d)) {
            found.push((i, u));
        }
    }
    for attr in ["href=\"", "cite=\"", "href='", "cite='"] {
        let quote = attr.chars().last().unwrap_or('"');
        for (i, _) in segment.match_indices(attr) {
            let value: String = segment[i + attr.len()..]
                .chars()
                .take_while(|c| *c != quote)
                .collect();
            let value = value.trim();
            if !value.is_empty() && !value.starts_with('#') {
                found.push((i, value.replace("&amp;", "&")));
            }
        }
    }
    for (i, _) in segment.match_indices("[^") {
        let label: String = segment[i + 2..].chars().take_while(|c| *c != ']').collect();
        // A definition itself (`[^1]: …`) cites nothing where it stands.
        if segment[i + 2 + label.len()..].starts_with("]:") {
            continue;
        }
        if let Some(u) = definition(doc, &format!("^{label}")).and_then(|d| first_target(&d)) {
            found.push((i, u));
        }
    }
    found
}

/// `prov:HEX` at the start of `s`, as `prov:HEX`.
fn prov_id(s: &str) -> Option<String> {
    let id: String = s
        .strip_prefix("prov:")?
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (!id.is_empty()).then(|| format!("prov:{id}"))
}

/// The target of an inline link, `URL)` or `<URL>)` or `URL "title")`.
fn link_target(s: &str) -> Option<String> {
    let s = s.trim_start();
    if let Some(inner) = s.strip_prefix('<') {
        let t = &inner[..inner.find('>')?];
        return (!t.is_empty()).then(|| t.to_owned());
    }
    let t: String = s
        .chars()
        .take_while(|c| *c != ')' && !c.is_whitespace())
        .collect();
    (!t.is_empty() && !t.starts_with('#')).then_some(t)
}

/// The text of the definition `[label]: …` (label compared without regard to case).
fn definition(doc: &str, label: &str) -> Option<String> {
    let wanted = label.trim().to_lowercase();
    if wanted.is_empty() || wanted == "^" {
        return None;
    }
    doc.lines().find_map(|l| {
        let l = l.trim_start();
        let inner = l.strip_prefix('[')?;
        let close = inner.find("]:")?;
        (inner[..close].trim().to_lowercase() == wanted)
            .then(|| inner[close + 2..].trim().to_owned())
    })
}

/// The source a definition names: a `prov:` id, a Markdown link's target, `<URL>`, or the
/// first bare URL.
fn first_target(def: &str) -> Option<String> {
    if let Some(i) = def.find("prov:")
        && let Some(id) = prov_id(&def[i..])
    {
        return Some(id);
    }
    if let Some(i) = def.find("](")
        && let Some(u) = link_target(&def[i + 2..])
    {
        return Some(u);
    }
    if let Some(inner) = def.strip_prefix('<')
        && let Some(e) = inner.find('>')
    {
        return Some(inner[..e].to_owned());
    }
    def.split_whitespace().find(|w| w.contains("://")).map(|w| {
        w.trim_matches(|c: char| matches!(c, '<' | '>' | '(' | ')' | ',' | ';' | '"' | '\''))
            .trim_end_matches('.')
            .to_owned()
    })
}

/// A URL as compared with stored ones: scheme `http` and `https` alike, host lower-cased
/// without `www.` and a default port, no fragment, no trailing slash, tracking parameters
/// dropped and the rest sorted. Not a URL to fetch, only a key.
pub fn canonical_url(url: &str) -> String {
    let url = url.trim();
    let rest = match url.split_once("://") {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            rest
        }
        _ => return url.to_owned(),
    };
    let rest = rest.split('#').next().unwrap_or("");
    let (authority, path_query) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    // Credentials are never part of the key.
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let mut host = host_port.to_ascii_lowercase();
    for port in [":80", ":443"] {
        if let Some(h) = host.strip_suffix(port) {
            host = h.to_owned();
        }
    }
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    let (path, query) = match path_query.split_once('?') {
        Some((p, q)) => (p, q),
        None => (path_query, ""),
    };
    let path = path.trim_end_matches('/');
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| !crate::model::is_tracking(p.split('=').next().unwrap_or(p)))
        .collect();
    params.sort_unstable();
    let mut key = format!("{host}{path}");
    if !params.is_empty() {
        key.push('?');
        key.push_str(&params.join("&"));
    }
    key
}

/// The canonical form of `url` without its query string.
fn without_query(url: &str) -> String {
    let key = canonical_url(url);
    match key.split_once('?') {
        Some((path, _)) => path.to_owned(),
        None => key,
    }
}

/// Stored URLs by their canonical form, built once per check run.
#[derive(Debug, Default)]
pub struct UrlIndex {
    by_key: HashMap<String, crate::model::DocId>,
    /// By the canonical form without the query string, when only one document has it.
    by_path: HashMap<String, Option<crate::model::DocId>>,
}

impl UrlIndex {
    pub fn new(urls: Vec<(String, crate::model::DocId)>) -> UrlIndex {
        let mut index = UrlIndex::default();
        // The caller lists newer documents later; the newest wins.
        for (url, doc) in urls {
            index.by_key.insert(canonical_url(&url), doc);
            index
                .by_path
                .entry(without_query(&url))
                .and_modify(|d| {
                    if *d != Some(doc) {
                        *d = None;
                    }
                })
                .or_insert(Some(doc));
        }
        // A path several documents share (`?id=1`, `?id=2`) names none of them.
        index
    }

    /// The document `url` names: its canonical form, else the same page without the query
    /// string when that is unambiguous (a page cited with or without `?id=7`).
    pub fn get(&self, url: &str) -> Option<crate::model::DocId> {
        self.by_key
            .get(&canonical_url(url))
            .copied()
            .or_else(|| self.by_path.get(&without_query(url)).copied().flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cite(text: &str) -> Option<String> {
        let start = text.find('“').unwrap() + '“'.len_utf8();
        let end = text.find('”').unwrap();
        let para_start = text[..start].rfind("\n\n").map_or(0, |i| i + 2);
        let para_end = text[end..].find("\n\n").map_or(text.len(), |i| end + i);
        citation(text, para_start..para_end, start, end)
    }

    #[test]
    fn every_common_form_binds() {
        assert_eq!(
            cite("She said “one two three four” [here](https://x.test/a).").as_deref(),
            Some("https://x.test/a")
        );
        assert_eq!(
            cite("“one two three four” (prov:abcd12).").as_deref(),
            Some("prov:abcd12")
        );
        assert_eq!(cite("“one two three four” and then nothing."), None);
        let t = "“one two three four”[^1] more.\n\n[^1]: Ukrinform, https://x.test/b\n";
        assert_eq!(cite(t).as_deref(), Some("https://x.test/b"));
        let t = "“one two three four”[^n] more.\n\n[^n]: [NYT](https://x.test/c?a=1)\n";
        assert_eq!(cite(t).as_deref(), Some("https://x.test/c?a=1"));
        let t = "“one two three four”[^2].\n\n[^2]: <https://x.test/d>\n";
        assert_eq!(cite(t).as_deref(), Some("https://x.test/d"));
        let t = "As [Fox News reported](https://x.test/e), she said: “one two three four”.";
        assert_eq!(cite(t).as_deref(), Some("https://x.test/e"));
        let t = "She said “one two three four”, [the Times][nyt] wrote.\n\n[NYT]: https://x.test/f \"Title\"\n";
        assert_eq!(cite(t).as_deref(), Some("https://x.test/f"));
        let t = "She said “one two three four” ([Reuters][]).\n\n[reuters]: https://x.test/g\n";
        assert_eq!(cite(t).as_deref(), Some("https://x.test/g"));
        let t = "“one two three four” (<a href=\"https://x.test/h?a=1&amp;b=2\">source</a>)";
        assert_eq!(cite(t).as_deref(), Some("https://x.test/h?a=1&b=2"));
        // A link in the next paragraph is not this quotation's.
        assert_eq!(cite("“one two three four”.\n\n[x](https://x.test/i)"), None);
        // After wins over before.
        let t = "[A](https://x.test/before) said “one two three four” [B](https://x.test/after)";
        assert_eq!(cite(t).as_deref(), Some("https://x.test/after"));
    }

    #[test]
    fn urls_compare_canonically() {
        let stored = canonical_url("https://www.Example.com/news/story/?id=7&utm_source=tw");
        for cited in [
            "http://example.com/news/story?id=7",
            "https://EXAMPLE.com:443/news/story/?utm_medium=x&id=7#comments",
            "https://example.com/news/story?fbclid=abc&id=7&gclid=z",
        ] {
            assert_eq!(canonical_url(cited), stored, "{cited}");
        }
        assert_ne!(canonical_url("https://example.com/news/story?id=8"), stored);
        assert_ne!(canonical_url("https://example.com/news/other"), stored);
        assert_eq!(canonical_url("prov:abc"), "prov:abc");
    }

    #[test]
    fn a_page_is_found_with_or_without_its_query_when_unambiguous() {
        let a = crate::model::DocId::of_bytes(b"a");
        let b = crate::model::DocId::of_bytes(b"b");
        let c = crate::model::DocId::of_bytes(b"c");
        let index = UrlIndex::new(vec![
            ("https://x.test/story?id=7".into(), a),
            ("https://x.test/list?page=1".into(), b),
            ("https://x.test/list?page=2".into(), c),
        ]);
        assert_eq!(index.get("http://x.test/story/"), Some(a));
        assert_eq!(index.get("https://x.test/story?id=7&utm_source=x"), Some(a));
        assert_eq!(index.get("https://x.test/list?page=2"), Some(c));
        assert_eq!(index.get("https://x.test/list"), None, "two pages share it");
        assert_eq!(index.get("https://x.test/other"), None);
    }
}
