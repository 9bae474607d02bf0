//! Snapshots of every format over one shared set of diagnostics, plus the edge cases.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{Format, RenderOptions, Summary, render};
use crate::diagnostic::{Diagnostic, FileId, Sources, Span};

const TENANT: &str = "\
userFlows:
  - name: Woodgrove customers
    singUp: true
    identityProviders: [EmailPassword]
branding:
  backgroundColor: \"#F3F2F1x\"
";

const PARTNERS: &str = "\
userFlows:
  - name: Woodgrove customers
    identityProviders: [EmailOtp]
";

/// The span of the `nth` (0-based) occurrence of `needle` in a file.
fn span(sources: &Sources, file: FileId, needle: &str, nth: usize) -> Span {
    let (start, _) = sources
        .text(file)
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` not in fixture"));
    Span {
        file,
        start,
        end: start + needle.len(),
    }
}

/// The shared fixture: given out of order on purpose, so every snapshot also checks sorting.
fn sample() -> (Sources, Vec<Diagnostic>) {
    let mut sources = Sources::default();
    let tenant = sources.add("tenant.yaml", TENANT.to_owned());
    let partners = sources.add("flows/partners.yaml", PARTNERS.to_owned());
    let diagnostics = vec![
        Diagnostic::warning(
            "colour-format",
            "`backgroundColor` is not a hex colour",
            Some(span(&sources, tenant, "\"#F3F2F1x\"", 0)),
        )
        .with_label("expected `#RRGGBB`")
        .with_help("write the colour as `#` and six hex digits, e.g. `#F3F2F1`"),
        Diagnostic::error(
            "duplicate-object",
            "user flow `Woodgrove customers` is defined twice",
            Some(span(&sources, partners, "Woodgrove customers", 0)),
        )
        .with_label("defined again here")
        .with_related(
            span(&sources, tenant, "Woodgrove customers", 0),
            "first defined here",
        )
        .with_help("rename one of the flows, or merge them"),
        Diagnostic::error(
            "unknown-key",
            "unknown key `singUp` in a user flow",
            Some(span(&sources, tenant, "singUp", 0)),
        )
        .with_label("did you mean `signUp`?")
        .with_related(
            span(&sources, tenant, "name", 0),
            "in the user flow that starts here",
        )
        .with_help("remove the key, or correct its spelling"),
        Diagnostic::error("no-configuration", "the directory holds no YAML file", None)
            .with_help("run `ciamctl validate -c DIR` with the directory that holds tenant.yaml"),
    ];
    (sources, diagnostics)
}

fn rendered(format: Format, diagnostics: &[Diagnostic], sources: &Sources, root: &str) -> String {
    let mut out = Vec::new();
    let options = RenderOptions {
        root: PathBuf::from(root),
        ..RenderOptions::default()
    };
    render(&mut out, format, diagnostics, sources, &options).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn human_shows_snippets_labels_related_help_and_a_summary() {
    let (sources, diagnostics) = sample();
    insta::assert_snapshot!(rendered(Format::Human, &diagnostics, &sources, "config"));
}

#[test]
fn json_is_a_versioned_document_in_stable_order() {
    let (sources, diagnostics) = sample();
    insta::assert_snapshot!(rendered(Format::Json, &diagnostics, &sources, "config"));
}

#[test]
fn github_prints_one_workflow_command_per_diagnostic() {
    let (sources, diagnostics) = sample();
    insta::assert_snapshot!(rendered(Format::Github, &diagnostics, &sources, "config"));
}

#[test]
fn human_without_colour_has_no_escape_codes_and_with_colour_has_some() {
    let (sources, diagnostics) = sample();
    let plain = rendered(Format::Human, &diagnostics, &sources, ".");
    assert!(!plain.contains('\u{1b}'));
    let mut out = Vec::new();
    let options = RenderOptions {
        color: true,
        ..RenderOptions::default()
    };
    render(&mut out, Format::Human, &diagnostics, &sources, &options).unwrap();
    let coloured = String::from_utf8(out).unwrap();
    assert!(coloured.contains("\u{1b}["));
    assert!(coloured.ends_with("\u{1b}[0m: 4 problems (3 errors, 1 warning) in 2 files\n"));
}

#[test]
fn nothing_to_report_prints_nothing_except_an_empty_json_document() {
    let sources = Sources::default();
    assert_eq!(rendered(Format::Human, &[], &sources, "."), "");
    assert_eq!(rendered(Format::Github, &[], &sources, "."), "");
    let json: serde_json::Value =
        serde_json::from_str(&rendered(Format::Json, &[], &sources, ".")).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "version": 1,
            "diagnostics": [],
            "summary": { "errors": 0, "warnings": 0, "files": 0 }
        })
    );
}

#[test]
fn warnings_only_summary_starts_with_warning() {
    let (sources, diagnostics) = sample();
    let warnings: Vec<_> = diagnostics
        .into_iter()
        .filter(|d| d.code == "colour-format")
        .collect();
    let text = rendered(Format::Human, &warnings, &sources, ".");
    assert!(
        text.ends_with("\nwarning: 1 problem (0 errors, 1 warning) in 1 file\n"),
        "{text}"
    );
}

#[test]
fn github_escapes_percent_newlines_and_property_separators() {
    let mut sources = Sources::default();
    let file = sources.add("a,b:c.yaml", "key: 100%\n".to_owned());
    let diagnostic = Diagnostic::error(
        "bad-value",
        "50% off\r\nis not a value",
        Some(Span {
            file,
            start: 5,
            end: 9,
        }),
    )
    .with_help("use a number");
    let text = rendered(Format::Github, &[diagnostic], &sources, ".");
    assert_eq!(
        text,
        "::error file=a%2Cb%3Ac.yaml,line=1,col=6,endLine=1,endColumn=10,\
         title=ciamctl bad-value::50%25 off%0D%0Ais not a value%0Ahelp: use a number\n"
    );
}

#[test]
fn positions_count_characters_and_the_end_is_exclusive() {
    let mut sources = Sources::default();
    let text = "title: Créez\nname: é\n";
    let file = sources.add("t.yaml", text.to_owned());
    let start = text.find("é\n").unwrap();
    let diagnostic = Diagnostic::error(
        "x",
        "m",
        Some(Span {
            file,
            start,
            end: start + "é".len(),
        }),
    );
    let json: serde_json::Value =
        serde_json::from_str(&rendered(Format::Json, &[diagnostic], &sources, ".")).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(
        (&d["line"], &d["column"], &d["endLine"], &d["endColumn"]),
        (
            &serde_json::json!(2),
            &serde_json::json!(7),
            &serde_json::json!(2),
            &serde_json::json!(8)
        )
    );
}

#[test]
fn paths_join_the_root_without_dot_segments() {
    use std::path::Path;
    assert_eq!(
        super::display_path(Path::new("."), Path::new("a.yaml")),
        "a.yaml"
    );
    assert_eq!(
        super::display_path(Path::new("./cfg/"), Path::new("environments/dev.yaml")),
        "cfg/environments/dev.yaml"
    );
    assert_eq!(
        super::display_path(Path::new("/tmp/x"), Path::new("a.yaml")),
        "/tmp/x/a.yaml"
    );
}

#[test]
fn summary_pluralises_and_counts_distinct_files() {
    let (sources, diagnostics) = sample();
    let summary = Summary::of(&diagnostics, &sources);
    assert_eq!(
        summary,
        Summary {
            errors: 3,
            warnings: 1,
            files: 2
        }
    );
    assert_eq!(
        summary.describe(),
        "4 problems (3 errors, 1 warning) in 2 files"
    );
    assert_eq!(
        Summary {
            errors: 1,
            warnings: 0,
            files: 0
        }
        .describe(),
        "1 problem (1 error, 0 warnings)"
    );
}

#[test]
fn a_snippet_deep_in_a_file_shows_its_own_lines_numbered_as_in_the_file() {
    let mut text = String::new();
    for i in 1..=2000 {
        writeln!(text, "k{i}: v").unwrap();
    }
    text.push_str("last: v");
    let mut sources = Sources::default();
    let file = sources.add("big.yaml", text);
    let at = |needle: &str| span(&sources, file, needle, 0);
    let diagnostics = vec![
        Diagnostic::error("deep", "a key deep in the file", Some(at("k1500:")))
            .with_related(at("k1502:"), "and two lines below"),
        Diagnostic::error("last", "the last line", Some(at("last"))),
    ];
    let human = rendered(Format::Human, &diagnostics, &sources, "");
    let expected = "\
error[deep]

  × a key deep in the file
      ╭─[big.yaml:1500:1]
 1499 │ k1499: v
 1500 │ k1500: v
      · ──────
 1501 │ k1501: v
 1502 │ k1502: v
      · ───┬──
      ·    ╰── and two lines below
 1503 │ k1503: v
      ╰────

error[last]

  × the last line
      ╭─[big.yaml:2001:1]
 2000 │ k2000: v
 2001 │ last: v
      · ────
      ╰────
";
    assert!(human.starts_with(expected), "{human}");
}
