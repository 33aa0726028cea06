//! schema.org ClaimReview: what fact-checkers publish and search engines read.
//!
//! The claim is the quotation (`claimReviewed`), said by its author (`itemReviewed.author`,
//! a `Person`: the speaker given with `--speaker`, else the one the sources name). Every
//! publication of a supporting document is an `appearance` (a `CreativeWork` with its URL,
//! its outlet as `publisher` and its publication date when it has one); the earliest dated
//! one is also the `firstAppearance`. The review's own `datePublished` is the day it was
//! made (UTC). It has no `author`: prov does not know who runs it, and inventing an
//! organisation or URL would be worse than saying nothing.
//!
//! # Rating
//!
//! `reviewRating` is a `Rating` on a scale from 1 (`worstRating`) to 5 (`bestRating`), its
//! `alternateName` the verdict's word and `ratingExplanation` what the verdict means. The
//! value falls as the verdict weakens, in the order [`Verdict::ALL`] lists them:
//!
//! | verdict                 | ratingValue | meaning                                          |
//! |-------------------------|-------------|--------------------------------------------------|
//! | `exact`, `normalized`   | 5           | the sources print these words                    |
//! | `elided`                | 4           | the words are the sources', shortened fairly     |
//! | `elided-meaning`        | 3           | shortened so that the meaning changes            |
//! | `altered`               | 2           | the sources print different words                |
//! | `misattributed`, `unsupported` | 1    | someone else said it, or no source has it       |

use serde_json::{Map, Value, json};

use super::{Export, publication_date};
use crate::model::Verdict;
use crate::verify::{Evidence, VerifyReport};

/// The best value on the rating scale.
pub const BEST_RATING: u8 = 5;
/// The worst value on the rating scale.
pub const WORST_RATING: u8 = 1;

/// The rating a verdict gets (see the module's table).
pub fn rating(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Exact | Verdict::Normalized => 5,
        Verdict::Elided => 4,
        Verdict::ElidedMeaning => 3,
        Verdict::Altered => 2,
        Verdict::Misattributed | Verdict::Unsupported => 1,
    }
}

/// What a verdict says, for people reading the review.
pub fn explanation(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Exact => "a source prints the quotation word for word",
        Verdict::Normalized => {
            "a source prints the quotation; only typography, case or spacing differ"
        }
        Verdict::Elided => "the parts around the elision appear in order in one source passage",
        Verdict::ElidedMeaning => {
            "the elision leaves out a negation, a condition or a number, which changes the meaning"
        }
        Verdict::Altered => "the closest source passage differs in wording",
        Verdict::Misattributed => "the sources give these words to someone else",
        Verdict::Unsupported => "no stored source has this text or anything close to it",
    }
}

/// The ClaimReview export of a verification.
#[derive(Debug, Clone)]
pub struct ClaimReview {
    /// Who the quotation was attributed to (`--speaker`), if anyone.
    pub speaker: Option<String>,
    /// The review's date.
    pub date: time::Date,
}

impl ClaimReview {
    /// A review made today (UTC).
    pub fn today(speaker: Option<String>) -> ClaimReview {
        ClaimReview {
            speaker,
            date: time::OffsetDateTime::now_utc().date(),
        }
    }
}

impl Export for ClaimReview {
    type Report = VerifyReport;

    fn to_json_ld(&self, r: &VerifyReport) -> Value {
        let supporting: Vec<&Evidence> =
            r.evidence.iter().filter(|e| e.verdict.supports()).collect();
        let speaker = self
            .speaker
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .or_else(|| {
                supporting
                    .iter()
                    .copied()
                    .chain(r.evidence.iter())
                    .find_map(|e| e.speaker.clone())
            });
        let mut appearances: Vec<(Option<&str>, Value)> = Vec::new();
        for e in &supporting {
            if e.publications.is_empty() {
                appearances.push((
                    publication_date(e.published.as_deref()),
                    creative_work(
                        e.url.as_deref(),
                        e.title.as_deref(),
                        e.outlet.as_deref(),
                        e.published.as_deref(),
                    ),
                ));
            }
            for p in &e.publications {
                appearances.push((
                    publication_date(p.published.as_deref()),
                    creative_work(
                        p.url.as_deref(),
                        p.title.as_deref().or(e.title.as_deref()),
                        p.outlet.as_deref(),
                        p.published.as_deref(),
                    ),
                ));
            }
        }
        let first = appearances
            .iter()
            .filter_map(|(d, w)| d.map(|d| (d, w)))
            .min_by(|a, b| a.0.cmp(b.0))
            .map(|(_, w)| w.clone());
        let mut claim = Map::new();
        claim.insert("@type".into(), json!("Claim"));
        if let Some(s) = speaker {
            claim.insert("author".into(), json!({"@type": "Person", "name": s}));
        }
        if !appearances.is_empty() {
            claim.insert(
                "appearance".into(),
                Value::Array(appearances.into_iter().map(|(_, w)| w).collect()),
            );
        }
        if let Some(f) = first {
            claim.insert("firstAppearance".into(), f);
        }
        json!({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": r.query,
            "datePublished": self.date.to_string(),
            "itemReviewed": Value::Object(claim),
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": rating(r.verdict),
                "bestRating": BEST_RATING,
                "worstRating": WORST_RATING,
                "alternateName": r.verdict.as_str(),
                "ratingExplanation": explanation(r.verdict),
            },
        })
    }
}

/// One publication as a `CreativeWork`: only the fields it has.
fn creative_work(
    url: Option<&str>,
    title: Option<&str>,
    outlet: Option<&str>,
    published: Option<&str>,
) -> Value {
    let mut w = Map::new();
    w.insert("@type".into(), json!("CreativeWork"));
    if let Some(u) = url {
        w.insert("url".into(), json!(u));
    }
    if let Some(t) = title {
        w.insert("headline".into(), json!(t));
    }
    if let Some(o) = outlet {
        w.insert(
            "publisher".into(),
            json!({"@type": "Organization", "name": o}),
        );
    }
    if let Some(d) = publication_date(published) {
        w.insert("datePublished".into(), json!(d));
    }
    Value::Object(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_fall_as_verdicts_weaken_and_stay_on_the_scale() {
        let values: Vec<u8> = Verdict::ALL.iter().map(|v| rating(*v)).collect();
        assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
        assert!(
            values
                .iter()
                .all(|v| (WORST_RATING..=BEST_RATING).contains(v))
        );
        assert_eq!(rating(Verdict::Exact), BEST_RATING);
        assert_eq!(rating(Verdict::Unsupported), WORST_RATING);
        // Every supported verdict rates above every unsupported one.
        let lowest_supported = Verdict::ALL
            .iter()
            .filter(|v| v.supports())
            .map(|v| rating(*v))
            .min();
        let highest_unsupported = Verdict::ALL
            .iter()
            .filter(|v| !v.supports())
            .map(|v| rating(*v))
            .max();
        assert!(lowest_supported > highest_unsupported);
    }

    #[test]
    fn an_unsupported_quote_has_no_appearance() {
        let r = VerifyReport {
            query: "words nobody said".into(),
            verdict: Verdict::Unsupported,
            said_by: Vec::new(),
            said_by_confident: None,
            documents: 0,
            outlets: 0,
            superseded: 0,
            complete: true,
            retrieval: crate::index::Method::Fingerprints,
            evidence: Vec::new(),
        };
        let v = ClaimReview {
            speaker: None,
            date: time::macros::date!(2026 - 01 - 02),
        }
        .to_json_ld(&r);
        assert_eq!(v["datePublished"], "2026-01-02");
        assert_eq!(v["reviewRating"]["ratingValue"], 1);
        assert_eq!(v["reviewRating"]["alternateName"], "unsupported");
        assert!(v["itemReviewed"].get("appearance").is_none());
        assert!(v["itemReviewed"].get("author").is_none());
        assert!(v.get("author").is_none());
    }
}
