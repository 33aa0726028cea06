//! A limit on how deeply an HTML page nests its elements, applied before it is parsed.
//!
//! A page can nest elements as deeply as it likes: 20,000 `<span>`s in 260 KB, or 100,000
//! unclosed `<div>`s. Parsers check scopes against the whole stack of open elements (time
//! quadratic in depth) and tree walks recurse, so such a page would take minutes or
//! exhaust the stack. No real article nests anywhere near [`MAX_DEPTH`] elements deep;
//! beyond it, start tags are dropped (with their end tags) before parsing, so their
//! content joins the element at the limit: every word of the page is still read, in order,
//! and reading takes time linear in the page's size.
//!
//! Attributes are bounded the same way: a parser checks each new attribute of a tag against
//! the ones before it (time quadratic in their number), so a tag keeps its first
//! [`MAX_ATTRIBUTES`] and the rest are left out before parsing; attributes hold no words of
//! the article.
//!
//! The depth is counted the way a parser would build it, closely enough to bound it:
//! void elements (`<br>`, `<img>`), elements whose end tag may be left out (`<p>`, `<li>`,
//! `<td>`…) and self-closing tags inside SVG and MathML add nothing; the contents of raw
//! text elements (`<script>`, `<style>`, `<textarea>`…) and comments are not markup; an end
//! tag closes the innermost open element of its name and everything opened inside it.

use std::borrow::Cow;

/// Elements nested deeper than this are flattened into the element at this depth.
pub const MAX_DEPTH: usize = 512;
/// Attributes a tag keeps; any beyond are left out before parsing.
pub const MAX_ATTRIBUTES: usize = 64;

const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements a parser closes by itself when a sibling starts (or that it creates once).
const IMPLIED_END: &[&str] = &[
    "body", "caption", "colgroup", "dd", "dt", "head", "html", "li", "optgroup", "option", "p",
    "rb", "rp", "rt", "rtc", "tbody", "td", "tfoot", "th", "thead", "tr",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "iframe", "noembed", "noframes", "noscript", "script", "style", "textarea", "title", "xmp",
];

struct Open {
    name: String,
    dropped: bool,
}

/// The page with start tags nested deeper than [`MAX_DEPTH`] (and their end tags), and
/// attributes beyond a tag's first [`MAX_ATTRIBUTES`], left out; the page itself when it
/// has neither.
pub fn limit_depth(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut open: Vec<Open> = Vec::new();
    // How many of each name are open: a stray end tag is found absent at once, not by
    // searching the whole stack (which would make a page of them quadratic).
    let mut open_names: rustc_hash::FxHashMap<String, usize> = Default::default();
    // Open elements counted towards the depth, and how many of them are svg or math.
    let (mut depth, mut foreign) = (0usize, 0usize);
    let mut drop: Vec<std::ops::Range<usize>> = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + off;
        let rest = &bytes[at..];
        if rest.starts_with(b"<!--") {
            i = find(bytes, at + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = memchr::memchr(b'>', &bytes[at..]).map_or(bytes.len(), |e| at + e + 1);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_at = at + 1 + usize::from(closing);
        if !bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i = at + 1;
            continue;
        }
        let name_end = bytes[name_at..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .map_or(bytes.len(), |e| name_at + e);
        let name = html[name_at..name_end].to_ascii_lowercase();
        let end = tag_end(bytes, name_end);
        let self_closing = end >= 2 && bytes[end - 2] == b'/';
        let tag = at..end;
        i = end;
        if !closing && let Some(excess) = excess_attributes(bytes, name_end, end) {
            drop.push(excess);
        }
        if closing {
            let is_open = open_names.get(&name).is_some_and(|&n| n > 0);
            if let Some(k) = is_open
                .then(|| open.iter().rposition(|o| o.name == name))
                .flatten()
            {
                if open[k].dropped {
                    drop.push(tag);
                }
                for o in open.drain(k..) {
                    if let Some(n) = open_names.get_mut(&o.name) {
                        *n -= 1;
                    }
                    if !o.dropped {
                        depth -= 1;
                    }
                    foreign -= usize::from(is_foreign(&o.name));
                }
            }
            continue;
        }
        if RAW_TEXT.contains(&name.as_str()) {
            // Its text runs to its end tag, which is skipped with it.
            let close = format!("</{name}");
            i = find_ignoring_case(bytes, end, close.as_bytes())
                .map_or(bytes.len(), |e| tag_end(bytes, e + close.len()));
            continue;
        }
        if name == "plaintext" {
            break;
        }
        if VOID.contains(&name.as_str())
            || IMPLIED_END.contains(&name.as_str())
            || (self_closing && foreign > 0)
        {
            continue;
        }
        let dropped = depth >= MAX_DEPTH;
        if dropped {
            // The whole tag goes, its excess attributes with it.
            if drop.last().is_some_and(|r| r.start >= tag.start) {
                drop.pop();
            }
            drop.push(tag);
        } else {
            depth += 1;
        }
        foreign += usize::from(is_foreign(&name));
        *open_names.entry(name.clone()).or_default() += 1;
        open.push(Open { name, dropped });
    }
    if drop.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for r in drop {
        out.push_str(&html[from..r.start]);
        from = r.end;
    }
    out.push_str(&html[from..]);
    Cow::Owned(out)
}

fn is_foreign(name: &str) -> bool {
    name == "svg" || name == "math"
}

/// The attributes of the tag whose name ends at `from` and which ends just before `end`
/// beyond its first [`MAX_ATTRIBUTES`], as a byte range to leave out; `None` when it has
/// no more than that. Attributes are read as a parser reads them: a name up to
/// whitespace, `/`, `>` or `=`, then optionally `=` and a value, quoted or bare.
fn excess_attributes(bytes: &[u8], from: usize, end: usize) -> Option<std::ops::Range<usize>> {
    // The tag's own closing: `>`, or `/>` for a self-closing one; a tag the page never
    // closes runs to its end.
    let mut stop = end;
    if bytes.get(end.wrapping_sub(1)) == Some(&b'>') {
        stop = end - 1;
        if stop > from && bytes[stop - 1] == b'/' {
            stop -= 1;
        }
    }
    let space = |b: u8| b.is_ascii_whitespace();
    let (mut at, mut count) = (from, 0usize);
    loop {
        while at < stop && (space(bytes[at]) || bytes[at] == b'/') {
            at += 1;
        }
        if at >= stop {
            return None;
        }
        count += 1;
        if count > MAX_ATTRIBUTES {
            return Some(at..stop);
        }
        // The name (a leading `=` is part of it).
        at += 1;
        while at < stop && !space(bytes[at]) && !matches!(bytes[at], b'/' | b'=') {
            at += 1;
        }
        let mut k = at;
        while k < stop && space(bytes[k]) {
            k += 1;
        }
        if k < stop && bytes[k] == b'=' {
            at = k + 1;
            while at < stop && space(bytes[at]) {
                at += 1;
            }
            match bytes.get(at) {
                Some(&q @ (b'"' | b'\'')) if at < stop => {
                    at = memchr::memchr(q, &bytes[at + 1..stop]).map_or(stop, |e| at + 1 + e + 1);
                }
                _ => {
                    while at < stop && !space(bytes[at]) {
                        at += 1;
                    }
                }
            }
        }
    }
}

/// Just past the `>` ending a tag whose name ends at `from`, stepping over quoted
/// attribute values; the end of the page when it has none.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (k, &b) in bytes.iter().enumerate().skip(from) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            // Only a value's opening quote (after `=`) starts a quoted run.
            None if (b == b'"' || b == b'\'')
                && bytes[..k].iter().rev().find(|c| !c.is_ascii_whitespace()) == Some(&b'=') =>
            {
                quote = Some(b);
            }
            None if b == b'>' => return k + 1,
            None => {}
        }
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|e| from + e)
}

fn find_ignoring_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(k) = memchr::memchr(b'<', bytes.get(at..)?) {
        let start = at + k;
        let candidate = bytes.get(start..start + needle.len())?;
        if candidate.eq_ignore_ascii_case(needle) {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_beyond_the_limit_are_left_out_and_the_text_kept() {
        let many: String = (0..MAX_ATTRIBUTES + 50)
            .map(|i| format!(" a{i}=\"v>{i}\""))
            .collect();
        let page =
            format!("<body><div class=keep{many} data-x='y z'>words</div><br{many}/></body>");
        let limited = limit_depth(&page);
        let doc = scraper::Html::parse_document(&limited);
        let div = doc
            .select(&scraper::Selector::parse("div").unwrap())
            .next()
            .unwrap();
        assert_eq!(div.value().attrs().count(), MAX_ATTRIBUTES);
        assert_eq!(div.value().attr("class"), Some("keep"));
        assert_eq!(div.text().collect::<String>(), "words");
        assert!(limited.contains("<br a0=\"v>0\""), "{limited}");
        assert!(limited.ends_with("/></body>"), "{limited}");
        // A tag with no more than the limit is untouched.
        let few: String = (0..MAX_ATTRIBUTES).map(|i| format!(" a{i}={i}")).collect();
        assert!(matches!(
            limit_depth(&format!("<p{few}>x</p>")),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn ordinary_pages_are_untouched() {
        let page = "<html><body><div class=a><p>One<p>Two<br><img src=x.png>\
                    <svg><path d='M0'/><path/></svg><script>if (a < b) { x = '</div>'; }</script>\
                    <!-- <div><div> --></div></body></html>";
        assert!(matches!(limit_depth(page), Cow::Borrowed(_)));
    }

    #[test]
    fn elements_beyond_the_limit_are_flattened_and_their_words_kept() {
        let n = MAX_DEPTH + 100;
        let page = format!(
            "<body>{}deep words{}<p>after</p></body>",
            "<span class=\"x>y\">".repeat(n),
            "</span>".repeat(n)
        );
        let limited = limit_depth(&page);
        assert_eq!(limited.matches("<span").count(), MAX_DEPTH);
        assert_eq!(limited.matches("</span>").count(), MAX_DEPTH);
        assert!(limited.contains("deep words") && limited.contains("<p>after</p>"));
    }

    #[test]
    fn unclosed_elements_count_towards_the_limit() {
        let page = "<div><p>text ".repeat(MAX_DEPTH * 3);
        let limited = limit_depth(&page);
        assert_eq!(limited.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(limited.matches("text").count(), MAX_DEPTH * 3);
    }

    #[test]
    fn an_end_tag_closes_what_was_opened_inside_it() {
        // Unclosed spans inside each div are closed by the div's end tag: no build-up.
        let page = "<div><span><b>word</div>".repeat(MAX_DEPTH * 2);
        assert!(matches!(limit_depth(&page), Cow::Borrowed(_)));
    }
}
