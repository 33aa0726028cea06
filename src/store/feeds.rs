//! Feeds prov tracks (`prov add --feed`) and the items each has listed, so a poll fetches
//! only pages not seen before.

use rustc_hash::FxHashSet;
use serde::Serialize;

use super::db::{Param, Row, args};
use super::{Result, Store, Tx};

/// A tracked feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackedFeed {
    #[serde(skip)]
    pub id: i64,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub added_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub polled_at: Option<String>,
    #[serde(skip)]
    pub etag: Option<String>,
    #[serde(skip)]
    pub last_modified: Option<String>,
    /// Items seen so far.
    pub items: i64,
}

const FEED_COLUMNS: &str = "f.id, f.url, f.title, f.added_at, f.polled_at, f.etag, \
     f.last_modified, (SELECT count(*) FROM feed_items i WHERE i.feed = f.id)";

fn feed_from_row(r: &Row<'_>) -> Result<TrackedFeed> {
    Ok(TrackedFeed {
        id: r.get(0)?,
        url: r.get(1)?,
        title: r.get(2)?,
        added_at: r.get(3)?,
        polled_at: r.get(4)?,
        etag: r.get(5)?,
        last_modified: r.get(6)?,
        items: r.get(7)?,
    })
}

impl Store {
    /// Every tracked feed, by URL.
    pub fn feeds(&self) -> Result<Vec<TrackedFeed>> {
        self.db().query(
            &format!("SELECT {FEED_COLUMNS} FROM feeds f ORDER BY f.url"),
            args![],
            feed_from_row,
        )
    }

    /// The tracked feed at `url`.
    pub fn feed(&self, url: &str) -> Result<Option<TrackedFeed>> {
        self.db().query_opt(
            &format!("SELECT {FEED_COLUMNS} FROM feeds f WHERE f.url = ?1"),
            args![url],
            feed_from_row,
        )
    }

    /// The keys of the items feed `feed` has listed whose pages went in.
    pub fn feed_item_keys(&self, feed: i64) -> Result<FxHashSet<String>> {
        let keys: Vec<String> = self.db().query(
            "SELECT key FROM feed_items WHERE feed = ?1",
            args![feed],
            |r| r.get(0),
        )?;
        Ok(keys.into_iter().collect())
    }
}

impl Tx<'_> {
    /// Tracks the feed at `url` (or updates it): its title and the validators of this
    /// poll. Returns its row.
    pub fn track_feed(
        &self,
        url: &str,
        title: Option<&str>,
        now: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<i64> {
        let db = self.db();
        db.execute(
            "INSERT INTO feeds (url, title, added_at, polled_at, etag, last_modified) \
             VALUES (?1, ?2, ?3, ?3, ?4, ?5) ON CONFLICT (url) DO UPDATE SET \
             title = coalesce(excluded.title, feeds.title), polled_at = excluded.polled_at, \
             etag = excluded.etag, last_modified = excluded.last_modified",
            args![url, title, now, etag, last_modified],
        )?;
        db.query_one("SELECT id FROM feeds WHERE url = ?1", args![url], |r| {
            r.get(0)
        })
    }

    /// Notes a poll that found nothing new (304).
    pub fn feed_polled(&self, url: &str, now: &str) -> Result<()> {
        self.db().execute(
            "UPDATE feeds SET polled_at = ?2 WHERE url = ?1",
            args![url, now],
        )?;
        Ok(())
    }

    /// Records items of feed `feed` as seen: (key, page URL).
    pub fn record_feed_items(
        &self,
        feed: i64,
        items: &[(String, String)],
        now: &str,
    ) -> Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        let values: Vec<&dyn Param> = items
            .iter()
            .flat_map(|(key, url)| [&feed as &dyn Param, key, url, &now])
            .collect();
        self.db().insert_many(
            "feed_items (feed, key, url, seen_at)",
            4,
            &values,
            "ON CONFLICT DO NOTHING",
        )?;
        Ok(())
    }
}
