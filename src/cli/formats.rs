//! Output formats for `prov check`: one small writer each, behind one trait.

use std::io::{self, Write};

use prov::check::{Finding, FindingKind, Severity};
use serde_json::json;

use super::output::paint;
use super::verify::render_diff;

/// Writes a check's findings in one format.
pub trait Format {
    fn write(&self, out: &mut dyn Write, findings: &[Finding], drafts: &[String])
    -> io::Result<()>;
}

/// Like a compiler: `path:line:col: severity[kind]: message`, the quote, the diff.
pub struct Human {
    pub color: bool,
}

impl Format for Human {
    fn write(
        &self,
        out: &mut dyn Write,
        findings: &[Finding],
        _drafts: &[String],
    ) -> io::Result<()> {
        for f in findings {
            let code = match f.severity {
                Severity::Error => "1;31",
                Severity::Warning => "1;33",
                Severity::Note => "1;36",
            };
            let sev = paint(f.severity.as_str(), code, self.color);
            writeln!(
                out,
                "{}:{}:{}: {sev}[{}]: {}",
                f.path,
                f.line,
                f.column,
                f.kind.as_str(),
                f.message
            )?;
            // Findings about a source (unreachable) rather than a quotation have none.
            if !f.quote.is_empty() {
                writeln!(out, "  quote: “{}”", f.quote)?;
            }
            if !f.diff.is_empty() {
                writeln!(out, "  wording: {}", render_diff(&f.diff, self.color))?;
            }
        }
        Ok(())
    }
}

/// One JSON object per finding.
pub struct Json;

impl Format for Json {
    fn write(
        &self,
        out: &mut dyn Write,
        findings: &[Finding],
        _drafts: &[String],
    ) -> io::Result<()> {
        for f in findings {
            serde_json::to_writer(&mut *out, f).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        Ok(())
    }
}

/// GitHub Actions workflow commands, which annotate the pull request's files.
pub struct Github;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Format for Github {
    fn write(
        &self,
        out: &mut dyn Write,
        findings: &[Finding],
        _drafts: &[String],
    ) -> io::Result<()> {
        for f in findings {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            writeln!(
                out,
                "::{level} file={},line={},col={},title={}::{}",
                escape_property(&f.path),
                f.line,
                f.column,
                escape_property(&format!("prov {}", f.kind.as_str())),
                escape_data(&format!("{} (quote: “{}”)", f.message, f.quote))
            )?;
        }
        Ok(())
    }
}

/// JUnit XML: a test case per draft, failing with each of its findings.
pub struct Junit;

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Format for Junit {
    fn write(
        &self,
        out: &mut dyn Write,
        findings: &[Finding],
        drafts: &[String],
    ) -> io::Result<()> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="prov check" tests="{}" failures="{}">"#,
            drafts.len().max(1),
            findings.len()
        )?;
        writeln!(
            out,
            r#"  <testsuite name="prov check" tests="{}" failures="{}">"#,
            drafts.len().max(1),
            findings.len()
        )?;
        for d in drafts {
            let mine: Vec<&Finding> = findings.iter().filter(|f| &f.path == d).collect();
            writeln!(
                out,
                r#"    <testcase classname="prov.check" name="{}">"#,
                xml(d)
            )?;
            for f in mine {
                writeln!(
                    out,
                    r#"      <failure type="{}" message="{}">{}:{}:{}: “{}”</failure>"#,
                    f.kind.as_str(),
                    xml(&f.message),
                    xml(&f.path),
                    f.line,
                    f.column,
                    xml(&f.quote)
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>\n</testsuites>")
    }
}

/// SARIF 2.1.0, for code-scanning dashboards.
pub struct Sarif;

impl Format for Sarif {
    fn write(
        &self,
        out: &mut dyn Write,
        findings: &[Finding],
        _drafts: &[String],
    ) -> io::Result<()> {
        let rules: Vec<_> = FindingKind::ALL
            .iter()
            .map(|k| json!({ "id": k.as_str(), "shortDescription": { "text": k.description() } }))
            .collect();
        let results: Vec<_> = findings
            .iter()
            .map(|f| {
                json!({
                    "ruleId": f.kind.as_str(),
                    "level": f.severity.as_str(),
                    "message": { "text": format!("{} (quote: “{}”)", f.message, f.quote) },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": f.path },
                            "region": { "startLine": f.line, "startColumn": f.column }
                        }
                    }]
                })
            })
            .collect();
        let doc = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": { "name": "prov", "version": env!("CARGO_PKG_VERSION"), "rules": rules } },
                "results": results
            }]
        });
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::from)?;
        writeln!(out)
    }
}
