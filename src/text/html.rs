//! HTML documents: the article text a reader sees, and what the page says about itself.
//!
//! A web page is stored as the exact bytes served, but quotations, offsets and alignment
//! work on its article text: the headline and paragraphs of the story, with navigation,
//! scripts, styles, comments, forms, share bars and lists of related links left out,
//! entities decoded, and one blank line between paragraphs (as in a plain-text article).
//!
//! The article is found by the `trafilatura` crate (a port of go-trafilatura, with its
//! fallback extractors on), which on the 400 annotated pages of `../shared/eval/html`
//! keeps 0.915 F1 of the main-text snippets against 0.841 for the rules below (the
//! comparison of nine crates is in docs/history.md). prov keeps its own paragraphs (with
//! `<q>` rendered as quotation marks) where the crate's text holds them: 0.921, against
//! 0.920 for Python trafilatura 2.3.1 (`bench/html.sh`). When it
//! finds nothing (or fails), prov's own rules decide, the way reading modes do: an element
//! marked as the article body (`itemprop="articleBody"`), else the `<article>` or `<main>`
//! holding the most paragraph text, else the element whose own paragraphs hold the most
//! text; inside it, elements whose class or id names page furniture (share, related,
//! newsletter, comments…) and blocks that are mostly links are dropped.
//!
//! Metadata comes from JSON-LD (`NewsArticle` and kin: headline, datePublished, author,
//! publisher), then Open Graph and `<meta>` tags, then `<title>` and the canonical link.

use ego_tree::NodeRef;
use scraper::{Html, Node};
use serde_json::Value;

use crate::model::Metadata;
use crate::store::meta::parse_published;

/// An HTML page read as an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Headline and paragraphs, separated by blank lines.
    pub text: String,
    /// What the page says about itself (title, outlet, date, author, canonical URL, lang).
    pub meta: Metadata,
    /// The canonical URL (`<link rel="canonical">`, else `og:url`), when the page gives one.
    pub canonical: Option<String>,
}

/// Reads a decoded HTML page as an article.
///
/// ```
/// let page = r#"<html><head><title>Site</title>
///   <meta property="og:site_name" content="The Courier"></head>
///   <body><nav><a href="/">Home</a></nav>
///   <article><h1>Talks stall</h1><p>&ldquo;We will not give up,&rdquo; he said.</p></article>
///   <script>var x = "not text";</script></body></html>"#;
/// let article = prov::text::html::article(page);
/// assert_eq!(article.text, "Talks stall\n\n“We will not give up,” he said.");
/// assert_eq!(article.meta.outlet.as_deref(), Some("The Courier"));
/// ```
pub fn article(html: &str) -> Article {
    // Bounded nesting: parsing and the walks below stay linear and shallow.
    let html = super::nesting::limit_depth(html);
    let doc = Html::parse_document(&html);
    let (meta, canonical) = page_metadata(&doc);
    // A page nested deeper than the limit is read by prov's own rules, which keep every
    // word of it: the extractor drops deeply nested text. So is a page of more nodes than
    // an article has: the extractor takes some 25 µs and 4 KB a node, prov's rules a tenth.
    let deep = matches!(html, std::borrow::Cow::Owned(_));
    let huge = doc.tree.nodes().nth(MAX_EXTRACTOR_NODES).is_some();
    let text = (!deep && !huge)
        .then(|| main_text(&html, &doc))
        .flatten()
        .unwrap_or_else(|| own_text(&doc));
    // Preformatted text keeps its spaces: with the line before it left out, an article
    // could start with them.
    let text = composed(text);
    let text = match text.trim() {
        trimmed if trimmed.len() == text.len() => text,
        trimmed => trimmed.to_owned(),
    };
    Article {
        text,
        meta,
        canonical,
    }
}

/// `text` in Unicode's composed form (NFC), as the web's character model recommends: a
/// page typed with decomposed letters ("u" and a combining diaeresis) reads as "ü", the
/// way a reader copies it and a fact-checker types it.
fn composed(text: String) -> String {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        text
    } else {
        text.nfc().collect()
    }
}

/// The article text by prov's own rules: the element holding the story, less furniture.
fn own_text(doc: &Html) -> String {
    let mut text = TextBuilder::default();
    if let Some(root) = article_root(doc) {
        let whole_page = root
            .value()
            .as_element()
            .is_some_and(|e| matches!(e.name(), "body" | "html"));
        walk(root, whole_page, &mut text);
    }
    text.finish()
}

/// Pages with more nodes than this are read by prov's own rules alone (news articles have
/// a few thousand; 200,000 links took the extractor 11 s and 1.7 GB, prov's rules 0.4 s).
const MAX_EXTRACTOR_NODES: usize = 100_000;

/// Bytes of the chosen text scanned for paragraphs not found whole, at most: beyond
/// it only paragraphs the extractor kept whole count, so the work stays bounded.
const MATCH_BUDGET: usize = 64 << 20;

/// Paragraphs shorter than this (in characters compared, without spaces) count only when
/// the extractor kept them whole: a short line ("Email", "Share") is inside many a
/// sentence.
const MIN_INSIDE: usize = 24;

/// The sentences of a paragraph: pieces ending in `.`, `!` or `?` (and any closing
/// quotation mark) before a space.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut pieces = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let Some(&(_, next)) = chars.peek() else {
            break;
        };
        if next.is_whitespace() && matches!(c, '.' | '!' | '?' | '”' | '"' | '’') {
            let end = i + c.len_utf8();
            pieces.push(&text[start..end]);
            start = end;
        }
    }
    pieces.push(&text[start..]);
    pieces.into_iter()
}

/// Lowercased, composed, without whitespace or invisible characters: how two texts are compared
/// (extractors differ in the spaces they put at line breaks and between blocks, and in
/// whether they keep soft hyphens and zero-width characters).
fn comparable(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // Composed: a page written in decomposed letters ("o" and a combining diaeresis)
    // reads the same as the extractor's composed "ö".
    text.chars()
        .filter(|&c| !c.is_whitespace() && !is_invisible(c))
        .nfc()
        .flat_map(char::to_lowercase)
        .collect()
}

/// Characters a browser does not show in running text: the soft hyphen, zero-width
/// spaces and joiners, the word joiner and the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// The page's main text: the paragraphs of the page, as prov reads them (blocks apart,
/// `<q>` as quotation marks), that the `trafilatura` crate keeps as its main text. Its
/// choice, prov's paragraphs. `None` when it keeps nothing or fails (a panic inside it is
/// caught: a page never stops an add).
fn main_text(html: &str, doc: &Html) -> Option<String> {
    // It drops the quotation marks a browser gives `<q>`: they are written in first.
    let marked = q_as_marks(html);
    let mut options = trafilatura::Options::default();
    options.enable_fallback = true;
    let found = std::panic::catch_unwind(|| trafilatura::extract(&marked, &options))
        .ok()?
        .ok()?;
    let paragraphs = |root: NodeRef<'_, Node>, plain: bool| {
        let mut text = TextBuilder {
            plain,
            ..TextBuilder::default()
        };
        walk(root, false, &mut text);
        text.end_paragraph();
        text.paragraphs
    };
    let fragment = Html::parse_fragment(&found.content_html);
    let theirs = paragraphs(fragment.tree.root(), true);
    let their_comparable: Vec<String> = theirs.iter().map(|p| comparable(p)).collect();
    let their_chars: usize = their_comparable.iter().map(String::len).sum();
    let mut whole: rustc_hash::FxHashSet<String> = their_comparable.iter().cloned().collect();
    // The headline it reads as the title, not the text: prov's article text starts with it.
    if !found.metadata.title.trim().is_empty() {
        whole.insert(comparable(&found.metadata.title));
    }
    let mut chosen = comparable(&found.content_text);
    for p in &their_comparable {
        chosen.push_str(p);
    }
    if chosen.is_empty() {
        return None;
    }
    let mut judge = Judge {
        whole: &whole,
        chosen: chosen.as_bytes(),
        budget: MATCH_BUDGET / chosen.len().max(1),
        scans: 0,
    };
    // Every paragraph of the page (furniture too: the extractor judges), kept where the
    // extractor keeps it; of a paragraph of several lines (`<br>`) it keeps only some
    // of, those lines.
    let kept: Vec<String> = paragraphs(doc.tree.root(), true)
        .into_iter()
        .filter_map(|p| judge.kept_part(p))
        .collect();
    // Most of what the extractor chose is in none of prov's paragraphs (text prov's
    // walk never reaches, such as a story held in a data attribute): its own
    // paragraphs, which hold the story, rather than the few of prov's that match.
    let kept_chars: usize = kept.iter().map(|p| comparable(p).len()).sum();
    if kept_chars * 2 < their_chars {
        return Some(theirs.join("\n\n"));
    }
    (!kept.is_empty()).then(|| kept.join("\n\n"))
}

/// Decides which of prov's paragraphs the extractor kept, by finding them in its text.
struct Judge<'a> {
    /// The extractor's paragraphs and headline, comparable: kept whatever their length.
    whole: &'a rustc_hash::FxHashSet<String>,
    /// All of the extractor's text, comparable.
    chosen: &'a [u8],
    /// Searches of `chosen` allowed, and made: the work stays bounded on any page.
    budget: usize,
    scans: usize,
}

impl Judge<'_> {
    /// What of `paragraph` the extractor kept: all of it, some of its lines, or nothing.
    fn kept_part(&mut self, paragraph: String) -> Option<String> {
        if !paragraph.contains('\n') {
            return self.keeps(&paragraph, true).then_some(paragraph);
        }
        // A paragraph of several lines is kept whole when most of its sentences are
        // found whole (a line the extractor left out, such as a quotation, with it).
        if self.keeps(&paragraph, false) {
            return Some(paragraph);
        }
        // Else the lines (`<br>`) the extractor kept. A short line ("Von:", "Tags:", a
        // subheading) is as likely a label of the page as of the story: it counts only
        // as one of the extractor's own paragraphs, beside a long line kept.
        let lines: Vec<(&str, String)> = paragraph.lines().map(|l| (l, comparable(l))).collect();
        let long: Vec<Option<bool>> = lines
            .iter()
            .map(|(line, c)| (c.len() >= MIN_INSIDE).then(|| self.keeps_compared(line, c, true)))
            .collect();
        let long_kept = |j: usize| long.get(j).copied().flatten() == Some(true);
        let kept: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|&(i, (_, c))| {
                long[i].unwrap_or_else(|| {
                    (i.checked_sub(1).is_some_and(long_kept) || long_kept(i + 1))
                        && self.whole.contains(c)
                })
            })
            .map(|(_, (line, _))| *line)
            .collect();
        (!kept.is_empty()).then(|| kept.join("\n"))
    }

    /// Whether the extractor kept `paragraph`: whole, or most of its sentences, each
    /// found whole or, with `partly`, for the most part (a sentence whose citation link or
    /// trailing "here" the extractor dropped is found by its beginning or its end).
    fn keeps(&mut self, paragraph: &str, partly: bool) -> bool {
        self.keeps_compared(paragraph, &comparable(paragraph), partly)
    }

    /// [`Judge::keeps`], given the paragraph's comparable form `c`.
    fn keeps_compared(&mut self, paragraph: &str, c: &str, partly: bool) -> bool {
        if self.whole.contains(c) {
            return true;
        }
        // Shorter pieces are inside many a sentence: only the extractor's own count.
        if c.len() < MIN_INSIDE {
            return false;
        }
        if self.inside(c.as_bytes()) {
            return true;
        }
        let found: usize = sentences(paragraph)
            .map(comparable)
            .filter(|s| s.len() >= MIN_INSIDE)
            .map(|s| self.found_part(&s, partly))
            .sum();
        found * 5 >= c.len() * 3
    }

    /// How much of `sentence` (comparable) is in the extractor's text: all of it, else its
    /// longest beginning or end found there, when that is long enough to count.
    fn found_part(&mut self, sentence: &str, partly: bool) -> usize {
        if self.inside(sentence.as_bytes()) {
            return sentence.len();
        }
        if !partly {
            return 0;
        }
        let bounds: Vec<usize> = sentence.char_indices().map(|(i, _)| i).collect();
        let prefix = self.longest(sentence, &bounds, false);
        let suffix = self.longest(sentence, &bounds, true);
        let part = prefix.max(suffix);
        if part >= MIN_INSIDE { part } else { 0 }
    }

    /// Bytes of the longest beginning (or end) of `sentence` found in the extractor's
    /// text: a binary search over its characters (which start at `bounds`), since every
    /// shorter beginning (or end) of a found one is found too.
    fn longest(&mut self, sentence: &str, bounds: &[usize], from_end: bool) -> usize {
        let total = bounds.len();
        // The piece of `chars` characters from the chosen side.
        let piece = |chars: usize| -> &str {
            if chars == 0 {
                ""
            } else if from_end {
                &sentence[bounds[total - chars]..]
            } else {
                &sentence[..bounds.get(chars).copied().unwrap_or(sentence.len())]
            }
        };
        let (mut lo, mut hi) = (0usize, total);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if self.inside(piece(mid).as_bytes()) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        piece(lo).len()
    }

    fn inside(&mut self, piece: &[u8]) -> bool {
        self.scans += 1;
        self.scans <= self.budget && memchr::memmem::find(self.chosen, piece).is_some()
    }
}

/// `html` with each `<q>` element's tags replaced by the quotation marks a browser shows
/// (single ones inside another `<q>`).
fn q_as_marks(html: &str) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let is_q_tag = |at: usize| -> Option<(bool, usize)> {
        let rest = &bytes[at..];
        let close = rest.get(1) == Some(&b'/');
        let name = if close { 2 } else { 1 };
        let q = rest
            .get(name)
            .is_some_and(|b| b.eq_ignore_ascii_case(&b'q'));
        let after = rest.get(name + 1).copied();
        let ends = matches!(after, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/'));
        if !(q && ends) {
            return None;
        }
        let len = rest.iter().position(|&b| b == b'>')? + 1;
        Some((close, len))
    };
    if !memchr::memmem::find_iter(bytes, b"<").any(|i| is_q_tag(i).is_some()) {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 16);
    let (mut depth, mut from, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + off;
        match is_q_tag(at) {
            Some((close, len)) => {
                out.push_str(&html[from..at]);
                if close {
                    depth = depth.saturating_sub(1);
                    out.push(if depth > 0 { '’' } else { '”' });
                } else {
                    out.push(if depth > 0 { '‘' } else { '“' });
                    depth += 1;
                }
                i = at + len;
                from = i;
            }
            None => i = at + 1,
        }
    }
    out.push_str(&html[from..]);
    std::borrow::Cow::Owned(out)
}

/// Whether bytes look like an HTML page (for files without a telling extension).
pub fn sniff(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head: Vec<u8> = start
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(15)
        .map(u8::to_ascii_lowercase)
        .collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
}

/// Decodes an HTML page's bytes: a byte order mark, else the charset the server sent, else
/// a `<meta charset>` near the top, else UTF-8 when the bytes are valid UTF-8, else
/// windows-1252 (what browsers assume). Returns the text and the encoding's name.
pub fn decode(bytes: &[u8], http_charset: Option<&str>) -> (String, &'static str) {
    let bom = encoding_rs::Encoding::for_bom(bytes).map(|(enc, _)| enc);
    // A page that declares UTF-16 without a BOM cannot be UTF-16 (the declaration was
    // readable as ASCII): browsers read it as UTF-8, and so does prov.
    let declared = http_charset
        .and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes()))
        .or_else(|| meta_charset(bytes))
        .map(|enc| {
            if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                encoding_rs::UTF_8
            } else {
                enc
            }
        });
    // A page declared UTF-8 whose bytes hold no UTF-8 sequence of more than one byte, only
    // bytes above 127 that UTF-8 cannot read, was written in a single-byte encoding (a
    // Latin-1 page served with a site-wide UTF-8 header): read as UTF-8, every accented
    // letter would become U+FFFD and the quotation's words would be lost.
    let declared = declared.map(|enc| {
        if enc == encoding_rs::UTF_8 && bom.is_none() && single_byte(bytes) {
            encoding_rs::WINDOWS_1252
        } else {
            enc
        }
    });
    let encoding = bom.or(declared).unwrap_or_else(|| {
        if std::str::from_utf8(bytes).is_ok() {
            encoding_rs::UTF_8
        } else {
            encoding_rs::WINDOWS_1252
        }
    });
    let (text, used, _) = encoding.decode(bytes);
    (text.into_owned(), encoding_name(used))
}

/// Whether `bytes` are not UTF-8 and hold no UTF-8 sequence longer than one byte.
fn single_byte(bytes: &[u8]) -> bool {
    let mut invalid = false;
    for chunk in bytes.utf8_chunks() {
        if !chunk.valid().is_ascii() {
            return false;
        }
        invalid |= !chunk.invalid().is_empty();
    }
    invalid
}

fn encoding_name(enc: &'static encoding_rs::Encoding) -> &'static str {
    match enc.name() {
        "UTF-8" => "utf-8",
        "UTF-16LE" => "utf-16le",
        "UTF-16BE" => "utf-16be",
        other => other,
    }
}

/// The charset a `<meta charset=…>` or `<meta http-equiv content="…; charset=…">` in the
/// first kilobyte names.
fn meta_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let at = memchr::memmem::find(&lower, b"charset=")? + b"charset=".len();
    let rest = &lower[at..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| matches!(b, b'"' | b'\'' | b';' | b'>' | b'/' | b' '))
        .unwrap_or(rest.len());
    encoding_rs::Encoding::for_label(&rest[..end])
}

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "nav",
    "aside",
    "footer",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "label",
    "dialog",
    "figure",
    "figcaption",
    "head",
    "title",
    "meta",
    "link",
    "audio",
    "video",
    "picture",
    "img",
    "map",
];

/// Elements that begin and end a paragraph of text.
pub(crate) const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "address",
    "center",
    "hr",
    "body",
    "html",
    "details",
    "summary",
];

/// Words in a class or id that mark page furniture rather than the story.
const FURNITURE: &[&str] = &[
    "share",
    "sharing",
    "social",
    "related",
    "comment",
    "comments",
    "newsletter",
    "promo",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "sponsor",
    "sponsored",
    "cookie",
    "cookies",
    "subscribe",
    "subscription",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "footer",
    "nav",
    "navigation",
    "menu",
    "popup",
    "modal",
    "signup",
    "recommended",
    "recommendations",
    "outbrain",
    "taboola",
    "paywall",
    "banner",
    "toolbar",
    "tags",
    "byline-share",
    "most-read",
    "mostread",
    "trending",
    "skip",
    "visually-hidden",
    "sr-only",
    "hidden",
];

/// Words in a class or id that mark the story itself; they outweigh furniture words
/// ("article-share" is furniture, "article-body" is not).
const STORY: &[&str] = &[
    "article", "story", "content", "body", "text", "entry", "post",
];

fn is_furniture(e: &scraper::node::Element) -> bool {
    if e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    let names = e.attr("class").into_iter().chain(e.id());
    let mut furniture = false;
    for name in names {
        for token in name.split_whitespace() {
            let token = token.to_ascii_lowercase();
            if FURNITURE.contains(&token.as_str()) {
                furniture = true;
                continue;
            }
            let parts: Vec<&str> = token.split(['-', '_']).filter(|p| !p.is_empty()).collect();
            if parts.iter().any(|p| STORY.contains(p)) && !token.contains("share") {
                continue;
            }
            if parts.iter().any(|p| FURNITURE.contains(p)) {
                furniture = true;
            }
        }
    }
    furniture
}

/// Collects text into paragraphs, collapsing whitespace the way a browser renders it.
#[derive(Default)]
struct TextBuilder {
    paragraphs: Vec<String>,
    current: String,
    /// Characters of `current` inside links, to drop blocks that are mostly links.
    link_chars: usize,
    in_link: usize,
    in_pre: usize,
    /// Every block, furniture and lists of links too: another judge chooses.
    plain: bool,
}

impl TextBuilder {
    fn push_text(&mut self, s: &str) {
        if self.in_pre > 0 {
            self.current.push_str(s);
            if self.in_link > 0 {
                self.link_chars += s.chars().count();
            }
            return;
        }
        for (i, piece) in s.split(char::is_whitespace).enumerate() {
            if i > 0 && !self.current.is_empty() && !self.current.ends_with([' ', '\n']) {
                self.current.push(' ');
            }
            if !piece.is_empty() {
                self.current.push_str(piece);
                if self.in_link > 0 {
                    self.link_chars += piece.chars().count();
                }
            }
        }
    }

    fn line_break(&mut self) {
        let trimmed = self.current.trim_end_matches(' ').len();
        self.current.truncate(trimmed);
        if !self.current.is_empty() && !self.current.ends_with('\n') {
            self.current.push('\n');
        }
    }

    /// Ends the current paragraph; a block mostly made of links (a list of related
    /// stories, "Read more", share links) is dropped.
    fn end_paragraph(&mut self) {
        let text = std::mem::take(&mut self.current);
        let links = std::mem::replace(&mut self.link_chars, 0);
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let chars = text.chars().count();
        if !self.plain && links * 2 > chars && chars < 200 {
            return;
        }
        self.paragraphs.push(text.to_owned());
    }

    fn finish(mut self) -> String {
        self.end_paragraph();
        self.paragraphs.join("\n\n")
    }
}

fn walk(node: NodeRef<'_, Node>, whole_page: bool, out: &mut TextBuilder) {
    for child in node.children() {
        match child.value() {
            Node::Text(t) => out.push_text(&t.text),
            Node::Element(e) => {
                let name = e.name();
                // A figure is an image and its caption, or a table or quotation set
                // apart: by prov's own rules the first, for the extractor to judge.
                if (SKIPPED.contains(&name) && !(out.plain && name == "figure"))
                    || (whole_page && name == "header")
                    || (!out.plain && is_furniture(e))
                {
                    continue;
                }
                match name {
                    "br" => {
                        out.line_break();
                        continue;
                    }
                    "q" => {
                        // Browsers render <q> with quotation marks; nested ones with single.
                        let nested = child
                            .ancestors()
                            .any(|a| a.value().as_element().is_some_and(|e| e.name() == "q"));
                        let (open, close) = if nested {
                            ("‘", "’")
                        } else {
                            ("“", "”")
                        };
                        out.push_text(open);
                        walk(child, whole_page, out);
                        out.push_text(close);
                        continue;
                    }
                    _ => {}
                }
                let block = BLOCKS.contains(&name);
                if block {
                    out.end_paragraph();
                }
                let link = name == "a";
                out.in_link += usize::from(link);
                out.in_pre += usize::from(name == "pre");
                walk(child, whole_page, out);
                out.in_link -= usize::from(link);
                out.in_pre -= usize::from(name == "pre");
                if block {
                    out.end_paragraph();
                }
            }
            _ => {}
        }
    }
}

/// The element holding the story.
fn article_root(doc: &Html) -> Option<NodeRef<'_, Node>> {
    let elements = || {
        doc.tree
            .root()
            .descendants()
            .filter(|n| n.value().as_element().is_some())
    };
    if let Some(body) = elements().find(|n| {
        n.value()
            .as_element()
            .is_some_and(|e| e.attr("itemprop") == Some("articleBody"))
    }) {
        return Some(body);
    }
    for names in [&["article"][..], &["main"][..]] {
        let best = elements()
            .filter(|n| {
                n.value()
                    .as_element()
                    .is_some_and(|e| names.contains(&e.name()))
            })
            .map(|n| (paragraph_chars(&n), n))
            .filter(|(chars, _)| *chars > 0)
            .max_by_key(|(chars, _)| *chars);
        if let Some((_, n)) = best {
            return Some(n);
        }
    }
    let body = elements().find(|n| n.value().as_element().is_some_and(|e| e.name() == "body"));
    let scored = best_inside_scored(doc.tree.root());
    scored.or(body).or_else(|| Some(doc.tree.root()))
}

/// The element whose own `<p>` children hold the most text, readability-style: a page
/// with no article markup still has its story in one container of paragraphs.
fn best_inside_scored(root: NodeRef<'_, Node>) -> Option<NodeRef<'_, Node>> {
    let mut best: Option<(usize, NodeRef<'_, Node>)> = None;
    for n in root.descendants() {
        let Some(e) = n.value().as_element() else {
            continue;
        };
        if SKIPPED.contains(&e.name()) || is_furniture(e) {
            continue;
        }
        let own: usize = n
            .children()
            .filter(|c| c.value().as_element().is_some_and(|e| e.name() == "p"))
            .map(|p| text_chars(p))
            .filter(|&chars| chars >= 25)
            .sum();
        if own > 0 && best.as_ref().is_none_or(|(b, _)| own > *b) {
            best = Some((own, n));
        }
    }
    best.map(|(_, n)| n)
}

/// Characters of text in the `<p>` elements under `n`.
fn paragraph_chars(n: &NodeRef<'_, Node>) -> usize {
    n.descendants()
        .filter(|d| d.value().as_element().is_some_and(|e| e.name() == "p"))
        .map(text_chars)
        .sum()
}

fn text_chars(n: NodeRef<'_, Node>) -> usize {
    n.descendants()
        .filter_map(|d| match d.value() {
            Node::Text(t) => Some(t.trim().chars().count()),
            _ => None,
        })
        .sum()
}

/// The text of an element, whitespace collapsed.
fn element_text(n: NodeRef<'_, Node>) -> String {
    let mut s = String::new();
    for d in n.descendants() {
        if let Node::Text(t) = d.value() {
            s.push_str(&t.text);
            s.push(' ');
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Metadata from `<head>` and JSON-LD, and the canonical URL.
fn page_metadata(doc: &Html) -> (Metadata, Option<String>) {
    let mut title_tag = None;
    let mut canonical = None;
    let mut metas: Vec<(String, String)> = Vec::new();
    let mut ld: Vec<Value> = Vec::new();
    let mut lang = None;
    for n in doc.tree.root().descendants() {
        let Some(e) = n.value().as_element() else {
            continue;
        };
        match e.name() {
            "html" => lang = e.attr("lang").map(str::to_owned),
            "title" if title_tag.is_none() => title_tag = Some(element_text(n)),
            "link" => {
                let rel = e.attr("rel").unwrap_or("").to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical") && canonical.is_none() {
                    canonical = e.attr("href").map(str::to_owned);
                }
            }
            "meta" => {
                let key = e.attr("property").or_else(|| e.attr("name"));
                if let (Some(key), Some(content)) = (key, e.attr("content")) {
                    metas.push((key.to_ascii_lowercase(), content.to_owned()));
                }
            }
            "script"
                if e.attr("type")
                    .is_some_and(|t| t.trim() == "application/ld+json") =>
            {
                if let Ok(v) = serde_json::from_str::<Value>(&element_text(n)) {
                    ld.push(v);
                }
            }
            _ => {}
        }
    }
    let meta_tag = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            metas
                .iter()
                .find(|(key, v)| key == k && !v.trim().is_empty())
                .map(|(_, v)| v.trim().to_owned())
        })
    };
    let news = ld.iter().find_map(find_news_article);
    let ld_str = |field: &str| news.and_then(|a| a.get(field)).and_then(text_of);
    let title = ld_str("headline")
        .or_else(|| meta_tag(&["og:title", "twitter:title"]))
        .or(title_tag.filter(|t| !t.is_empty()));
    let published = ld_str("datePublished")
        .or_else(|| {
            meta_tag(&[
                "article:published_time",
                "datepublished",
                "pubdate",
                "date",
                "dc.date",
                "dc.date.issued",
                "parsely-pub-date",
            ])
        })
        .and_then(|d| lenient_date(&d));
    let modified = ld_str("dateModified")
        .or_else(|| {
            meta_tag(&[
                "article:modified_time",
                "og:updated_time",
                "datemodified",
                "dc.date.modified",
                "last-modified",
            ])
        })
        .and_then(|d| lenient_date(&d));
    let author = news
        .and_then(|a| a.get("author"))
        .and_then(names_of)
        .or_else(|| meta_tag(&["author", "article:author", "byl"]).filter(|a| !is_url(a)));
    let outlet = news
        .and_then(|a| a.get("publisher"))
        .and_then(names_of)
        .or_else(|| meta_tag(&["og:site_name", "application-name"]));
    let canonical = canonical
        .filter(|c| is_url(c))
        .or_else(|| meta_tag(&["og:url"]).filter(|c| is_url(c)));
    let meta = Metadata {
        title,
        outlet,
        url: None,
        published,
        author,
        modified,
        lang: lang.filter(|l| !l.trim().is_empty()),
        ..Metadata::default()
    };
    (meta, canonical)
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// A date as pages write it, in prov's form: RFC 3339 as is, or its date part when the
/// rest is unusual (`2025-06-23T08:42:00+0000`), or nothing.
fn lenient_date(s: &str) -> Option<String> {
    let s = s.trim();
    parse_published(s).ok().or_else(|| {
        let day = s.get(..10)?;
        parse_published(day).ok()
    })
}

/// The first JSON-LD object typed as a news article (or any article), searching arrays
/// and `@graph`.
fn find_news_article(v: &Value) -> Option<&Value> {
    match v {
        Value::Array(items) => items.iter().find_map(find_news_article),
        Value::Object(map) => {
            let typed = |t: &Value| match t {
                Value::String(s) => is_article_type(s),
                Value::Array(ts) => ts.iter().any(|t| t.as_str().is_some_and(is_article_type)),
                _ => false,
            };
            if map.get("@type").is_some_and(typed) {
                return Some(v);
            }
            map.get("@graph").and_then(find_news_article)
        }
        _ => None,
    }
}

fn is_article_type(t: &str) -> bool {
    t.ends_with("Article") || t == "BlogPosting" || t == "ReportageNewsArticle" || t == "Report"
}

fn text_of(v: &Value) -> Option<String> {
    let s = v.as_str()?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// A person or organisation as JSON-LD gives it: a string, `{"name": …}`, or a list of
/// either (joined with commas).
fn names_of(v: &Value) -> Option<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty() && !is_url(s)),
        Value::Object(m) => m.get("name").and_then(text_of),
        _ => None,
    };
    match v {
        Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(one).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        other => one(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Crimea talks | The Courier</title>
<link rel="canonical" href="https://courier.example/crimea-talks">
<meta property="og:title" content="OG title">
<meta property="og:site_name" content="The Courier">
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "The Courier"},
  {"@type": "NewsArticle", "headline": "Tatar leader: \"nothing changed\"",
   "datePublished": "2025-06-23T10:42:00+02:00",
   "dateModified": "2025-06-24T09:00:00+02:00",
   "author": [{"@type": "Person", "name": "Anna Reyes"}, {"@type": "Person", "name": "Li Wei"}],
   "publisher": {"@type": "Organization", "name": "The Courier Ltd"}}]}
</script>
<style>p { color: red }</style>
</head>
<body>
<header class="site-header"><a href="/">The Courier</a> <a href="/world">World</a></header>
<nav><ul><li><a href="/a">Politics</a></li></ul></nav>
<main>
<article>
  <h1>Tatar leader says nothing changed</h1>
  <div class="share-bar"><a href="#">Share on X</a> <a href="#">Email</a></div>
  <p>Mustafa Dzhemilev said on Monday:
     &ldquo;Putin promised to consider it, but nothing changed for three years.&rdquo;</p>
  <!-- an editor's comment: "not for print" -->
  <p>He added that the lawyer had told him: <q>They said <q>wait</q> again</q>.</p>
  <script>document.write("<p>injected</p>")</script>
  <p>Caf&eacute; owners &amp; others&nbsp;agreed.<br>A second line.</p>
  <aside><p>Read more: Another story about something else entirely</p></aside>
  <ul class="related-links"><li><a href="/x">Related: Crimea votes</a></li></ul>
  <figure><img src="a.jpg"><figcaption>A photo caption</figcaption></figure>
</article>
</main>
<footer><p>Copyright The Courier</p></footer>
</body></html>"##;

    /// A news page: its title and headline `title`, a navigation bar, and `body` as the
    /// article's markup.
    fn article_page(title: &str, body: &str) -> String {
        format!(
            "<html><head><title>{title}</title></head><body><nav><a href=\"/\">Home</a></nav>\
             <article><h1>{title}</h1>{body}</article></body></html>"
        )
    }

    /// The judge of prov's paragraphs, given the extractor's paragraphs.
    fn judged(theirs: &[&str], paragraph: &str) -> Option<String> {
        let whole: rustc_hash::FxHashSet<String> = theirs.iter().map(|p| comparable(p)).collect();
        let chosen: String = theirs.iter().map(|p| comparable(p)).collect();
        let mut judge = Judge {
            whole: &whole,
            chosen: chosen.as_bytes(),
            budget: usize::MAX,
            scans: 0,
        };
        judge.kept_part(paragraph.to_owned())
    }

    /// A sentence whose citation link the extractor dropped ("(1)") is still found by
    /// its beginning; a teaser sharing only a few words with the story is not.
    #[test]
    fn a_sentence_found_but_for_a_link_is_kept() {
        let theirs = [
            "Skinfold measurements have been used to estimate body fat for over 50 years ( \
             Skinfold calipers measure the thickness of your subcutaneous fat.",
        ];
        let cited = "Skinfold measurements have been used to estimate body fat for over 50 \
                     years (1).";
        assert_eq!(judged(&theirs, cited).as_deref(), Some(cited));
        let teaser = "Skinfold calipers: the ten best ways to lose weight before summer.";
        assert_eq!(judged(&theirs, teaser), None);
    }

    /// Of lines joined by `<br>`, only those the extractor kept are kept: a line of
    /// links it dropped goes; a short label goes unless it is one of the extractor's
    /// paragraphs beside a line kept.
    #[test]
    fn lines_the_extractor_left_out_are_left_out() {
        let theirs = [
            "You can download the new release here. Most distributors will package it soon.",
            "Dining and Drinking",
            "The hotel has four restaurants, each with a view of the sea and its islands.",
        ];
        let paragraph = "See the release notes and the changelog and the downloads page.\n\
                         You can download the new release here. Most distributors will \
                         package it soon.\nVon:\nMaintenance releases follow every few months.";
        assert_eq!(
            judged(&theirs, paragraph).as_deref(),
            Some("You can download the new release here. Most distributors will package it soon.")
        );
        let with_heading = "Dining and Drinking\nThe hotel has four restaurants, each with a \
                            view of the sea and its islands.";
        assert_eq!(judged(&theirs, with_heading).as_deref(), Some(with_heading));
        let label_alone = "Dining and Drinking\nBook a table with us online today, it is easy.";
        assert_eq!(judged(&theirs, label_alone), None);
    }

    /// Lines whose sentences the extractor mostly kept whole stay together, the one
    /// it left out (a quotation) with them.
    #[test]
    fn lines_mostly_kept_stay_together() {
        let theirs = [
            "The platform is part of a wider overhaul of the agency's websites announced in \
             the summer, with a new app and a redesigned home page for its missions.",
        ];
        let paragraph = "\"We launch more than rockets,\" the agency wrote.\nThe platform is \
                         part of a wider overhaul of the agency's websites announced in the \
                         summer, with a new app and a redesigned home page for its missions.";
        assert_eq!(judged(&theirs, paragraph).as_deref(), Some(paragraph));
    }

    /// A table set apart in a `<figure>` is story text where the extractor keeps it
    /// (figures hold tables and quotations as well as images); its caption is not.
    #[test]
    fn a_table_in_a_figure_is_kept_without_its_caption() {
        let para = |i: usize| {
            format!(
                "<p>Paragraph {i} of the report says the council approved the new budget \
                 after a long debate about schools, roads and the library in the town.</p>"
            )
        };
        let table = "<figure><table><thead><tr><th>Account</th><th>Fees</th></tr></thead>\
                     <tbody><tr><td>Card purchase</td><td>A fee will apply</td></tr>\
                     <tr><td>International transfer</td><td>Free deposit, 1 GBP withdrawal\
                     </td></tr></tbody></table><figcaption>Photo: the fees at a glance\
                     </figcaption></figure>";
        let body = format!("{}{}{table}{}{}", para(0), para(1), para(2), para(3));
        let page = article_page("Budget approved", &body);
        let text = article(&page).text;
        assert!(text.contains("Free deposit, 1 GBP withdrawal"), "{text:?}");
        assert!(!text.contains("Photo: the fees"), "{text:?}");
        assert!(text.contains("Paragraph 3 of the report"), "{text:?}");
    }

    /// A page saved in decomposed letters ("o" and a combining diaeresis, as some editors
    /// write them) is read in composed form, every paragraph of it: the extractor
    /// composes the letters it keeps, and the paragraphs still compare with its choice.
    #[test]
    fn decomposed_letters_are_read_composed() {
        let para = |i: usize| {
            format!(
                "Absatz {i}: Der Kindersitz muss sich mo\u{0308}glichst stramm im Fahrzeug \
                 einbauen lassen, sagte der Pru\u{0308}fer nach dem langen Test am Montag."
            )
        };
        let body: Vec<String> = (0..6).map(|i| format!("<p>{}</p>", para(i))).collect();
        let page = article_page("Kindersitze im Test", &body.concat());
        let text = article(&page).text;
        assert!(!text.contains('\u{0308}'), "{text:?}");
        for i in 0..6 {
            let composed = format!("Absatz {i}: Der Kindersitz muss sich möglichst stramm");
            assert!(text.contains(&composed), "{text:?}");
        }
    }

    /// A paragraph with a soft hyphen in it is the extractor's choice too: it drops the
    /// hyphen, prov keeps the character as written, and they compare without it.
    #[test]
    fn soft_hyphens_do_not_hide_a_paragraph() {
        let para = |i: usize| {
            format!(
                "Paragraph {i} of the report says the council approved the new budget after \
                 a long debate about schools, roads and the library in the town centre."
            )
        };
        let hyphenated = "The mayor said the decision was a victory for every Bürger\u{00AD}meister \
                          who had fought for the funding over many years of negotiation.";
        let mut body: Vec<String> = (0..5).map(|i| format!("<p>{}</p>", para(i))).collect();
        body.insert(2, format!("<p>{hyphenated}</p>"));
        let page = article_page("Budget approved", &body.concat());
        let text = article(&page).text;
        assert!(text.contains(hyphenated), "{text:?}");
        assert!(text.contains(&para(4)), "{text:?}");
    }

    /// A page rendered in the browser: its body an empty shell, the story only in its
    /// structured data. The extractor finds the story there; prov's reading of the
    /// body finds none of it, so the extractor's own paragraphs are the text.
    #[test]
    fn a_story_only_the_extractor_finds_is_kept_whole() {
        let sentence = "The committee voted to extend the programme for another three years \
                        after hearing evidence from teachers and parents in every region.";
        let body: Vec<String> = (0..8).map(|i| format!("{sentence} Point {i}.")).collect();
        let page = format!(
            r#"<html><head><title>Programme extended</title>
            <script type="application/ld+json">{{"@context": "https://schema.org",
            "@type": "NewsArticle", "headline": "Programme extended",
            "articleBody": "{}"}}</script></head>
            <body><div id="app"></div><footer>Copyright The Courier</footer></body></html>"#,
            body.join(" ")
        );
        let text = article(&page).text;
        for p in &body {
            assert!(text.contains(p.as_str()), "{p:?} missing from {text:?}");
        }
        assert!(!text.contains("Copyright"), "{text:?}");
    }

    #[test]
    fn article_text_keeps_the_story_and_drops_the_page() {
        let a = article(PAGE);
        assert_eq!(
            a.text,
            "Tatar leader says nothing changed\n\n\
             Mustafa Dzhemilev said on Monday: “Putin promised to consider it, but nothing \
             changed for three years.”\n\n\
             He added that the lawyer had told him: “They said ‘wait’ again”.\n\n\
             Café owners & others agreed.\nA second line."
        );
    }

    #[test]
    fn metadata_prefers_json_ld_then_open_graph_then_title() {
        let a = article(PAGE);
        assert_eq!(
            a.meta.title.as_deref(),
            Some("Tatar leader: \"nothing changed\"")
        );
        assert_eq!(a.meta.published.as_deref(), Some("2025-06-23T08:42:00Z"));
        assert_eq!(a.meta.modified.as_deref(), Some("2025-06-24T07:00:00Z"));
        assert_eq!(a.meta.author.as_deref(), Some("Anna Reyes, Li Wei"));
        assert_eq!(a.meta.outlet.as_deref(), Some("The Courier Ltd"));
        assert_eq!(a.meta.lang.as_deref(), Some("en"));
        assert_eq!(
            a.canonical.as_deref(),
            Some("https://courier.example/crimea-talks")
        );

        let og = article(
            r#"<head><title> Plain  title </title><meta property="og:title" content="OG title">
            <meta property="article:published_time" content="2024-01-02T03:04:05+0000">
            <meta property="article:modified_time" content="2024-02-03">
            <meta name="author" content="https://example.com/staff/x"></head><p>x</p>"#,
        );
        assert_eq!(og.meta.title.as_deref(), Some("OG title"));
        assert_eq!(og.meta.published.as_deref(), Some("2024-01-02"));
        assert_eq!(og.meta.modified.as_deref(), Some("2024-02-03"));
        assert_eq!(
            og.meta.author, None,
            "an author that is a URL is not a name"
        );

        let bare = article("<title> Plain\n title </title><p>x</p>");
        assert_eq!(bare.meta.title.as_deref(), Some("Plain title"));
        assert_eq!(bare.canonical, None);
    }

    #[test]
    fn pages_without_article_markup_use_the_densest_paragraphs() {
        let page = r#"<body><div id="menu"><p>Home About Contact Subscribe today now</p></div>
            <div class="col"><p>A short teaser that is long enough to count.</p></div>
            <div class="col">
              <p>"The first paragraph of the story is here," said the minister on Tuesday.</p>
              <p>The second paragraph of the story continues with more details.</p>
            </div>
            <div class="footer"><p>All rights reserved by the publisher of this page.</p></div>
            </body>"#;
        // prov's own rules, which read a page the extractor finds nothing in.
        assert_eq!(
            own_text(&Html::parse_document(page)),
            "\"The first paragraph of the story is here,\" said the minister on Tuesday.\n\n\
             The second paragraph of the story continues with more details."
        );
    }

    #[test]
    fn q_tags_become_quotation_marks_before_extraction() {
        assert_eq!(
            q_as_marks(r#"He said <q cite="x">go <Q>now</Q></q>, and <qa>left</qa>."#),
            "He said “go ‘now’”, and <qa>left</qa>."
        );
        assert!(matches!(
            q_as_marks("<p>no quotes</p>"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn the_extractors_choice_keeps_provs_paragraphs_and_quotation_marks() {
        let story = [
            "The council voted on Tuesday to close the old bridge across the river for repairs.",
            "The mayor said the work was overdue and that the crossing had become a danger to cyclists and walkers alike.",
            "Engineers found cracks in two of the bridge's supports during an inspection in the spring, the council said.",
        ];
        let page = format!(
            r#"<html><head><title>Bridge to close | The Courier</title></head><body>
            <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
            <article><h1>Bridge to close for repairs</h1>
            <p>{}</p><p>{} <q>It cannot wait another winter,</q> she added.</p><p>{}</p></article>
            <aside><h2>Most read</h2><ul><li><a href="/a">Local team wins the cup final</a></li>
            <li><a href="/b">Schools to reopen next week</a></li></ul></aside>
            <footer><p>Copyright The Courier. All rights reserved.</p></footer></body></html>"#,
            story[0], story[1], story[2]
        );
        let text = article(&page).text;
        for s in story {
            assert!(text.contains(s), "{text}");
        }
        assert!(
            text.contains("“It cannot wait another winter,” she added."),
            "{text}"
        );
        assert_eq!(text.matches("\n\n").count() + 1, text.split("\n\n").count());
        assert!(
            text.split("\n\n").any(|p| p == story[0]),
            "paragraphs stay apart: {text}"
        );
        for junk in ["Local team wins", "All rights reserved", "Sport"] {
            assert!(!text.contains(junk), "{junk}: {text}");
        }
    }

    #[test]
    fn pages_of_more_nodes_than_an_article_are_read_by_provs_rules_whole() {
        let n = MAX_EXTRACTOR_NODES / 2 + 1;
        let page = format!(
            "<html><body><article>{}</article></body></html>",
            "<p>One more paragraph of the long page.</p>".repeat(n)
        );
        let text = article(&page).text;
        assert_eq!(text.split("\n\n").count(), n);
    }

    #[test]
    fn broken_markup_and_empty_pages_do_not_fail() {
        assert_eq!(article("").text, "");
        assert_eq!(
            article("<p>unclosed <b>bold <i>text").text,
            "unclosed bold text"
        );
        assert_eq!(article("just text, no tags").text, "just text, no tags");
        let json = article(r#"<script type="application/ld+json">{not json</script><p>ok</p>"#);
        assert_eq!(json.text, "ok");
        assert_eq!(json.meta.title, None);
    }

    #[test]
    fn charsets_follow_bom_then_http_then_meta() {
        let latin1 = b"<meta charset=\"iso-8859-1\"><p>caf\xE9</p>";
        let (text, enc) = decode(latin1, None);
        assert!(text.contains("café"));
        assert_eq!(enc, "windows-1252");
        let (text, enc) = decode("<p>café</p>".as_bytes(), Some("utf-8"));
        assert!(text.contains("café"));
        assert_eq!(enc, "utf-8");
        let (_, enc) = decode(b"<p>caf\xE9</p>", None);
        assert_eq!(enc, "windows-1252", "invalid UTF-8 without a charset");
        let (text, _) = decode(b"\xEF\xBB\xBF<p>x</p>", Some("iso-8859-1"));
        assert_eq!(text, "<p>x</p>", "a BOM wins over the server");
        // Declared UTF-8, written in Latin-1: read as what it is, not as U+FFFD.
        let (text, enc) = decode(b"<p>\x93Caf\xE9 cr\xE8me,\x94 she said.</p>", Some("utf-8"));
        assert_eq!(text, "<p>“Café crème,” she said.</p>");
        assert_eq!(enc, "windows-1252");
        let (text, _) = decode(b"<meta charset=utf-8><p>caf\xE9</p>", None);
        assert!(text.contains("café"), "{text}");
        // Real UTF-8 with one stray byte stays UTF-8: its other letters are right.
        let (text, enc) = decode(
            "<p>café \u{2014} na\u{ef}ve</p>\u{0}".as_bytes(),
            Some("utf-8"),
        );
        assert_eq!(enc, "utf-8");
        assert!(text.contains("café"), "{text}");
        let mut mixed = "<p>café</p>".as_bytes().to_vec();
        mixed.push(0xE9);
        let (text, enc) = decode(&mixed, Some("utf-8"));
        assert_eq!(enc, "utf-8");
        assert!(text.starts_with("<p>café</p>"), "{text}");
    }

    #[test]
    fn sniffing_finds_html_only_at_the_start() {
        assert!(sniff(b"  <!DOCTYPE html><html>"));
        assert!(sniff(b"\xEF\xBB\xBF<HTML lang=en>"));
        assert!(!sniff(b"He wrote <html> in a sentence."));
    }
}
