//! Documents' descriptions: metadata, formats, sources, publications and fetches.

use serde::{Deserialize, Serialize};

/// Descriptive fields of a document. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `YYYY-MM-DD`, or an RFC 3339 timestamp normalised to UTC; see `store::meta::parse_published`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// When the page says it was last modified (`dateModified`, `article:modified_time`),
    /// in the form of `published`: what the page claims, not when prov saw a change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// For interviews: who asks the questions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interviewer: Option<String>,
    /// For interviews: whose answers the document carries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interviewee: Option<String>,
    /// For transcripts: the people who speak in it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<String>,
}

impl Metadata {
    /// The names and titles on one line each: every run of whitespace (a newline in a
    /// sidecar's title, a tab in an author) one space, none at the ends, and an empty
    /// value none at all. Listings show one document per line, and a title must not be
    /// able to print a row of its own.
    pub fn one_line(mut self) -> Metadata {
        fn tidy(v: &mut Option<String>) {
            if let Some(s) = v.take() {
                let one = s.split_whitespace().collect::<Vec<_>>().join(" ");
                *v = (!one.is_empty()).then_some(one);
            }
        }
        for v in [
            &mut self.title,
            &mut self.outlet,
            &mut self.author,
            &mut self.interviewer,
            &mut self.interviewee,
        ] {
            tidy(v);
        }
        for name in &mut self.speakers {
            *name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        self.speakers.retain(|n| !n.is_empty());
        self
    }

    /// Fields of `over` replace those of `self`; fields `over` leaves unset are kept.
    pub fn overlay(mut self, over: &Metadata) -> Metadata {
        fn pick(mine: &mut Option<String>, theirs: &Option<String>) {
            if theirs.is_some() {
                mine.clone_from(theirs);
            }
        }
        pick(&mut self.title, &over.title);
        pick(&mut self.outlet, &over.outlet);
        pick(&mut self.url, &over.url);
        pick(&mut self.published, &over.published);
        pick(&mut self.author, &over.author);
        pick(&mut self.modified, &over.modified);
        pick(&mut self.lang, &over.lang);
        pick(&mut self.interviewer, &over.interviewer);
        pick(&mut self.interviewee, &over.interviewee);
        if !over.speakers.is_empty() {
            self.speakers.clone_from(&over.speakers);
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        *self == Metadata::default()
    }
}

/// What a document's bytes are, and so where its text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocFormat {
    /// The text is the bytes, decoded.
    #[default]
    Text,
    /// A web page: the text is its article, stored as an object of its own.
    Html,
}

impl DocFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            DocFormat::Text => "text",
            DocFormat::Html => "html",
        }
    }

    /// The format a stored name (`text`, `html`) names.
    pub fn parse(s: &str) -> Option<DocFormat> {
        match s {
            "text" => Some(DocFormat::Text),
            "html" => Some(DocFormat::Html),
            _ => None,
        }
    }
}

/// Where versions come from: a URL, or a path when the document has no URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Url,
    Path,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Url => "url",
            SourceKind::Path => "path",
        }
    }

    /// The kind a stored name (`url`, `path`) names.
    pub fn parse(s: &str) -> Option<SourceKind> {
        match s {
            "url" => Some(SourceKind::Url),
            "path" => Some(SourceKind::Path),
            _ => None,
        }
    }
}

/// A source: one article's URL, or one file's path, whose content may change over time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    pub kind: SourceKind,
    pub locator: String,
}

/// How prov came to record a publication, and so what its `recorded_at` time is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordedBy {
    /// Added from a file or standard input: `recorded_at` is when.
    Add,
    /// Fetched from its URL: `recorded_at` is the first fetch.
    Fetch,
}

impl RecordedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordedBy::Add => "add",
            RecordedBy::Fetch => "fetch",
        }
    }

    /// The way a stored name (`add`, `fetch`) names.
    pub fn parse(s: &str) -> Option<RecordedBy> {
        match s {
            "add" => Some(RecordedBy::Add),
            "fetch" => Some(RecordedBy::Fetch),
            _ => None,
        }
    }
}

/// One publication of a document: where, by whom and when the bytes were published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Publication {
    /// The URL or path it was published at or added from (none for standard input).
    pub source: Option<SourceRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// The publication date as the source gives it; absent when undated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When prov added or fetched it: not a publication date.
    pub recorded_at: String,
    pub recorded_by: RecordedBy,
}

/// How a URL was fetched: what `prov show` lists and the store records for every fetch.
#[derive(Debug, Clone, Serialize)]
pub struct FetchRecord {
    /// The URL as requested.
    pub url: String,
    /// Where the redirects (if any) led.
    pub final_url: String,
    pub status: u16,
    /// The `Content-Type` header as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// When the response arrived, RFC 3339 UTC.
    pub fetched_at: String,
    /// The `ETag` the server sent, for a conditional request next time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The `Last-Modified` the server sent, for a conditional request next time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// The bytes this fetch received, when they differ from the document's own but read
    /// as the same article text (a changed ad slot or timestamp): kept as an object, so
    /// nothing is lost, while the version stays the one already stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<super::DocId>,
    /// The web archive it was read from, as named to `prov add`: a capture someone else
    /// made, at its capture date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive: Option<String>,
}

/// Query parameters that only track where a reader came from.
pub fn is_tracking(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("utm_")
        || matches!(
            key.as_str(),
            "fbclid"
                | "gclid"
                | "dclid"
                | "msclkid"
                | "mc_cid"
                | "mc_eid"
                | "igshid"
                | "_ga"
                | "yclid"
                | "ref_src"
                | "cmpid"
                | "ito"
                | "smid"
                | "at_medium"
                | "at_campaign"
        )
}

/// The URL prov fetches and records for `given`: without credentials or fragment, scheme
/// and host lower-cased, no default port, and without the parameters that only track
/// where a reader came from (`utm_*`, `fbclid`…). The variants of one address that
/// readers copy from a browser or a social post are one source, not several.
pub fn source_url(given: &str) -> String {
    without_credentials(&clean_url(given)).into_owned()
}

/// [`source_url`] keeping the `user:password@` it may carry, for the request itself.
pub fn clean_url(given: &str) -> String {
    let given = given.trim();
    let Ok(mut url) = url::Url::parse(given) else {
        return given.to_owned();
    };
    if !matches!(url.scheme(), "http" | "https") {
        return given.to_owned();
    }
    url.set_fragment(None);
    if let Some(query) = url.query() {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|p| !p.is_empty() && !is_tracking(p.split('=').next().unwrap_or(p)))
            .collect();
        let kept = kept.join("&");
        url.set_query((!kept.is_empty()).then_some(kept.as_str()));
    }
    url.into()
}

/// `url` without the `user:password@` it may carry: what prov stores and prints.
pub fn without_credentials(url: &str) -> std::borrow::Cow<'_, str> {
    let Some(split) = credentials_span(url) else {
        return std::borrow::Cow::Borrowed(url);
    };
    std::borrow::Cow::Owned(format!("{}{}", &url[..split.start], &url[split.end..]))
}

/// The byte range of `user:password@` in `url`, if it has one.
pub fn credentials_span(url: &str) -> Option<std::ops::Range<usize>> {
    let start = url.find("://")? + 3;
    let authority_end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |e| start + e);
    let at = url[start..authority_end].rfind('@')?;
    Some(start..start + at + 1)
}

/// Which publications a listing keeps: every condition given holds for one publication.
/// Dates compare by the publication's calendar date (UTC); an undated publication meets
/// no date condition. Outlet and author match ignoring case, anywhere in the name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicationFilter {
    pub since: Option<time::Date>,
    pub until: Option<time::Date>,
    pub outlet: Option<String>,
    pub author: Option<String>,
}

impl PublicationFilter {
    /// Whether no condition is given (everything matches).
    pub fn is_empty(&self) -> bool {
        *self == PublicationFilter::default()
    }

    /// Whether publication `p` meets every condition.
    pub fn matches(&self, p: &Publication) -> bool {
        if self.since.is_some() || self.until.is_some() {
            let Some(date) = p.published.as_deref().and_then(calendar_date) else {
                return false;
            };
            if self.since.is_some_and(|since| date < since)
                || self.until.is_some_and(|until| date > until)
            {
                return false;
            }
        }
        contains_folded(p.outlet.as_deref(), self.outlet.as_deref())
            && contains_folded(p.author.as_deref(), self.author.as_deref())
    }
}

/// The calendar date a stored publication date starts with (`2025-06-23`, or the date of
/// `2025-06-23T08:42:00Z`).
pub fn calendar_date(published: &str) -> Option<time::Date> {
    let plain = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(published.get(..10)?, &plain).ok()
}

/// Whether `wanted` (if given) occurs in `value`, ignoring case.
fn contains_folded(value: Option<&str>, wanted: Option<&str>) -> bool {
    match wanted {
        None => true,
        Some(w) => value.is_some_and(|v| v.to_lowercase().contains(&w.to_lowercase())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_of_one_address_are_one_source_url() {
        let one = "https://www.example.com/news/story?id=7";
        for variant in [
            "https://www.example.com/news/story?id=7",
            "HTTPS://WWW.Example.COM/news/story?id=7",
            "https://www.example.com:443/news/story?id=7#comments",
            "https://www.example.com/news/story?utm_source=tw&id=7&fbclid=Ab1",
            "https://ann:pw@www.example.com/news/story?id=7",
            "  https://www.example.com/news/story?id=7\n",
        ] {
            assert_eq!(source_url(variant), one, "{variant}");
        }
        // What names another page stays apart: the path's case, other parameters, the
        // scheme, www.
        for other in [
            "https://www.example.com/News/story?id=7",
            "https://www.example.com/news/story?id=8",
            "http://www.example.com/news/story?id=7",
            "https://example.com/news/story?id=7",
        ] {
            assert_ne!(source_url(other), one, "{other}");
        }
        assert_eq!(source_url("https://a.example"), "https://a.example/");
        assert_eq!(
            source_url("https://a.example/x?utm_medium=m"),
            "https://a.example/x"
        );
        assert_eq!(source_url("not a url"), "not a url");
    }

    #[test]
    fn credentials_are_cut_from_urls() {
        assert_eq!(
            without_credentials("https://ann:secret@example.org/a?b=c@d"),
            "https://example.org/a?b=c@d"
        );
        assert_eq!(
            without_credentials("https://example.org/@x"),
            "https://example.org/@x"
        );
        assert_eq!(credentials_span("http://u@h/"), Some(7..9));
        assert_eq!(credentials_span("not a url"), None);
    }

    #[test]
    fn stored_names_round_trip() {
        for f in [DocFormat::Text, DocFormat::Html] {
            assert_eq!(DocFormat::parse(f.as_str()), Some(f));
        }
        for k in [SourceKind::Url, SourceKind::Path] {
            assert_eq!(SourceKind::parse(k.as_str()), Some(k));
        }
        for r in [RecordedBy::Add, RecordedBy::Fetch] {
            assert_eq!(RecordedBy::parse(r.as_str()), Some(r));
        }
        assert_eq!(DocFormat::parse("pdf"), None);
        assert_eq!(SourceKind::parse("URL"), None);
        assert_eq!(RecordedBy::parse(""), None);
    }

    #[test]
    fn overlay_keeps_what_the_newer_leaves_unset() {
        let old = Metadata {
            title: Some("Old".into()),
            outlet: Some("BBC".into()),
            ..Metadata::default()
        };
        let new = Metadata {
            title: Some("New".into()),
            ..Metadata::default()
        };
        let merged = old.overlay(&new);
        assert_eq!(merged.title.as_deref(), Some("New"));
        assert_eq!(merged.outlet.as_deref(), Some("BBC"));
        assert!(Metadata::default().is_empty());
        assert!(!merged.is_empty());
    }

    #[test]
    fn a_filter_keeps_publications_meeting_every_condition() {
        let date = |d: &str| calendar_date(d).unwrap();
        let p = Publication {
            source: None,
            outlet: Some("Ukrinform".into()),
            published: Some("2025-06-23T05:42:00Z".into()),
            author: Some("Olena Ivanova".into()),
            title: None,
            url: None,
            recorded_at: "2026-01-01T00:00:00Z".into(),
            recorded_by: RecordedBy::Add,
        };
        let f =
            |since: Option<&str>, until: Option<&str>, outlet: Option<&str>| PublicationFilter {
                since: since.map(date),
                until: until.map(date),
                outlet: outlet.map(str::to_owned),
                author: None,
            };
        assert!(PublicationFilter::default().is_empty());
        assert!(PublicationFilter::default().matches(&p));
        assert!(f(Some("2025-06-23"), Some("2025-06-23"), None).matches(&p));
        assert!(!f(Some("2025-06-24"), None, None).matches(&p));
        assert!(!f(None, Some("2025-06-22"), None).matches(&p));
        assert!(f(None, None, Some("UKRIN")).matches(&p));
        assert!(!f(None, None, Some("Reuters")).matches(&p));
        let undated = Publication {
            published: None,
            ..p.clone()
        };
        assert!(!f(Some("2000-01-01"), None, None).matches(&undated));
        assert!(f(None, None, Some("ukrinform")).matches(&undated));
    }
}
