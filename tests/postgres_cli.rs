//! The CLI suites again, each test's store a PostgreSQL database on a server the tests
//! start themselves (see `common::pg`): every command must work the same on both engines,
//! with the same output. Tests that look inside a store directory skip themselves here.

// Each suite brings its own `mod common;`: the helpers are compiled once per suite here,
// as they are in the suites' own binaries.
#![allow(clippy::duplicate_mod)]

#[path = "archive_cli.rs"]
mod archive_cli;
#[path = "check_cli.rs"]
mod check_cli;
#[path = "complete_evidence.rs"]
mod complete_evidence;
#[path = "corrections_cli.rs"]
mod corrections_cli;
#[path = "diff_cli.rs"]
mod diff_cli;
#[path = "export_cli.rs"]
mod export_cli;
#[path = "feed_cli.rs"]
mod feed_cli;
#[path = "quotes_cli.rs"]
mod quotes_cli;
#[path = "snapshots_cli.rs"]
mod snapshots_cli;
#[path = "store_cli.rs"]
mod store_cli;
#[path = "sync_cli.rs"]
mod sync_cli;
#[path = "verify_cli.rs"]
mod verify_cli;
#[path = "web_cli.rs"]
mod web_cli;
