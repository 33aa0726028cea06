//! Drafts as a reader sees them, with a map back to the file as written.
//!
//! Markdown and plain text keep their bytes, except that the line breaks inside a
//! hard-wrapped paragraph become spaces and blockquote markers (`>`) become blanks, so a
//! quotation running over two lines is one quotation. HTML is tokenized: tags, comments,
//! scripts and styles are dropped, block elements end paragraphs, every named and numeric
//! character reference is decoded (`It&rsquo;s` is `It’s`), and `<q>` reads as the
//! quotation marks a browser shows. Every offset of the text checked maps back to the
//! file's own byte offset ([`Draft::origin`]), so findings point at the file's lines and
//! columns.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

/// How a draft file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftFormat {
    Markdown,
    Text,
    Html,
}

impl DraftFormat {
    /// From the file name: `.html`/`.htm` are HTML, `.md`/`.markdown` Markdown, the rest
    /// plain text.
    pub fn of_path(path: &Path) -> DraftFormat {
        let ext = path
            .extension()
            .and_then(|x| x.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" | "xhtml" => DraftFormat::Html,
            "md" | "markdown" => DraftFormat::Markdown,
            _ => DraftFormat::Text,
        }
    }
}

/// A draft read for checking.
#[derive(Debug, Clone)]
pub struct Draft {
    /// What is checked.
    pub text: String,
    /// Points where text and file offsets stop advancing together: from `(t, f)` on,
    /// text offset `t + k` is file offset `f + k` (up to the next point). Ascending.
    anchors: Vec<(usize, usize)>,
    /// Text ranges an HTML draft quotes with `<q cite>` or `<blockquote cite>`, and the
    /// URL cited.
    cited: Vec<(Range<usize>, String)>,
    /// Markdown (or text) keeps its inline markup in `text`, offsets being the file's;
    /// [`Draft::as_read`] takes it out of a quotation.
    inline_markup: bool,
}

impl Draft {
    pub fn read(source: &str, format: DraftFormat) -> Draft {
        let mut draft = match format {
            DraftFormat::Html => read_html(source),
            DraftFormat::Markdown | DraftFormat::Text => Draft {
                text: join_wrapped_lines(source),
                anchors: vec![(0, 0)],
                cited: Vec::new(),
                inline_markup: format == DraftFormat::Markdown,
            },
        };
        draft.text = single_quotes_as_double(&draft.text);
        if format != DraftFormat::Html {
            let (text, anchors) = quote_blockquotes(source, &draft.text);
            if let Some(anchors) = anchors {
                draft.text = text;
                draft.anchors = anchors;
            }
        }
        draft
    }

    /// The file offset of text offset `at` (a character synthesised for a tag maps to
    /// the tag).
    pub fn origin(&self, at: usize) -> usize {
        origin_in(&self.anchors, at)
    }

    /// The paragraph of the text holding offset `at`: from the blank line before it to
    /// the blank line after (HTML block elements end paragraphs with one).
    pub fn paragraph(&self, at: usize) -> Range<usize> {
        let at = at.min(self.text.len());
        let start = self.text[..at].rfind("\n\n").map_or(0, |i| i + 2);
        let end = self.text[at..]
            .find("\n\n")
            .map_or(self.text.len(), |i| at + i);
        start..end
    }

    /// A quotation of the text (`text[q.start..q.end]`) as a reader sees it: in Markdown,
    /// a link inside it (`[text](URL)`, `[text][label]`, `[text][]`) reads as its text, a
    /// footnote marker (`[^1]`) and inline HTML tags (`<em>`) as nothing. Bracketed words
    /// that are no link (`[the minister]`) are the writer's insertion and stay.
    pub fn as_read<'q>(&self, quote: &'q str) -> Cow<'q, str> {
        if !self.inline_markup || !quote.contains(['[', '<']) {
            return Cow::Borrowed(quote);
        }
        Cow::Owned(without_inline_markup(quote))
    }

    /// The text as extraction should read it to find quotations and who said them: in
    /// Markdown, a citation after a quotation blanked out, so `Sanders said:` before
    /// `“…” [the statement](URL)` still gives the quotation its speaker. Byte for byte as
    /// long as [`Draft::text`], so offsets are shared.
    pub fn for_extraction(&self) -> Cow<'_, str> {
        if !self.inline_markup || !self.text.contains('[') {
            return Cow::Borrowed(&self.text);
        }
        Cow::Owned(blank_citations_after_quotations(&self.text))
    }

    /// The URL a `<q cite>` or `<blockquote cite>` around text offset `at` cites; the
    /// innermost wins.
    pub fn cite_at(&self, at: usize) -> Option<&str> {
        self.cited
            .iter()
            .filter(|(r, _)| r.start <= at && at <= r.end)
            .min_by_key(|(r, _)| r.end - r.start)
            .map(|(_, url)| url.as_str())
    }
}

/// The file offset of text offset `at` under `anchors` (see [`Draft`]'s field).
fn origin_in(anchors: &[(usize, usize)], at: usize) -> usize {
    let i = anchors.partition_point(|&(t, _)| t <= at);
    let Some(&(t, f)) = i.checked_sub(1).and_then(|i| anchors.get(i)) else {
        return at;
    };
    let mapped = f + (at - t);
    match anchors.get(i) {
        Some(&(_, next)) => mapped.min(next),
        None => mapped,
    }
}

/// Markdown's inline links, footnote markers and HTML tags taken out of `s`, their text
/// kept ([`Draft::as_read`]).
fn without_inline_markup(s: &str) -> String {
    rewrite_markup(s, |rest, _| {
        if let Some(skip) = footnote_marker(rest).or_else(|| inline_tag(rest)) {
            return Some((skip, String::new()));
        }
        link(rest).map(|(text, skip)| (skip, text.to_owned()))
    })
}

/// `s` with the citations that follow quotations blanked out: a link or footnote marker
/// right after a closing quotation mark (`“…” [the statement](URL)[^1]`) is the
/// quotation's source, not words of its sentence ([`Draft::for_extraction`]). Other links
/// keep their markup, which extraction reads past as it always has. As long as `s`.
fn blank_citations_after_quotations(s: &str) -> String {
    rewrite_markup(s, |rest, before| {
        let skip = footnote_marker(rest).or_else(|| link(rest).map(|(_, skip)| skip))?;
        cites_what_precedes(before).then(|| (skip, " ".repeat(skip)))
    })
}

/// `s` with each piece of markup `claim` recognises replaced: at every character,
/// `claim(rest, written)` (what is left of `s`, what was written so far) may return how
/// many bytes of `rest` it takes and what stands for them.
fn rewrite_markup(s: &str, mut claim: impl FnMut(&str, &str) -> Option<(usize, String)>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if let Some((skip, with)) = claim(rest, &out) {
            out.push_str(&with);
            i += skip;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Whether `before` ends with a closing quotation mark, give or take spaces and the
/// punctuation that follows one (`”.`, `” (`).
fn cites_what_precedes(before: &str) -> bool {
    before
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '('))
        .ends_with(['”', '"', '»', '’'])
}

/// The length of a footnote marker `[^label]` at the start of `s`.
fn footnote_marker(s: &str) -> Option<usize> {
    let label = s.strip_prefix("[^")?;
    let end = label.find(']')?;
    (end > 0 && !label[..end].contains(|c: char| c.is_whitespace() || c == '['))
        .then_some(2 + end + 1)
}

/// A link at the start of `s`: `[text](destination)`, `[text][label]` or `[text][]`; its
/// text and length.
fn link(s: &str) -> Option<(&str, usize)> {
    let inner = s.strip_prefix('[')?;
    let close = inner.find(']')?;
    let text = &inner[..close];
    if text.contains('[') {
        return None;
    }
    let after = &inner[close + 1..];
    let (open, shut) = match after.chars().next() {
        Some('(') => ('(', ')'),
        Some('[') => ('[', ']'),
        _ => return None,
    };
    let target = &after[1..];
    let end = target.find(shut)?;
    if target[..end].contains(open) || (shut == ')' && target[..end].trim().is_empty()) {
        return None;
    }
    Some((text, 1 + close + 1 + 1 + end + 1))
}

/// The length of an inline HTML tag (`<em>`, `</a>`, `<a href="…">`, `<br/>`) at the
/// start of `s`.
fn inline_tag(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('<')?;
    let name = rest.strip_prefix('/').unwrap_or(rest);
    let name_len = name
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(name.len());
    // A tag name starts with a letter and ends at a blank, `/` or `>`: not "a < b", nor an
    // autolink `<https://…>`.
    if !name.starts_with(|c: char| c.is_ascii_alphabetic())
        || !name[name_len..].starts_with(|c: char| c.is_whitespace() || c == '/' || c == '>')
    {
        return None;
    }
    let end = rest.find('>')?;
    (!rest[..end].contains(['<', '\n', '“', '”'])).then_some(1 + end + 1)
}

/// The first non-blank of a line after at most three spaces of indentation, or `None`
/// when the line is blank or indented as code.
fn block_start(line: &str) -> Option<&str> {
    let trimmed = line.trim_start_matches(' ');
    if trimmed.trim().is_empty() || line.len() - trimmed.len() > 3 || trimmed.starts_with('\t') {
        return None;
    }
    Some(trimmed)
}

/// Whether a line opens a Markdown block of its own, so the line before does not run on
/// into it: a heading, list item, blockquote, table row, fence, rule, footnote or link
/// definition, or an HTML block.
fn opens_block(trimmed: &str, in_list: bool) -> bool {
    // A list interrupts a paragraph only when it starts at 1 (CommonMark): "by\n2005. That"
    // is one paragraph; in a list, "2. " is the next item.
    let list_marker = match list_item(trimmed) {
        Some(number) => in_list || number.is_none_or(|n| n == 1),
        None => false,
    };
    let rule = {
        let marks: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
        marks.len() >= 3
            && (marks.chars().all(|c| c == '-')
                || marks.chars().all(|c| c == '*')
                || marks.chars().all(|c| c == '_')
                || marks.chars().all(|c| c == '='))
    };
    list_marker
        || rule
        || is_heading(trimmed)
        || trimmed.starts_with('>')
        || trimmed.starts_with('|')
        || trimmed.starts_with("```")
        || trimmed.starts_with("~~~")
        || is_html_block(trimmed)
        || is_definition(trimmed)
}

/// A list item's marker at the start of a line: `Some(None)` for a bullet, `Some(Some(n))`
/// for an ordered item numbered `n`.
fn list_item(trimmed: &str) -> Option<Option<u64>> {
    let bytes = trimmed.as_bytes();
    if matches!(bytes, [b'-' | b'*' | b'+', b' ' | b'\t', ..]) {
        return Some(None);
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    ((1..=9).contains(&digits)
        && matches!(
            &bytes[digits..],
            [b'.' | b')', b' ' | b'\t', ..] | [b'.' | b')']
        ))
    .then(|| trimmed[..digits].parse().ok())
}

/// An ATX heading: one to six `#` and a blank or the end of the line (`#1` is text).
fn is_heading(trimmed: &str) -> bool {
    let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && matches!(trimmed.as_bytes().get(hashes), None | Some(b' ' | b'\t'))
}

/// HTML that starts a block and so ends a paragraph (CommonMark's kinds 1 to 6): a
/// comment, a processing instruction or declaration, or a block element's tag. Inline
/// HTML (`<em>`, `<a href>`) at the start of a wrapped line is the paragraph's text.
fn is_html_block(trimmed: &str) -> bool {
    const BLOCK: &[&str] = &[
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "details",
        "dialog",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hr",
        "html",
        "iframe",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "script",
        "section",
        "style",
        "summary",
        "table",
        "tbody",
        "td",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ];
    let Some(rest) = trimmed.strip_prefix('<') else {
        return false;
    };
    if rest.starts_with(['!', '?']) {
        return true;
    }
    let name = rest.strip_prefix('/').unwrap_or(rest);
    let len = name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    BLOCK.contains(&name[..len].to_ascii_lowercase().as_str())
}

/// A footnote (`[^1]: …`) or link reference definition (`[label]: URL`).
fn is_definition(trimmed: &str) -> bool {
    trimmed.starts_with('[')
        && trimmed
            .find("]:")
            .is_some_and(|i| !trimmed[1..i].contains(['[', ']']))
}

/// Markdown or text with each paragraph on one line: a line break between two lines of
/// one paragraph becomes a space (a CR before it too), and blockquote markers become
/// blanks. Byte for byte the same length, so offsets are the file's own.
fn join_wrapped_lines(source: &str) -> String {
    let mut bytes = source.as_bytes().to_vec();
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1));
    let line = |k: usize| line_at(source, &starts, k);
    let mut in_fence = false;
    // Whether the paragraph line `k` belongs to is a list item's (so "2. " after it is
    // the next item), and whether line `k` was joined to the line before.
    let mut in_list = false;
    let mut joined = false;
    for k in 0..starts.len() {
        let this = line(k);
        let first = block_start(this);
        if !joined {
            in_list = first.is_some_and(|f| list_item(f.trim_start_matches(['>', ' '])).is_some());
        }
        joined = false;
        if first.is_some_and(|f| f.starts_with("```") || f.starts_with("~~~")) {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        // Blockquote markers: `> > text` reads as `    text`.
        let mut quoted = false;
        if let Some(f) = first.filter(|f| f.starts_with('>')) {
            quoted = true;
            let at = starts[k] + (this.len() - f.len());
            let mut i = at;
            while i < starts[k] + this.len() && matches!(bytes[i], b'>' | b' ') {
                if bytes[i] == b'>' {
                    bytes[i] = b' ';
                }
                i += 1;
            }
        }
        let Some(&next_start) = starts.get(k + 1) else {
            break;
        };
        let next = line(k + 1);
        let (Some(first), Some(next_first)) = (first, block_start(next)) else {
            continue;
        };
        let next_quoted = next_first.starts_with('>');
        let joins = if quoted || next_quoted {
            // Two lines of one blockquote paragraph.
            quoted && next_quoted && {
                let rest = next_first.trim_start_matches(['>', ' ']);
                !rest.is_empty() && !opens_block(rest, in_list)
            }
        } else {
            !is_heading(first)
                && !first.starts_with('|')
                && !is_definition(first)
                && !opens_block(next_first, in_list)
        };
        if joins {
            joined = true;
            let newline = next_start - 1;
            bytes[newline] = b' ';
            if newline > 0 && bytes[newline - 1] == b'\r' {
                bytes[newline - 1] = b' ';
            }
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes.
    String::from_utf8(bytes).unwrap_or_else(|_| source.to_owned())
}

/// Marks that make a blockquote a quotation already.
const QUOTE_MARKS: &[char] = &['"', '“', '”', '„', '«', '»'];

/// A Markdown blockquote introduced as speech (`Gibbs said:` ending the paragraph before
/// it) and holding no quotation marks of its own is the quotation: it reads wrapped in
/// marks, the opening one in place of the blank before its first word and the closing one
/// added after its last, with the offset map (`anchors`) that keeps findings at the
/// file's lines and columns. `text` is the draft as [`join_wrapped_lines`] reads it;
/// returns it unchanged (and no map) when no blockquote qualifies.
fn quote_blockquotes(source: &str, text: &str) -> (String, Option<Vec<(usize, usize)>>) {
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1));
    // (first content byte, end of content) of each qualifying blockquote paragraph.
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < starts.len() {
        let line = line_at(source, &starts, k);
        let marker = |line: &str, at: usize| {
            let f = line.trim_start();
            // A marker prov blanked (a `>` in a code fence stays).
            f.starts_with('>') && text.as_bytes().get(at + (line.len() - f.len())) == Some(&b' ')
        };
        if !marker(line, starts[k]) {
            k += 1;
            continue;
        }
        let first = k;
        let mut end = starts[k];
        while k < starts.len() {
            let l = line_at(source, &starts, k);
            let content = l.trim_start().trim_start_matches(['>', ' ', '\t']);
            if !marker(l, starts[k]) || content.trim().is_empty() {
                break;
            }
            end = starts[k] + l.trim_end().len();
            k += 1;
        }
        let head = line_at(source, &starts, first);
        let lead = head.len() - head.trim_start().trim_start_matches(['>', ' ', '\t']).len();
        let begin = starts[first] + lead;
        if begin >= end || begin == 0 {
            k = k.max(first + 1);
            continue;
        }
        let body = &text[begin..end];
        let intro = text[..starts[first]].trim_end();
        // A heading ending in a colon introduces a section, not speech.
        let intro_line = intro.rsplit('\n').next().unwrap_or(intro);
        if !body.contains(QUOTE_MARKS)
            && intro.ends_with(':')
            && !intro_line.trim_start().starts_with('#')
            && text.as_bytes()[begin - 1] == b' '
        {
            found.push((begin, end));
        }
        k = k.max(first + 1);
    }
    if found.is_empty() {
        return (text.to_owned(), None);
    }
    let mut out = String::with_capacity(text.len() + found.len());
    let mut anchors = vec![(0, 0)];
    let mut from = 0;
    for (begin, end) in found {
        out.push_str(&text[from..begin - 1]);
        out.push('"');
        out.push_str(&text[begin..end]);
        out.push('"');
        // The added mark maps to the end of the blockquote, and what follows is the
        // file's own text one byte on.
        anchors.push((out.len(), end));
        from = end;
    }
    out.push_str(&text[from..]);
    (out, Some(anchors))
}

/// Line `k` (0-based) of `source`, without its line break.
fn line_at<'s>(source: &'s str, starts: &[usize], k: usize) -> &'s str {
    let end = starts.get(k + 1).map_or(source.len(), |&next| next - 1);
    source[starts[k]..end].trim_end_matches('\r')
}

/// UK-style quotations read as quotations: on a line with no double quotation mark,
/// each pair of single marks (`‘…’`, `'…'`) becomes a pair of double ones, byte for byte
/// the same length. An apostrophe (a mark between letters, as in "it's" or "Turkiye’s")
/// neither opens nor closes one; single marks nested in double ones are left alone.
fn single_quotes_as_double(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if !line.contains(['“', '”', '"']) {
            convert_line(line, line_start, &mut bytes);
        }
        line_start += line.len();
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned())
}

fn convert_line(line: &str, offset: usize, bytes: &mut [u8]) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let letter = |k: usize| chars.get(k).is_some_and(|(_, c)| c.is_alphanumeric());
    let mut open: Option<usize> = None;
    for k in 0..chars.len() {
        let (at, c) = chars[k];
        let before_ok = k == 0 || {
            let p = chars[k - 1].1;
            p.is_whitespace() || matches!(p, '(' | '[' | '—' | '–' | '-' | ':')
        };
        let is_open = match c {
            '‘' => true,
            '\'' => before_ok && letter(k + 1),
            _ => false,
        };
        let is_close = matches!(c, '’' | '\'')
            && k > 0
            && !chars[k - 1].1.is_whitespace()
            && !(letter(k.wrapping_sub(1)) && letter(k + 1));
        match open {
            None if is_open => open = Some(at),
            Some(o) if is_close => {
                for pos in [o, at] {
                    let i = offset + pos;
                    if bytes[i] == b'\'' {
                        bytes[i] = b'"';
                    } else {
                        // ‘ (E2 80 98) and ’ (E2 80 99) become “ (E2 80 9C) and ” (E2 80 9D).
                        bytes[i + 2] = if pos == o { 0x9c } else { 0x9d };
                    }
                }
                open = None;
            }
            _ => {}
        }
    }
}

/// Elements that end a paragraph in a draft besides those that do in an article
/// ([`crate::text::html::BLOCKS`]): article reading skips these altogether.
const DRAFT_BLOCKS: &[&str] = &[
    "aside",
    "figcaption",
    "figure",
    "footer",
    "form",
    "head",
    "nav",
];

/// Elements whose content is not text a reader sees.
const RAW: &[&str] = &[
    "script", "style", "textarea", "title", "template", "noscript", "svg", "math",
];

/// A tag as read from the file.
struct Tag {
    name: String,
    closing: bool,
    attrs: Vec<(String, String)>,
    /// Byte offset just past its `>`.
    end: usize,
}

/// Open `<q>` and `<blockquote>` elements tracked for their `cite`, at most: deeper ones
/// still read as quotation marks, so hostile nesting costs no more than this per tag.
const MAX_OPEN: usize = 64;

/// Builds the text of an HTML draft and its offset map.
struct HtmlReader<'a> {
    src: &'a str,
    out: String,
    anchors: Vec<(usize, usize)>,
    cited: Vec<(Range<usize>, String)>,
    /// Open `<q>` and `<blockquote>` elements: which, text start, cite.
    open: Vec<(Quoting, usize, Option<String>)>,
}

/// The elements that quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    Q,
    Blockquote,
}

impl HtmlReader<'_> {
    /// The file offset text offset `at` comes from, as [`Draft::origin`] maps it.
    fn origin_of(&self, at: usize) -> usize {
        origin_in(&self.anchors, at)
    }

    /// Inserts `s` into the text at `at`, mapped to the file offset `at` comes from. Only
    /// what follows `at` moves, so inserting near the end (as a closing blockquote does)
    /// costs what follows, not the whole draft.
    fn insert(&mut self, at: usize, s: &str) {
        let file = self.origin_of(at);
        self.out.insert_str(at, s);
        let k = self.anchors.partition_point(|a| a.0 < at);
        for a in &mut self.anchors[k..] {
            a.0 += s.len();
        }
        self.anchors.insert(k, (at, file));
        self.anchors.insert(k + 1, (at + s.len(), file));
    }

    /// Emits `s` for the file range `from..to` (a tag or a character reference).
    fn emit(&mut self, s: &str, from: usize, to: usize) {
        self.anchors.push((self.out.len(), from));
        self.out.push_str(s);
        self.anchors.push((self.out.len(), to));
    }

    /// Ends the paragraph (once) at the tag `from..to`.
    fn paragraph_break(&mut self, from: usize, to: usize) {
        if self.out.is_empty() || self.out.ends_with("\n\n") {
            self.anchors.push((self.out.len(), to));
            return;
        }
        let s = if self.out.ends_with('\n') {
            "\n"
        } else {
            "\n\n"
        };
        self.emit(s, from, to);
    }
}

fn read_html(src: &str) -> Draft {
    let mut r = HtmlReader {
        src,
        out: String::with_capacity(src.len()),
        anchors: vec![(0, 0)],
        cited: Vec::new(),
        open: Vec::new(),
    };
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                let rest = &src[i..];
                if rest.starts_with("<!--") {
                    let end = rest.find("-->").map_or(src.len(), |e| i + e + 3);
                    r.anchors.push((r.out.len(), end));
                    i = end;
                } else if rest.starts_with("<!") || rest.starts_with("<?") {
                    let end = rest.find('>').map_or(src.len(), |e| i + e + 1);
                    r.anchors.push((r.out.len(), end));
                    i = end;
                } else if let Some(tag) = read_tag(src, i) {
                    i = on_tag(&mut r, tag, i);
                } else {
                    r.out.push('<');
                    i += 1;
                }
            }
            b'&' => match char_reference(src, i) {
                Some((decoded, end)) => {
                    r.emit(&decoded, i, end);
                    i = end;
                }
                None => {
                    r.out.push('&');
                    i += 1;
                }
            },
            b'\n' | b'\r' | b'\t' | b'\x0c' => {
                // Whitespace in HTML text is a space; lines come from elements.
                r.out.push(' ');
                i += 1;
            }
            _ => {
                let c = src[i..].chars().next().unwrap_or(' ');
                r.out.push(c);
                i += c.len_utf8();
            }
        }
    }
    // Quotations left open at the end still bind to their cite.
    while let Some((_, start, cite)) = r.open.pop() {
        if let Some(url) = cite {
            r.cited.push((start..r.out.len(), url));
        }
    }
    Draft {
        text: r.out,
        anchors: r.anchors,
        cited: r.cited,
        inline_markup: false,
    }
}

/// Handles a tag starting at `at`; returns where reading goes on.
fn on_tag(r: &mut HtmlReader<'_>, tag: Tag, at: usize) -> usize {
    let name = tag.name.as_str();
    if !tag.closing && RAW.contains(&name) {
        // Skip to the matching end tag.
        let end = end_of_raw_text(r.src, tag.end, name);
        r.anchors.push((r.out.len(), end));
        return end;
    }
    let cite = tag
        .attrs
        .iter()
        .find(|(k, _)| k == "cite")
        .map(|(_, v)| v.clone())
        .filter(|v| !v.trim().is_empty());
    match (name, tag.closing) {
        ("q", false) => {
            r.emit("“", at, tag.end);
            if r.open.len() < MAX_OPEN {
                r.open.push((Quoting::Q, r.out.len(), cite));
            }
        }
        ("q", true) => {
            close(r, Quoting::Q);
            r.emit("”", at, tag.end);
        }
        ("br", _) => r.emit("\n", at, tag.end),
        ("blockquote", false) => {
            r.paragraph_break(at, tag.end);
            if r.open.len() < MAX_OPEN {
                r.open.push((Quoting::Blockquote, r.out.len(), cite));
            }
        }
        ("blockquote", true) => {
            quote_blockquote(r);
            close(r, Quoting::Blockquote);
            r.paragraph_break(at, tag.end);
        }
        _ if crate::text::html::BLOCKS.contains(&name) || DRAFT_BLOCKS.contains(&name) => {
            r.paragraph_break(at, tag.end)
        }
        _ => r.anchors.push((r.out.len(), tag.end)),
    }
    tag.end
}

/// Where the raw text of element `name` starting at `from` ends: past its end tag
/// (matched without regard to case), or the end of the file.
fn end_of_raw_text(src: &str, from: usize, name: &str) -> usize {
    let bytes = src.as_bytes();
    let mut i = from;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + lt;
        let tag = &bytes[at + 1..];
        if tag.first() == Some(&b'/')
            && tag.len() > name.len()
            && tag[1..=name.len()].eq_ignore_ascii_case(name.as_bytes())
            && !tag
                .get(name.len() + 1)
                .is_some_and(u8::is_ascii_alphanumeric)
        {
            return memchr::memchr(b'>', &bytes[at..]).map_or(src.len(), |g| at + g + 1);
        }
        i = at + 1;
    }
    src.len()
}

/// Before the innermost open `<blockquote>` closes: one that cites
/// its source or follows a paragraph introducing speech (`Gibbs said:`), holds one
/// paragraph and no quotation marks of its own, is the quotation, and reads wrapped in
/// marks (each mapped to the nearest tag).
fn quote_blockquote(r: &mut HtmlReader<'_>) {
    let Some(&(_, start, ref cite)) = r
        .open
        .iter()
        .rev()
        .find(|(w, ..)| *w == Quoting::Blockquote)
    else {
        return;
    };
    let body = r.out[start..].trim();
    let introduced = cite.is_some() || r.out[..start].trim_end().ends_with(':');
    if body.is_empty() || body.contains(QUOTE_MARKS) || body.contains("\n\n") || !introduced {
        return;
    }
    // The marks go where the blockquote's text starts and ends; what was written after
    // each moves on by its length.
    let before = start + (r.out[start..].len() - r.out[start..].trim_start().len());
    let after = r.out.trim_end().len();
    r.insert(after, "”");
    r.insert(before, "“");
}

/// Closes the innermost open element `name`, recording its cite.
fn close(r: &mut HtmlReader<'_>, which: Quoting) {
    if let Some(k) = r.open.iter().rposition(|(w, ..)| *w == which) {
        let (_, start, cite) = r.open.remove(k);
        if let Some(url) = cite {
            r.cited.push((start..r.out.len(), url));
        }
    }
}

/// Reads the tag starting at `at` (`<name …>` or `</name>`), with its attributes (values
/// decoded); `None` when `<` does not start a tag, as in "a < b".
fn read_tag(src: &str, at: usize) -> Option<Tag> {
    let bytes = src.as_bytes();
    let mut i = at + 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let name_start = i;
    while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>') {
        i += 1;
    }
    let name = src[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'/') {
            i += 1;
        }
        match bytes.get(i) {
            None => {
                return Some(Tag {
                    name,
                    closing,
                    attrs,
                    end: src.len(),
                });
            }
            Some(b'>') => {
                return Some(Tag {
                    name,
                    closing,
                    attrs,
                    end: i + 1,
                });
            }
            _ => {}
        }
        let key_start = i;
        while i < bytes.len()
            && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>' | b'=')
        {
            i += 1;
        }
        let key = src[key_start..i].to_ascii_lowercase();
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                i += 1;
            }
            let (start, end) = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = memchr::memchr(q, &bytes[start..]).map_or(src.len(), |e| start + e);
                    i = (end + 1).min(src.len());
                    (start, end)
                }
                _ => {
                    let start = i;
                    while i < bytes.len()
                        && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'>')
                    {
                        i += 1;
                    }
                    (start, i)
                }
            };
            value = decode_references(&src[start..end]);
        }
        if key_start == i {
            // Not an attribute character at all: step over it.
            i += 1;
            continue;
        }
        attrs.push((key, value));
    }
}

/// `s` with every character reference decoded (attribute values).
fn decode_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s.as_bytes()[i] == b'&'
            && let Some((decoded, end)) = char_reference(s, i)
        {
            out.push_str(&decoded);
            i = end;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Longest named reference, in bytes, without its `&` (`&CounterClockwiseContourIntegral;`).
const LONGEST_NAME: usize = 32;

/// The character reference at `at` (`&name;`, `&#NNN;`, `&#xHH;`, or a legacy name
/// without its `;` such as `&amp`), decoded as HTML does, and the offset past it.
fn char_reference(src: &str, at: usize) -> Option<(String, usize)> {
    let bytes = src.as_bytes();
    let mut i = at + 1;
    if bytes.get(i) == Some(&b'#') {
        i += 1;
        let hex = matches!(bytes.get(i), Some(b'x' | b'X'));
        if hex {
            i += 1;
        }
        let start = i;
        while i < bytes.len()
            && (if hex {
                bytes[i].is_ascii_hexdigit()
            } else {
                bytes[i].is_ascii_digit()
            })
        {
            i += 1;
        }
        if i == start {
            return None;
        }
        let digits = &src[start..i];
        let value = u32::from_str_radix(digits, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        if bytes.get(i) == Some(&b';') {
            i += 1;
        }
        return Some((numeric_char(value).to_string(), i));
    }
    let name_end = (i..bytes.len().min(i + LONGEST_NAME))
        .find(|&k| !bytes[k].is_ascii_alphanumeric())
        .unwrap_or(bytes.len().min(i + LONGEST_NAME));
    if name_end == i {
        return None;
    }
    // The longest name that is a reference: `&notin;` before `&not`.
    let with_semicolon = bytes.get(name_end) == Some(&b';');
    let mut candidates = Vec::new();
    if with_semicolon {
        candidates.push(&src[i..=name_end]);
    }
    candidates.extend((i + 1..=name_end).rev().map(|end| &src[i..end]));
    for name in candidates {
        // The table also lists every prefix of a name, as (0, 0), for tokenizers that
        // read one character at a time.
        if let Some(&(first, second)) = markup5ever::data::NAMED_ENTITIES
            .get(name)
            .filter(|(first, _)| *first != 0)
        {
            let mut s = String::new();
            s.extend(char::from_u32(first));
            if second != 0 {
                s.extend(char::from_u32(second));
            }
            return Some((s, i + name.len()));
        }
    }
    None
}

/// A numeric reference's character, with the replacements HTML makes: C1 controls read as
/// Windows-1252 (`&#150;` is "–"), and nothing that is not a character.
fn numeric_char(value: u32) -> char {
    match value {
        0 => '\u{fffd}',
        0x80..=0x9f => markup5ever::data::C1_REPLACEMENTS[(value - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(value).unwrap_or('\u{fffd}')),
        _ => char::from_u32(value).unwrap_or('\u{fffd}'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(d: &Draft, needle: &str) -> usize {
        d.text.find(needle).unwrap()
    }

    #[test]
    fn a_hard_wrapped_paragraph_is_one_line_and_blocks_stay_apart() {
        let src = "# Heading\nShe said: “I believe it must be decided by the\nvoters, not by judges.”\n\n- one\n- two\n> quoted\n> on\n> two lines\n\n[^1]: [NYT](https://x.test/a)\n";
        let d = Draft::read(src, DraftFormat::Markdown);
        assert_eq!(d.text.len(), src.len());
        assert!(
            d.text.contains("decided by the voters, not"),
            "{:?}",
            d.text
        );
        assert!(d.text.starts_with("# Heading\nShe"), "{:?}", d.text);
        assert!(d.text.contains("- one\n- two\n"), "{:?}", d.text);
        assert!(d.text.contains("  quoted   on   two lines"), "{:?}", d.text);
        assert!(d.text.contains("\n[^1]:"), "{:?}", d.text);
        let v = at(&d, "voters");
        assert_eq!(d.origin(v), src.find("voters").unwrap());
    }

    #[test]
    fn single_quoted_speech_reads_as_quoted() {
        let src = "‘Owing to Turkiye’s support, we win,’ he said. 'It's done,' she added.\n\nHe said “a ‘nested’ one” and the states' rights.\n";
        let d = Draft::read(src, DraftFormat::Text);
        assert_eq!(d.text.len(), src.len());
        assert!(
            d.text.starts_with(
                "“Owing to Turkiye’s support, we win,” he said. \"It's done,\" she added.\n"
            ),
            "{:?}",
            d.text
        );
        assert!(d.text.contains("“a ‘nested’ one”"), "{:?}", d.text);
    }

    #[test]
    fn only_what_commonmark_lets_interrupt_a_paragraph_ends_it() {
        let src = "“We finished by\n2005. It was\n#1 for the\n<em>town</em> and\n<a href=\"x\">all</a>”\n\n1. one\n2. two\n   more\n3. three\n\nText\n- item\n\nText\n1. item\n\nText\n# Heading\nText\n<div>block</div>\n";
        let d = Draft::read(src, DraftFormat::Markdown);
        assert!(
            d.text.starts_with(
                "“We finished by 2005. It was #1 for the <em>town</em> and <a href=\"x\">all</a>”\n"
            ),
            "{:?}",
            d.text
        );
        assert!(
            d.text.contains("1. one\n2. two    more\n3. three\n\nText\n- item\n\nText\n1. item\n\nText\n# Heading\nText\n<div>"),
            "{:?}",
            d.text
        );
    }

    #[test]
    fn markdown_inline_markup_in_a_quotation_reads_as_its_text() {
        let d = Draft::read("x", DraftFormat::Markdown);
        for (written, read) in [
            ("the [bridge](https://x.test/a) by", "the bridge by"),
            ("the [bridge][b] and [town][] by", "the bridge and town by"),
            (
                "kept in full[^1] and <em>now</em><br/> done",
                "kept in full and now done",
            ),
            ("<a href=\"https://x.test\">the bridge</a>", "the bridge"),
            (
                "[the minister] said a < b, see <https://x.test> [x]()",
                "[the minister] said a < b, see <https://x.test> [x]()",
            ),
        ] {
            assert_eq!(d.as_read(written), read, "{written}");
        }
        let h = Draft::read("x", DraftFormat::Html);
        assert_eq!(h.as_read("a [b](c)"), "a [b](c)", "HTML is read already");
    }

    #[test]
    fn extraction_reads_a_citation_after_a_quotation_as_blanks_at_the_same_offsets() {
        let src = "Ann Lee said:\n\n> “It is [done](https://x.test/a).”[^1] [Fox\nNews](https://x.test/b) and [the minister] [x]()\n";
        let d = Draft::read(src, DraftFormat::Markdown);
        let read = d.for_extraction();
        assert_eq!(read.len(), d.text.len());
        assert_eq!(
            read.split_whitespace().collect::<Vec<_>>().join(" "),
            "Ann Lee said: “It is [done](https://x.test/a).” and [the minister] [x]()"
        );
        assert_eq!(read.find(" and "), d.text.find(" and "));
        let plain = Draft::read(src, DraftFormat::Text);
        assert_eq!(
            plain.for_extraction(),
            plain.text,
            "text drafts have no markup"
        );
    }

    #[test]
    fn code_fences_are_left_alone() {
        let src = "```\nline one\nline two\n```\n";
        let d = Draft::read(src, DraftFormat::Markdown);
        assert_eq!(d.text, src);
    }

    #[test]
    fn html_decodes_every_reference_and_maps_back() {
        let src = "<p>He said &#x201C;It&rsquo;s a &quot;deal&quot; &amp; more&#8221;\nthen\n&#150; left &notit; &ampx &#0;</p>";
        let d = Draft::read(src, DraftFormat::Html);
        assert!(
            d.text
                .contains("He said “It’s a \"deal\" & more” then – left ¬it; &x \u{fffd}"),
            "{:?}",
            d.text
        );
        let it = at(&d, "It’s");
        assert_eq!(d.origin(it), src.find("It&rsquo;").unwrap());
        let s = at(&d, "s a ");
        assert_eq!(d.origin(s), src.find("s a &quot").unwrap());
        let then = at(&d, "then");
        assert_eq!(d.origin(then), src.find("then").unwrap());
    }

    #[test]
    fn html_blocks_q_and_cite() {
        let src = "<html><head><title>“Not this”</title><style>p{}</style></head><body>\n<h1>Title</h1><p>She said <q cite=\"https://x.test/a?b=1&amp;c=2\">one two three</q> today.</p><blockquote cite='https://x.test/b'><p>“four five six”</p></blockquote><script>var x = \"“no”\";</script></body></html>";
        let d = Draft::read(src, DraftFormat::Html);
        assert!(
            !d.text.contains("Not this") && !d.text.contains("no”"),
            "{:?}",
            d.text
        );
        assert!(d.text.contains("Title\n\n"), "{:?}", d.text);
        assert!(
            d.text.contains("She said “one two three” today."),
            "{:?}",
            d.text
        );
        let q = at(&d, "one two");
        assert_eq!(d.cite_at(q), Some("https://x.test/a?b=1&c=2"));
        assert_eq!(d.origin(q), src.find("one two").unwrap());
        let b = at(&d, "four");
        assert_eq!(d.cite_at(b), Some("https://x.test/b"));
        assert_eq!(d.cite_at(at(&d, "Title")), None);
        let open = at(&d, "“one");
        assert_eq!(d.origin(open), src.find("<q ").unwrap());
    }

    #[test]
    fn a_lone_angle_or_ampersand_is_text() {
        let d = Draft::read("a < b && c &; d", DraftFormat::Html);
        assert_eq!(d.text, "a < b && c &; d");
    }
}
