//! Lexical containment and the symbolic-link check.

use std::path::{Path, PathBuf};

use super::{Escape, contained, stays_inside};

#[test]
fn paths_fold_dots_relative_to_their_base() {
    let root = Path::new("/cfg");
    assert_eq!(
        contained(root, Path::new(""), "a/./b/../c.txt"),
        Ok(PathBuf::from("/cfg/a/c.txt"))
    );
    assert_eq!(
        contained(root, Path::new("branding"), "../assets/x.png"),
        Ok(PathBuf::from("/cfg/assets/x.png"))
    );
}

#[test]
fn paths_that_leave_the_root_as_written_are_refused() {
    let root = Path::new("/cfg");
    assert_eq!(
        contained(root, Path::new(""), "../c.txt"),
        Err(Escape::AboveRoot)
    );
    assert_eq!(
        contained(root, Path::new("branding"), "a/../../../c.txt"),
        Err(Escape::AboveRoot)
    );
    assert_eq!(
        contained(root, Path::new("branding"), "/etc/passwd"),
        Err(Escape::Absolute)
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_root_does_not_stay_inside() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("config");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(dir.path().join("outside.txt"), "x").unwrap();
    std::fs::write(root.join("inside.txt"), "x").unwrap();
    std::os::unix::fs::symlink(dir.path().join("outside.txt"), root.join("out.txt")).unwrap();
    std::os::unix::fs::symlink("inside.txt", root.join("in.txt")).unwrap();
    assert!(!stays_inside(&root, &root.join("out.txt")).unwrap());
    assert!(stays_inside(&root, &root.join("in.txt")).unwrap());
    assert!(stays_inside(&root, &root.join("missing.txt")).is_err());
}
