//! Unit tests of the secret wrapper and secret sources: the mask, and reading values.

use super::*;

#[test]
fn secret_debug_display_and_serialize_print_the_mask() {
    let secret = Secret::new("hunter2".to_owned());
    assert_eq!(format!("{secret:?}"), MASK);
    assert_eq!(format!("{secret}"), MASK);
    assert_eq!(
        format!("{:#?}", Some(&secret)),
        format!("Some(\n    {MASK},\n)")
    );
    assert_eq!(
        serde_json::to_string(&secret).unwrap(),
        format!("\"{MASK}\"")
    );
    assert_eq!(secret.expose(), "hunter2");
}

#[test]
fn env_source_reads_the_variable_and_names_it_when_missing() {
    // A name no other test uses, so parallel tests cannot race on it.
    let name = "CIAMCTL_SECRET_TEST_ENV_SOURCE";
    let source = SecretSource::Env(name.to_owned());
    let err = source.resolve(Path::new(".")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("environment variable `{name}` is not set")
    );
}

#[test]
fn file_source_is_trimmed_and_relative_to_the_base_dir() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("google.secret"), "  s3cr3t\n").unwrap();
    let source = SecretSource::File(PathBuf::from("google.secret"));
    assert_eq!(source.resolve(dir.path()).unwrap().expose(), "s3cr3t");
    assert_eq!(source.to_string(), "${file:google.secret}");
}

#[test]
fn unreadable_file_error_names_the_path_not_the_content() {
    let dir = tempfile::tempdir().unwrap();
    let source = SecretSource::File(PathBuf::from("missing.secret"));
    let message = source.resolve(dir.path()).unwrap_err().to_string();
    assert!(
        message.starts_with("cannot read secret file `"),
        "{message}"
    );
    assert!(message.contains("missing.secret"), "{message}");
}

#[test]
fn a_reference_reads_back_as_the_source_it_displays() {
    for source in [
        SecretSource::Env("GOOGLE_CLIENT_SECRET".to_owned()),
        SecretSource::File(PathBuf::from("secrets/google.txt")),
    ] {
        assert_eq!(
            SecretSource::from_reference(&source.to_string()),
            Some(source)
        );
    }
    for text in ["${env:}", "${vault:x}", "env:X", "${env:X", "plain"] {
        assert_eq!(SecretSource::from_reference(text), None, "{text}");
    }
}
