//! Feeds as sources: `prov add --feed URL` reads an RSS (0.9x, 1.0, 2.0), Atom or JSON
//! Feed document and adds every item's page once; `prov watch` polls the feeds again for
//! new items and re-fetches every fetched page for edits.
//!
//! Feeds are parsed with the `feed-rs` crate. Each item is known by its id (`guid`, Atom
//! `id`, JSON Feed `id`), or by its link when it has none, and recorded once its page is
//! added, so a re-poll fetches only items not seen before, and an item whose page could
//! not be fetched is tried again at the next poll.

use serde::Serialize;

use crate::fetch::{self, FetchError, FetchOutcome};
use crate::ingest::{self, AddError, AddOptions, AddSummary, Event, Input};
use crate::model::FetchRecord;
use crate::store::{self, Store};

/// One item of a feed: the page it links to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedItem {
    /// The item's id, or its link when it has none.
    pub key: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// When the item says it was published (RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// When it says it was last updated (Atom `updated`): never taken as published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// The item's authors, comma-separated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

impl FeedItem {
    /// What the item says about its page, to fill in what the page leaves out: a page
    /// without a date of its own gets the feed's. Fields that do not read as valid are
    /// left out, not guessed.
    pub fn metadata(&self) -> crate::model::Metadata {
        let meta = crate::model::Metadata {
            title: self.title.clone(),
            published: self.published.clone(),
            modified: self.updated.clone(),
            author: self.author.clone(),
            ..Default::default()
        };
        meta.clone().normalized().unwrap_or(crate::model::Metadata {
            published: None,
            modified: None,
            ..meta
        })
    }
}

/// A feed as read.
#[derive(Debug, Clone, Default)]
pub struct Feed {
    pub title: Option<String>,
    pub items: Vec<FeedItem>,
}

/// Why a feed could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("{url}: not an RSS, Atom or JSON Feed document ({message})")]
    Parse { url: String, message: String },
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Add(#[from] AddError),
    #[error(transparent)]
    Store(#[from] store::Error),
}

/// Parses a feed fetched from `url`; relative item links are resolved against it.
pub fn parse(bytes: &[u8], url: &str) -> Result<Feed, FeedError> {
    let parsed = feed_rs::parser::Builder::new()
        .base_uri(Some(url))
        .build()
        .parse(bytes)
        .map_err(|e| FeedError::Parse {
            url: url.to_owned(),
            message: e.to_string(),
        })?;
    let items = parsed
        .entries
        .into_iter()
        .filter_map(|entry| {
            let link = entry
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or_else(|| entry.links.first())
                .map(|l| l.href.trim())
                // An RSS item without a link is found at its guid when that is a URL (a
                // permalink, as the guid is unless it says otherwise).
                .or_else(|| Some(entry.id.trim()).filter(|id| fetch::is_url(id)))
                .and_then(|href| resolve(url, href))?;
            if !fetch::is_url(&link) {
                return None;
            }
            let key = match entry.id.trim() {
                "" => link.clone(),
                id => id.to_owned(),
            };
            const STAMP: &str = "%Y-%m-%dT%H:%M:%SZ";
            let published = entry.published.map(|t| t.format(STAMP).to_string());
            let updated = entry.updated.map(|t| t.format(STAMP).to_string());
            let authors: Vec<&str> = entry
                .authors
                .iter()
                .filter_map(|a| a.name.as_deref().map(str::trim))
                .filter(|n| !n.is_empty())
                .collect();
            Some(FeedItem {
                key,
                url: link,
                title: entry.title.map(|t| t.content),
                published,
                updated,
                author: (!authors.is_empty()).then(|| authors.join(", ")),
            })
        })
        .collect();
    Ok(Feed {
        title: parsed.title.map(|t| t.content),
        items,
    })
}

/// `href` made absolute against `base` (absolute, scheme-relative and root-relative
/// links; others against the base's directory).
fn resolve(base: &str, href: &str) -> Option<String> {
    if fetch::is_url(href) {
        return Some(href.to_owned());
    }
    // Another scheme (mailto:, javascript:, file:, ftp:) names nothing prov fetches.
    if let Some((scheme, _)) = href.split_once(':')
        && scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    {
        return None;
    }
    Some(resolve_relative(base, href))
}

fn resolve_relative(base: &str, href: &str) -> String {
    let (scheme, rest) = base.split_once("://").unwrap_or(("https", base));
    if let Some(h) = href.strip_prefix("//") {
        return format!("{scheme}://{h}");
    }
    let host_end = rest.find('/').unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..host_end]);
    if href.starts_with('/') {
        return format!("{origin}{href}");
    }
    let path = &rest[host_end..];
    let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
    format!("{origin}{dir}{href}")
}

/// What one poll of a feed did.
#[derive(Debug, Default, Serialize)]
pub struct Polled {
    pub feed: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Items the feed lists now.
    pub items: usize,
    /// Items not seen before, whose pages were fetched.
    pub new_items: usize,
    /// The server answered 304 Not Modified: nothing to read.
    pub not_modified: bool,
}

/// Polls the feed at `url` (recording it as tracked), adding the pages of items not seen
/// before; each page is reported through `on_event` as `prov add` reports it.
pub fn poll(
    store: &mut Store,
    url: &str,
    options: &AddOptions,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<(Polled, AddSummary), FeedError> {
    let url = crate::model::source_url(url);
    let known = store.feed(&url)?;
    let last = known.as_ref().map(|f| FetchRecord {
        url: url.clone(),
        final_url: url.clone(),
        status: 200,
        content_type: None,
        fetched_at: String::new(),
        etag: f.etag.clone(),
        last_modified: f.last_modified.clone(),
        object: None,
        archive: None,
    });
    let now = store::meta::now_rfc3339();
    let fetched = match fetch::fetch_if_changed(&url, &options.fetch, last.as_ref())? {
        FetchOutcome::NotModified(_) => {
            store.write(|tx| tx.feed_polled(&url, &now))?;
            let polled = Polled {
                feed: url,
                title: known.and_then(|f| f.title),
                not_modified: true,
                ..Polled::default()
            };
            return Ok((polled, AddSummary::default()));
        }
        FetchOutcome::Fetched(f) => f,
    };
    let feed = parse(&fetched.body, &fetched.record.final_url)?;
    let seen = match &known {
        Some(k) => store.feed_item_keys(k.id)?,
        None => Default::default(),
    };
    let mut new: Vec<&FeedItem> = feed
        .items
        .iter()
        .filter(|i| !seen.contains(&i.key))
        .collect();
    // The same page listed twice is fetched once.
    let mut urls = std::collections::HashSet::new();
    new.retain(|i| urls.insert(crate::model::source_url(&i.url)));
    let inputs = new
        .iter()
        .map(|i| Input::Linked {
            url: i.url.clone(),
            meta: Box::new(i.metadata()),
        })
        .collect();
    let summary = ingest::add(store, inputs, options, on_event)?;
    // Items whose page went in are seen; the others are tried again next time. Pages are
    // reported by their URL as stored, without credentials.
    let added: std::collections::HashSet<&str> =
        summary.added.iter().map(|a| a.path.as_str()).collect();
    let done: Vec<(String, String)> = feed
        .items
        .iter()
        .filter(|i| {
            !seen.contains(&i.key) && added.contains(crate::model::source_url(&i.url).as_str())
        })
        .map(|i| (i.key.clone(), i.url.clone()))
        .collect();
    let record = &fetched.record;
    store.write(|tx| -> Result<(), store::Error> {
        let id = tx.track_feed(
            &url,
            feed.title.as_deref(),
            &now,
            record.etag.as_deref(),
            record.last_modified.as_deref(),
        )?;
        tx.record_feed_items(id, &done, &now)
    })?;
    let polled = Polled {
        feed: url,
        title: feed.title.clone(),
        items: feed.items.len(),
        new_items: new.len(),
        not_modified: false,
    };
    Ok((polled, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_atom_and_json_feed_items_are_read() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title>
            <item><title>One</title><link>https://c.example/a</link><guid>id-a</guid>
            <pubDate>Tue, 10 Jun 2025 14:30:00 +0200</pubDate><author>kim@c.example (Kim Ode)</author></item>
            <item><title>Two</title><link>/b</link></item>
            </channel></rss>"#;
        let feed = parse(rss, "https://c.example/feed.xml").unwrap();
        assert_eq!(feed.title.as_deref(), Some("Courier"));
        assert_eq!(feed.items.len(), 2);
        assert_eq!(feed.items[0].key, "id-a");
        assert_eq!(feed.items[1].url, "https://c.example/b");
        // Dates in UTC, as the store keeps them; an item without one has none.
        assert_eq!(
            feed.items[0].published.as_deref(),
            Some("2025-06-10T12:30:00Z")
        );
        assert_eq!(feed.items[1].published, None);
        let meta = feed.items[0].metadata();
        assert_eq!(meta.published.as_deref(), Some("2025-06-10T12:30:00Z"));
        assert_eq!(meta.title.as_deref(), Some("One"));
        assert!(
            meta.author
                .as_deref()
                .is_some_and(|a| a.contains("Kim Ode"))
        );

        let atom = br#"<?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:f</id>
            <updated>2025-01-01T00:00:00Z</updated>
            <entry><title>E</title><id>urn:e1</id><updated>2025-01-01T00:00:00Z</updated>
            <link rel="alternate" href="https://a.example/e1"/></entry></feed>"#;
        let feed = parse(atom, "https://a.example/atom").unwrap();
        assert_eq!(feed.items[0].key, "urn:e1");
        assert_eq!(feed.items[0].url, "https://a.example/e1");
        // Atom's `updated` is when it changed, not when it was published.
        assert_eq!(feed.items[0].published, None);
        assert_eq!(
            feed.items[0].metadata().modified.as_deref(),
            Some("2025-01-01T00:00:00Z")
        );

        let json = br#"{"version": "https://jsonfeed.org/version/1.1", "title": "J",
            "items": [{"id": "1", "url": "https://j.example/1", "content_text": "x"}]}"#;
        let feed = parse(json, "https://j.example/feed.json").unwrap();
        assert_eq!(feed.items[0].url, "https://j.example/1");

        assert!(parse(b"<html>not a feed</html>", "https://x.example/").is_err());
    }

    #[test]
    fn an_item_without_a_link_is_found_at_its_permalink_and_other_schemes_are_skipped() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>C</title>
            <item><title>Guid only</title><guid>https://c.example/g</guid></item>
            <item><title>Opaque guid</title><guid isPermaLink="false">abc-1</guid></item>
            <item><title>Script</title><link>javascript:void(0)</link></item>
            <item><title>Mail</title><link>mailto:desk@c.example</link></item>
            </channel></rss>"#;
        let feed = parse(rss, "https://c.example/feed.xml").unwrap();
        let urls: Vec<&str> = feed.items.iter().map(|i| i.url.as_str()).collect();
        assert_eq!(urls, ["https://c.example/g"]);
        let atom = br#"<?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:f</id>
            <updated>2025-01-01T00:00:00Z</updated>
            <entry><title>E</title><id>https://a.example/e2</id>
            <updated>2025-01-01T00:00:00Z</updated></entry></feed>"#;
        let feed = parse(atom, "https://a.example/atom").unwrap();
        assert_eq!(feed.items[0].url, "https://a.example/e2");
    }

    #[test]
    fn relative_links_resolve_against_the_feed() {
        let resolve = |base, href| resolve(base, href).unwrap_or_default();
        assert_eq!(resolve("https://a.b/x/feed", "y"), "https://a.b/x/y");
        assert_eq!(resolve("https://a.b/x/feed", "/y"), "https://a.b/y");
        assert_eq!(resolve("https://a.b/x/feed", "//c.d/y"), "https://c.d/y");
        assert_eq!(resolve("https://a.b", "y"), "https://a.b/y");
        for other in [
            "javascript:void(0)",
            "mailto:a@b.c",
            "file:///etc/passwd",
            "ftp://f.example/x",
        ] {
            assert_eq!(resolve("https://a.b/x/feed", other), "", "{other}");
        }
        // A colon later in a relative link is no scheme.
        assert_eq!(
            resolve("https://a.b/x/", "y?t=1:2"),
            "https://a.b/x/y?t=1:2"
        );
    }
}
