//! No input makes extraction or alignment panic, and every offset they report lies on a
//! character boundary inside the text.

use proptest::prelude::*;
use prov::align::{self, Query};
use prov::extract::{self, CharOffsets, Hints};

/// Text made of the characters the rules care about, so the strategies reach them.
fn newsy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_owned()),
        Just("“".to_owned()),
        Just("”".to_owned()),
        Just("«".to_owned()),
        Just("»".to_owned()),
        Just("„".to_owned()),
        Just("’".to_owned()),
        Just("'".to_owned()),
        Just(", ".to_owned()),
        Just(". ".to_owned()),
        Just(": ".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just(" said ".to_owned()),
        Just(" according to ".to_owned()),
        Just("He".to_owned()),
        Just("Mustafa Dzhemilev".to_owned()),
        Just("the lawyer".to_owned()),
        Just(" — ".to_owned()),
        Just("…".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        // Transcript labels and stage directions.
        Just("PENCE".to_owned()),
        Just("WALLACE".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        // Bylines, contractions, dated introductions, participles.
        Just("\n\n- ".to_owned()),
        Just("He’s".to_owned()),
        Just("On July 6, 2015, ".to_owned()),
        Just("After saying ".to_owned()),
        Just(" continued his remarks".to_owned()),
        // Participles after "and" and after a relative clause; organisations as names.
        Just(" and asking, ".to_owned()),
        Just(" who said ".to_owned()),
        Just(", saying ".to_owned()),
        Just("Democratic National Convention".to_owned()),
        Just("Martin Luther King III".to_owned()),
        "\\PC{0,8}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn extraction_never_panics_and_offsets_are_sound(text in newsy(), title in proptest::option::of("\\PC{0,30}")) {
        let hints = Hints { title, ..Hints::default() };
        let offsets = CharOffsets::new(&text);
        for q in extract::extract(&text, &hints) {
            prop_assert!(q.start <= q.end && q.end <= text.len());
            prop_assert!(text.is_char_boundary(q.start) && text.is_char_boundary(q.end));
            if let Some(m) = &q.mention {
                prop_assert!(m.start <= m.end && m.end <= text.len());
                prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            }
            prop_assert!(offsets.char_at(q.end) <= text.chars().count());
        }
    }

    #[test]
    fn alignment_never_panics_and_passages_are_sound(doc in newsy(), quote in newsy()) {
        let d = align::Document::new(&doc);
        if let Some(p) = align::best_passage(&Query::new(&quote), &d) {
            prop_assert!(p.range.start <= p.range.end && p.range.end <= doc.len());
            prop_assert!(doc.is_char_boundary(p.range.start) && doc.is_char_boundary(p.range.end));
            prop_assert!((0.0..=1.0).contains(&p.similarity));
        }
    }

    /// A verbatim piece of a document always verifies as exact or normalized.
    #[test]
    fn a_verbatim_substring_always_verifies(words in prop::collection::vec("[a-z]{2,9}", 12..40), from in 0usize..6, len in 6usize..10) {
        let doc = words.join(" ");
        let piece = words[from..(from + len).min(words.len())].join(" ");
        let p = align::best_passage(&Query::new(&piece), &align::Document::new(&doc));
        let p = p.expect("a substring is found");
        prop_assert!(p.verdict.supports(), "{:?}", p.verdict);
        prop_assert!(doc[p.range.clone()].contains(&piece) || piece.contains(&doc[p.range.clone()]));
    }
}

/// Markup made of the pieces HTML article reading cares about.
fn htmly() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<p>".to_owned()),
        Just("</p>".to_owned()),
        Just("<article>".to_owned()),
        Just("</article>".to_owned()),
        Just("<q>".to_owned()),
        Just("</q>".to_owned()),
        Just("<script>".to_owned()),
        Just("</script>".to_owned()),
        Just("<!-- ".to_owned()),
        Just(" -->".to_owned()),
        Just("<br>".to_owned()),
        Just("<pre>".to_owned()),
        Just(r#"<div class="share related">"#.to_owned()),
        Just(r#"<script type="application/ld+json">{"@type":"NewsArticle","author":["#.to_owned()),
        Just(r#"<meta charset="iso-8859-1">"#.to_owned()),
        Just("&amp;".to_owned()),
        Just("&ldquo;".to_owned()),
        Just("&#x0;".to_owned()),
        Just("<a href=x>".to_owned()),
        "\\PC{0,8}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any bytes decode and any markup reads as an article without panicking, and the
    /// article text never holds markup prov removed (scripts) or blank paragraphs.
    #[test]
    fn html_reading_never_panics(page in htmly(), noise in prop::collection::vec(any::<u8>(), 0..64)) {
        let (decoded, _) = prov::text::html::decode(&noise, Some("no-such-charset"));
        let _ = prov::text::html::article(&decoded);
        let article = prov::text::html::article(&page);
        prop_assert!(!article.text.contains("\n\n\n"));
        prop_assert_eq!(article.text.trim(), article.text.as_str());
    }
}

/// Draft text made of what the draft reader handles: wrapped lines, blocks, quotes of
/// every kind, references, tags.
fn drafty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("> ".to_owned()),
        Just("# ".to_owned()),
        Just("- ".to_owned()),
        Just("```".to_owned()),
        Just("[^1]: ".to_owned()),
        Just("[a](https://x.test/a?utm_source=y) ".to_owned()),
        Just("[b][r]\n\n[r]: https://x.test/b".to_owned()),
        Just("‘".to_owned()),
        Just("’".to_owned()),
        Just("'".to_owned()),
        Just("“".to_owned()),
        Just("”".to_owned()),
        Just("\"".to_owned()),
        Just("<q cite=\"https://x.test/c\">".to_owned()),
        Just("</q>".to_owned()),
        Just("<blockquote cite='u'>".to_owned()),
        Just("<p>".to_owned()),
        Just("<script>".to_owned()),
        Just("&rsquo;".to_owned()),
        Just("&#x201C;".to_owned()),
        Just("&#150;".to_owned()),
        Just("&notit;".to_owned()),
        Just("&#99999999999;".to_owned()),
        Just("&".to_owned()),
        Just("<".to_owned()),
        "\\PC{0,8}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A draft in any format reads without panicking, Markdown and text keep their byte
    /// length (but for a closing mark after each blockquote read as a quotation), and
    /// every text offset maps back to a character boundary of the file, never past its
    /// end and never backwards.
    #[test]
    fn draft_reading_maps_back_into_the_file(src in drafty()) {
        use prov::check::{Draft, DraftFormat};
        for format in [DraftFormat::Markdown, DraftFormat::Text, DraftFormat::Html] {
            let d = Draft::read(&src, format);
            if format != DraftFormat::Html {
                let added = d.text.len().checked_sub(src.len());
                prop_assert!(
                    added.is_some_and(|n| n <= src.matches('>').count()),
                    "{} bytes read from {}", d.text.len(), src.len()
                );
            }
            let mut last = 0;
            for (at, _) in d.text.char_indices() {
                let o = d.origin(at);
                prop_assert!(o <= src.len());
                prop_assert!(src.is_char_boundary(o), "{} -> {} in {:?}", at, o, src);
                prop_assert!(o >= last, "{} -> {} after {}", at, o, last);
                last = o;
                let p = d.paragraph(at);
                prop_assert!(p.start <= at && at <= p.end);
            }
        }
    }
}

/// Pages nested deep in every way a parser builds depth: closed and unclosed containers,
/// formatting elements, tables, SVG, with stray end tags between.
fn deep_page() -> impl Strategy<Value = (String, usize)> {
    let open = prop_oneof![
        Just("<div>"),
        Just("<span>"),
        Just("<b>"),
        Just("<table><tr><td>"),
        Just("<ul><li>"),
        Just("<div><p>"),
        Just("<svg><g>"),
        Just("<div/>"),
        Just("</i>"),
    ];
    (prop::collection::vec(open, 1..8), 200usize..3_000).prop_map(|(tags, depth)| {
        let mut page = String::from("<html><body><article>");
        for k in 0..depth {
            page.push_str(tags[k % tags.len()]);
        }
        page.push_str("<p>\u{201c}Deep words are still read here,\u{201d} she said.</p>");
        (page, depth)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// However deep a page nests, it is read without exhausting the stack, and its words
    /// come through.
    #[test]
    fn deep_pages_are_read_and_keep_their_words((page, _depth) in deep_page()) {
        let article = prov::text::html::article(&page);
        prop_assert!(article.text.contains("Deep words are still read here"), "{}", article.text);
        let limited = prov::text::nesting::limit_depth(&page);
        prop_assert!(limited.len() <= page.len());
    }

    /// A run-on paragraph of quotations, cues and pronouns extracts without panicking,
    /// every quotation inside the text.
    #[test]
    fn run_on_paragraphs_extract_soundly(units in prop::collection::vec(0usize..5, 50..400)) {
        const UNITS: [&str; 5] = [
            "\u{201c}It is fine and we will see,\u{201d} he said. ",
            "Mr Smith spoke at length. ",
            "\u{201c}Another one ",
            "according to the minister, ",
            "\u{201d} she added. ",
        ];
        let text: String = units.iter().map(|&u| UNITS[u]).collect();
        for q in extract::extract(&text, &Hints::default()) {
            prop_assert!(q.start <= q.end && q.end <= text.len());
            prop_assert!(text.is_char_boundary(q.start) && text.is_char_boundary(q.end));
        }
    }
}

/// Bytes shaped like WARC records and HTTP responses, so the strategies reach the
/// parsers' branches (headers, lengths, chunk sizes, separators).
fn warcish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"WARC/1.1\r\n".to_vec()),
        Just(b"WARC-Type: response\r\n".to_vec()),
        Just(b"WARC-Type: resource\r\n".to_vec()),
        Just(b"WARC-Target-URI: https://a.example/\r\n".to_vec()),
        Just(b"WARC-Date: 2024-01-01T00:00:00Z\r\n".to_vec()),
        Just(b"Content-Type: application/http; msgtype=response\r\n".to_vec()),
        Just(b"Content-Type: text/html\r\n".to_vec()),
        Just(b"Content-Length: 12\r\n".to_vec()),
        Just(b"Content-Length: 99999999999\r\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r\n\r\n".to_vec()),
        Just(b"HTTP/1.1 200 OK\r\n".to_vec()),
        Just(b"Transfer-Encoding: chunked\r\n".to_vec()),
        Just(b"Content-Encoding: gzip\r\n".to_vec()),
        Just(b"Content-Encoding: deflate\r\n".to_vec()),
        Just(b"5\r\nhello\r\n0\r\n".to_vec()),
        Just(b"fffffffffffffffff\r\n".to_vec()),
        Just(b"\x1f\x8b\x08\x00".to_vec()),
        Just(b"<p>text</p>".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..24),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_archive_bytes_make_the_reader_panic(bytes in warcish(), gz in any::<bool>()) {
        let mut pages = 0;
        prov::archive::read_stream(&bytes[..], gz, 1 << 16, &mut |item| {
            if let prov::archive::Item::Page(p) = item {
                assert!(p.body.len() <= 1 << 16);
                pages += 1;
            }
        });
    }

    #[test]
    fn no_feed_or_robots_text_makes_the_parsers_panic(text in "\\PC{0,300}") {
        let _ = prov::feed::parse(text.as_bytes(), "https://a.example/feed");
        let robots = prov::fetch::robots::Robots::parse(&text);
        let _ = robots.allows(&format!("/{text}"));
    }
}
