use std::path::PathBuf;

use std::io::Write;

use prov::check::{
    self, CheckConfig, Draft, DraftFormat, Finding, FindingKind, Severity, SkipReason,
};
use prov::verify::VerifyError;

use super::formats::{Format, Github, Human, Json, Junit, Sarif};
use super::output::{color_stdout, note};
use super::{CommandError, Context, Out, exit};

/// Check the quotations in drafts against the store, for CI.
///
/// Reads Markdown, plain-text and HTML files (directories are walked for .md, .markdown,
/// .txt, .html and .htm; quoted glob patterns work too) as a reader sees them: wrapped
/// lines joined, HTML character references decoded, `<q>` and UK single quotes read as
/// quotation marks. Every quotation is verified against the source its paragraph cites (a
/// link, reference link or footnote to a stored URL, compared without tracking parameters,
/// `<q cite>`, or `prov:ID`), otherwise against the whole store, including who the draft
/// says spoke. Findings: `drifted`,
/// `unsupported`, `misattributed`, `unknown-source`, `unconfirmed-speaker`, and with
/// --sources `unreachable-source`. A quotation with `prov:ignore` and a
/// reason in a comment on its line or the line before is exempt. A quotation with no
/// words, fewer than `min_words` or more than 2,000 is skipped and counted; the closing line on stderr
/// says how many were checked and skipped. Exit code 1 when a finding reaches
/// --fail-level (or, with --strict, when any quotation was skipped or cites a source not
/// in the store), 0 when clean, 2 on errors.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Draft files or directories (default: `paths` in prov.toml).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Also re-read every tracked source file and re-fetch every fetched URL, record
    /// changed ones as new versions, and report stored quotations the newest version no
    /// longer has.
    #[arg(long)]
    sources: bool,
    /// With --sources: how to fetch the pages again.
    #[command(flatten)]
    web: super::web::FetchArgs,
    /// Output format (default: human, or json with --json).
    #[arg(long, value_parser = ["human", "json", "sarif", "github", "junit"])]
    format: Option<String>,
    /// The lowest severity that fails the check (default: prov.toml's, else error).
    #[arg(long, value_parser = ["error", "warning", "note"])]
    fail_level: Option<String>,
    /// Also fail when a quotation could not be checked (too short, no words) or cites a
    /// source that is not in the store.
    #[arg(long)]
    strict: bool,
}

/// Draft files named by `paths`: files as given, directories walked for drafts, and glob
/// patterns (`"drafts/**/*.md"`, quoted so the shell leaves them) matched under the
/// working directory.
fn drafts(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CommandError> {
    let mut out = Vec::new();
    for p in paths {
        let pattern = p.to_string_lossy();
        if !p.exists() && pattern.contains(['*', '?', '[']) {
            let glob = globset::Glob::new(&pattern)
                .map_err(|e| CommandError::usage(format!("{pattern}: {e}")))?
                .compile_matcher();
            let matched: Vec<PathBuf> = walkdir::WalkDir::new(".")
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                })
                .flatten()
                .filter(|e| e.file_type().is_file())
                .map(|e| e.path().strip_prefix(".").unwrap_or(e.path()).to_path_buf())
                .filter(|p| glob.is_match(p))
                .collect();
            if matched.is_empty() {
                return Err(CommandError::usage(format!("{pattern}: no file matches")));
            }
            out.extend(matched);
            continue;
        }
        let meta =
            std::fs::metadata(p).map_err(|e| CommandError::new(format!("{}: {e}", p.display())))?;
        if !meta.is_dir() {
            out.push(p.clone());
            continue;
        }
        let walker = walkdir::WalkDir::new(p)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for e in walker.flatten() {
            let is_draft = e.file_type().is_file()
                && e.path()
                    .extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| matches!(x, "md" | "markdown" | "txt" | "html" | "htm"));
            if is_draft {
                out.push(e.into_path());
            }
        }
    }
    Ok(out)
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let mut store = ctx.store()?;
    let root = store.root().to_path_buf();
    let config = CheckConfig::load(&root).map_err(|e| {
        CommandError::new(e.to_string()).hint("see `prov help check` and the README for prov.toml")
    })?;
    let ignore = config.ignore_set().map_err(|e| {
        CommandError::new(format!(
            "{}: ignore pattern: {e}",
            root.join(check::config::FILE).display()
        ))
    })?;
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        config.paths.iter().map(|p| root.join(p)).collect()
    } else {
        args.paths.clone()
    };
    if paths.is_empty() && !args.sources {
        return Err(CommandError::usage("no drafts to check")
            .hint("give draft files or directories, set `paths` under [check] in prov.toml, or use --sources"));
    }
    // Drafts are named as the store names tracked paths (relative to the repository root,
    // `/` separators) whether given relative, absolute or by prov.toml.
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for f in drafts(&paths)? {
        let name = store.tracked_path(&f)?;
        if !ignore.is_match(&name) {
            files.push((f, name));
        }
    }
    let mut findings: Vec<Finding> = Vec::new();
    let mut names = Vec::with_capacity(files.len());
    if args.sources {
        let fetch = args.web.options();
        let drift = check::check_sources(&mut store, &config, &fetch)?;
        for f in &drift {
            if !names.contains(&f.path) {
                names.push(f.path.clone());
            }
        }
        findings.extend(drift);
    }
    let mut checked = 0;
    let mut skipped: Vec<check::Skipped> = Vec::new();
    let mut lookups = check::Lookups::default();
    // A draft that cannot be read is reported and the others are still checked, so one
    // bad file does not hide every other draft's findings; the run then exits 2.
    let mut unreadable: Vec<String> = Vec::new();
    for (f, name) in files {
        let bytes = match std::fs::read(&f) {
            Ok(b) => b,
            Err(e) => {
                unreadable.push(format!("{}: {e}", f.display()));
                continue;
            }
        };
        let decoded = match prov::text::decode(&bytes) {
            Ok(d) => d,
            Err(e) => {
                unreadable.push(format!("{}: {e}", f.display()));
                continue;
            }
        };
        let draft = Draft::read(&decoded.text, DraftFormat::of_path(&f));
        let result =
            check::check_draft(&store, &name, &decoded.text, &draft, &config, &mut lookups)
                .map_err(|e| match e {
                    VerifyError::Store(s) => CommandError::from(s),
                    other => CommandError::from(other).context(&name),
                })?;
        findings.extend(result.findings);
        checked += result.checked;
        skipped.extend(result.skipped);
        names.push(name);
    }
    let format_name = match args.format.as_deref() {
        Some(f) => f,
        None if out.json => "json",
        None => "human",
    };
    let format: Box<dyn Format> = match format_name {
        "json" => Box::new(Json),
        "sarif" => Box::new(Sarif),
        "github" => Box::new(Github),
        "junit" => Box::new(Junit),
        _ => Box::new(Human {
            color: color_stdout(),
        }),
    };
    format.write(out, &findings, &names)?;
    if args.strict && format_name == "human" {
        for s in skipped.iter().filter(|s| s.reason != SkipReason::Ignored) {
            writeln!(
                out,
                "{}:{}:{}: skipped ({}): “{}”",
                s.path,
                s.line,
                s.column,
                s.reason.as_str(),
                s.quote
            )?;
        }
    }
    std::io::Write::flush(out)?;
    for e in &unreadable {
        note(format!("error: {e}"));
    }
    let mut closing = summary(&findings, checked, &skipped, names.len());
    if !unreadable.is_empty() {
        closing.push_str(&format!(
            "; {} not read (see the errors above)",
            unreadable.len()
        ));
    }
    note(closing);
    if !unreadable.is_empty() {
        return Ok(exit::ERROR);
    }
    let fail_at = args
        .fail_level
        .as_deref()
        .or(config.fail_level.as_deref())
        .and_then(check::config::parse_severity)
        .unwrap_or(Severity::Error);
    let strict_failure = args.strict
        && (skipped.iter().any(|s| s.reason != SkipReason::Ignored)
            || findings
                .iter()
                .any(|f| f.kind == FindingKind::UnknownSource));
    Ok(
        if strict_failure || findings.iter().any(|f| f.severity >= fail_at) {
            exit::FINDING
        } else {
            exit::SUCCESS
        },
    )
}

/// The closing line: what was checked, what was skipped and why, what was found.
fn summary(
    findings: &[Finding],
    checked: usize,
    skipped: &[check::Skipped],
    files: usize,
) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut line = format!(
        "checked {} in {}",
        plural(checked, "quotation", "quotations"),
        plural(files, "file", "files")
    );
    if !skipped.is_empty() {
        let by_reason: Vec<String> = SkipReason::ALL
            .into_iter()
            .map(|r| (r, skipped.iter().filter(|s| s.reason == r).count()))
            .filter(|&(_, n)| n > 0)
            .map(|(r, n)| format!("{n} {}", r.as_str()))
            .collect();
        line.push_str(&format!(
            ", {} skipped ({})",
            skipped.len(),
            by_reason.join(", ")
        ));
    }
    line.push_str(&format!(
        "; {}",
        plural(findings.len(), "finding", "findings")
    ));
    line
}
