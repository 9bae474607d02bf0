//! Parsing `${…}` references and secret references.

use std::path::PathBuf;

use ciamctl_secret::SecretSource;

use super::{Piece, Reference, ReferenceKind, SecretProblem, parse, parse_secret};

#[test]
fn text_and_references_are_split_with_their_ranges() {
    let pieces = parse("a ${NAME} b ${env:HOME_DIR}${file:x/y.txt}").unwrap();
    assert_eq!(
        pieces,
        [
            Piece::Text("a "),
            Piece::Reference(Reference {
                kind: ReferenceKind::Variable("NAME"),
                range: 2..9
            }),
            Piece::Text(" b "),
            Piece::Reference(Reference {
                kind: ReferenceKind::Env("HOME_DIR"),
                range: 12..27
            }),
            Piece::Reference(Reference {
                kind: ReferenceKind::File("x/y.txt"),
                range: 27..42
            }),
        ]
    );
}

#[test]
fn double_dollar_escapes_a_reference_and_lone_dollars_stay() {
    assert_eq!(
        parse("$${NAME} costs $5 $$").unwrap(),
        [Piece::Text("${"), Piece::Text("NAME} costs $5 $$")]
    );
}

#[test]
fn malformed_references_are_errors_with_their_range() {
    let error = parse("x ${oops").unwrap_err();
    assert_eq!(error.range, 2..8);
    assert_eq!(error.message, "`${` is not closed by `}`");
    for bad in [
        "${}",
        "${1ABC}",
        "${env:}",
        "${env:A-B}",
        "${file: }",
        "${a b}",
    ] {
        let error = parse(bad).unwrap_err();
        assert_eq!(error.range, 0..bad.len(), "{bad}");
    }
}

#[test]
fn a_secret_is_exactly_one_env_or_file_reference() {
    assert_eq!(
        parse_secret("${env:GOOGLE_SECRET}"),
        Ok(SecretSource::Env("GOOGLE_SECRET".into()))
    );
    assert_eq!(
        parse_secret("${file:/run/secrets/google}"),
        Ok(SecretSource::File(PathBuf::from("/run/secrets/google")))
    );
    assert_eq!(parse_secret("hunter2"), Err(SecretProblem::Literal));
    assert_eq!(
        parse_secret("${env:A}${env:B}"),
        Err(SecretProblem::Literal)
    );
    assert_eq!(parse_secret("prefix-${env:A}"), Err(SecretProblem::Literal));
    assert_eq!(
        parse_secret("${GOOGLE}"),
        Err(SecretProblem::Variable("GOOGLE".into()))
    );
    assert!(matches!(
        parse_secret("${env:"),
        Err(SecretProblem::Syntax(_))
    ));
}
