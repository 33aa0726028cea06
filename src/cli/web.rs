//! Flags every command that fetches URLs shares: timeout, politeness and size.

use std::time::Duration;

use prov::fetch::{DEFAULT_HOST_DELAY, FetchOptions, Polite};

#[derive(Debug, Clone, clap::Args)]
pub struct FetchArgs {
    /// Give up on a URL after this many seconds (connecting, redirects and body).
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = super::add::parse_seconds)]
    pub timeout: Duration,
    /// Seconds to wait between two requests to the same site (0 for none).
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_HOST_DELAY.as_secs_f64(), value_parser = parse_delay)]
    pub delay: f64,
    /// Fetch pages even where the site's robots.txt asks crawlers not to.
    #[arg(long)]
    pub ignore_robots: bool,
    /// Refuse a file, URL body or standard input larger than this (bytes; K, M and G
    /// suffixes allowed; a compressed body counts as it expands).
    #[arg(long, value_name = "SIZE", default_value = "20M", value_parser = super::add::parse_size)]
    pub max_size: u64,
}

fn parse_delay(s: &str) -> Result<f64, String> {
    let secs: f64 = s
        .trim()
        .trim_end_matches('s')
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds (e.g. 1 or 0.5)"))?;
    if !(0.0..=600.0).contains(&secs) {
        return Err(format!(
            "{s:?}: the delay must be between 0 and 600 seconds"
        ));
    }
    Ok(secs)
}

impl FetchArgs {
    /// Fetch options with these flags.
    pub fn options(&self) -> FetchOptions {
        FetchOptions {
            timeout: self.timeout,
            max_bytes: self.max_size,
            polite: std::sync::Arc::new(Polite::new(
                Duration::from_secs_f64(self.delay),
                !self.ignore_robots,
            )),
            ..FetchOptions::default()
        }
    }
}
