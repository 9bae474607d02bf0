//! Multi-file test fixtures, rust-analyzer style: one string, files separated by `//- path`
//! header lines, written into a temporary directory.

use std::path::Path;

/// Writes the files of `fixture` under `dir`. Each file's common indentation is removed, so
/// fixtures can be indented with the test code and assembled from indented pieces.
pub(crate) fn write(dir: &Path, fixture: &str) {
    let mut files: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in fixture.lines() {
        if let Some(path) = line.trim_start().strip_prefix("//- ") {
            files.push((path.trim(), Vec::new()));
        } else if let Some((_, lines)) = files.last_mut() {
            lines.push(line);
        } else {
            assert!(
                line.trim().is_empty(),
                "fixture text before the first `//- path`: {line}"
            );
        }
    }
    for (path, lines) in files {
        let indent = lines
            .iter()
            .filter(|line| !line.trim().is_empty())
            .map(|line| line.len() - line.trim_start().len())
            .min()
            .unwrap_or(0);
        let mut text = String::new();
        for line in lines {
            text.push_str(line.get(indent..).unwrap_or("").trim_end_matches(' '));
            text.push('\n');
        }
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text.trim_end().to_owned() + "\n").unwrap();
    }
}
