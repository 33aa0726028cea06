//! robots.txt (RFC 9309): which paths a site asks crawlers named `prov` (or any crawler,
//! `*`) not to fetch. prov respects it by default, as a polite client should.
//!
//! Rules are read from the groups naming `prov`, or else from the `*` groups; the longest
//! matching rule wins (`*` matches any run of characters, `$` anchors the end), and an
//! allow rule wins a tie. At most [`MAX_BYTES`] of the file are read.

/// The most of a robots.txt read (RFC 9309 asks crawlers to read at least 500 KiB).
pub const MAX_BYTES: usize = 512 * 1024;

/// The product token prov matches in `User-agent` lines.
const AGENT: &str = "prov";

/// One group of a robots.txt: the agents it names and their rules.
type Group = (Vec<String>, Vec<(bool, String)>);

/// The rules that apply to prov on one site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Robots {
    /// (allow, pattern), in file order.
    rules: Vec<(bool, String)>,
}

impl Robots {
    /// Everything allowed (no robots.txt, or one answered 4xx).
    pub fn allow_all() -> Robots {
        Robots::default()
    }

    /// Everything disallowed (a robots.txt the server failed to send: RFC 9309 §2.3.1.4).
    pub fn disallow_all() -> Robots {
        Robots {
            rules: vec![(false, "/".to_owned())],
        }
    }

    /// Parses a robots.txt.
    pub fn parse(text: &str) -> Robots {
        let text = &text[..floor_boundary(text, MAX_BYTES)];
        // Groups: the agents named, and their rules.
        let mut groups: Vec<Group> = Vec::new();
        let mut in_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push((Vec::new(), Vec::new()));
                        in_agents = true;
                    }
                    if let Some(g) = groups.last_mut() {
                        g.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut()
                        && !value.is_empty()
                    {
                        g.1.push((key == "allow", value.to_owned()));
                    }
                }
                _ => {}
            }
        }
        let named = |agent: &str| -> Vec<(bool, String)> {
            groups
                .iter()
                .filter(|(agents, _)| {
                    agents.iter().any(|a| match agent {
                        "*" => a == "*",
                        _ => a != "*" && a.split(['/', ' ']).next() == Some(agent),
                    })
                })
                .flat_map(|(_, rules)| rules.iter().cloned())
                .collect()
        };
        let own = named(AGENT);
        let has_own = groups.iter().any(|(agents, _)| {
            agents
                .iter()
                .any(|a| a.split(['/', ' ']).next() == Some(AGENT))
        });
        Robots {
            rules: if has_own { own } else { named("*") },
        }
    }

    /// Whether prov may fetch `path` (the URL's path and query, as sent).
    pub fn allows(&self, path: &str) -> bool {
        let path = if path.is_empty() { "/" } else { path };
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let len = pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, *allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

fn floor_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}

/// Whether `pattern` (with `*` and a final `$`) matches the start of `path`, or all of it
/// when anchored. Iterative, linear in pattern × path length at worst.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let pieces: Vec<&str> = pattern.split('*').collect();
    let Some((first, rest)) = pieces.split_first() else {
        return true;
    };
    let Some(mut at) = path.starts_with(first).then_some(first.len()) else {
        return false;
    };
    if rest.is_empty() {
        return !anchored || at == path.len();
    }
    for (i, piece) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        if last && anchored {
            return path.len() >= at + piece.len() && path[at..].ends_with(piece);
        }
        match path[at..].find(piece) {
            Some(found) => at += found + piece.len(),
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_rule_for_prov_or_any_agent_decides() {
        let r = Robots::parse(
            "User-agent: *\nDisallow: /private\nAllow: /private/press\n\n\
             User-agent: OtherBot\nDisallow: /\n",
        );
        assert!(r.allows("/news/a"));
        assert!(!r.allows("/private/x"));
        assert!(r.allows("/private/press/release"));
        let own =
            Robots::parse("User-agent: *\nDisallow: /\n\nUser-agent: prov\nDisallow: /drafts\n");
        assert!(own.allows("/news"), "prov's own group replaces *");
        assert!(!own.allows("/drafts/1"));
        let empty = Robots::parse("User-agent: *\nDisallow:\n");
        assert!(empty.allows("/anything"));
        assert!(Robots::allow_all().allows("/x"));
        assert!(!Robots::disallow_all().allows("/x"));
    }

    #[test]
    fn wildcards_and_anchors_match_as_the_rfc_says() {
        let r = Robots::parse("User-agent: *\nDisallow: /*.pdf$\nDisallow: /tmp*/old\nAllow: /$\n");
        assert!(!r.allows("/files/report.pdf"));
        assert!(r.allows("/files/report.pdf?download=1"));
        assert!(!r.allows("/tmp123/old/a"));
        assert!(r.allows("/"));
        // A pathological pattern costs linear time, not exponential.
        let long = format!("User-agent: *\nDisallow: /{}x\n", "*a".repeat(2000));
        let r = Robots::parse(&long);
        assert!(r.allows(&format!("/{}", "a".repeat(5000))));
    }
}
