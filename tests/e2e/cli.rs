//! The command line itself: help and version succeed, and a wrong command line is an error
//! with exit status 1 (never 2, which `plan --detailed-exitcode` and `drift` use for changes).

use std::process::Command;

fn ciamctl(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ciamctl"))
        .args(args)
        .env_clear()
        .output()
        .unwrap()
}

#[test]
fn help_and_version_print_to_stdout_and_exit_0() {
    for args in [&["--help"][..], &["--version"], &["validate", "--help"]] {
        let output = ciamctl(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert!(!output.stdout.is_empty(), "{args:?}");
    }
    let version = String::from_utf8(ciamctl(&["--version"]).stdout).unwrap();
    assert_eq!(
        version.trim(),
        format!("ciamctl {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn wrong_command_line_exits_1_and_says_what_is_wrong_on_stderr() {
    for (args, mentions) in [
        (&["frobnicate"][..], "frobnicate"),
        (&["validate", "--no-such-flag"], "--no-such-flag"),
        (&[], "Usage"),
    ] {
        let output = ciamctl(args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(mentions), "{args:?}: {stderr}");
    }
}
