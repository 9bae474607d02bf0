//! Secret fields end to end: accepted forms, never read at load time, never shown.

use std::path::Path;

use ciamctl_secret::SecretSource;

use crate::fixture;
use crate::load::load_with;

fn provider(secret: &str) -> String {
    format!(
        "//- idps.yaml\nidentityProviders:\n  - name: Google\n    type: google\n    clientId: abc\n    \
         clientSecret: {secret}\n"
    )
}

#[test]
fn secret_references_are_kept_and_never_read_at_load_time() {
    let dir = tempfile::tempdir().unwrap();
    // Neither the environment variable nor the file exists: loading must not care.
    fixture::write(dir.path(), &provider("${file:secrets/google.txt}"));
    let loaded = load_with(dir.path(), None, &|_| None);
    assert!(
        loaded.diagnostics().is_empty(),
        "{:?}",
        loaded.diagnostics()
    );
    let secret = loaded.config().unwrap().identity_providers[0]
        .client_secret
        .as_ref()
        .unwrap();
    assert_eq!(
        **secret.get(),
        SecretSource::File("secrets/google.txt".into())
    );

    fixture::write(dir.path(), &provider("${env:GOOGLE_CLIENT_SECRET}"));
    let loaded = load_with(dir.path(), None, &|name| panic!("read {name} at load time"));
    assert!(
        loaded.diagnostics().is_empty(),
        "{:?}",
        loaded.diagnostics()
    );
}

#[test]
fn a_secret_file_exists_but_its_content_is_not_in_the_model() {
    let dir = tempfile::tempdir().unwrap();
    fixture::write(dir.path(), &provider("${file:google.txt}"));
    std::fs::write(dir.path().join("google.txt"), "s3cr3t-value").unwrap();
    let loaded = load_with(dir.path(), None, &|_| None);
    let debug = format!("{:?}", loaded.config().unwrap());
    assert!(debug.contains("google.txt"));
    assert!(!debug.contains("s3cr3t-value"));
    let secret = loaded.config().unwrap().identity_providers[0]
        .client_secret
        .clone()
        .unwrap();
    let value = secret.get().resolve(Path::new(dir.path())).unwrap();
    assert_eq!(format!("{value:?} {value}"), "****** ******");
    assert_eq!(value.expose(), "s3cr3t-value");
}

#[test]
fn a_literal_secret_is_an_error_that_never_shows_the_value() {
    let dir = tempfile::tempdir().unwrap();
    fixture::write(dir.path(), &provider("hunter2-literal"));
    let loaded = load_with(dir.path(), None, &|_| None);
    assert_eq!(loaded.diagnostics().len(), 1, "{:?}", loaded.diagnostics());
    let diagnostic = &loaded.diagnostics()[0];
    assert_eq!(diagnostic.code, "literal-secret");
    assert!(diagnostic.help.as_deref().unwrap().contains("${env:NAME}"));
    let span = diagnostic.span.unwrap();
    let text = loaded.sources().text(span.file);
    assert_eq!(&text[span.start..span.end], "***************");
    assert!(!format!("{loaded:?}").contains("hunter2"));
}

#[test]
fn a_variable_in_a_secret_field_is_refused_with_the_env_form_as_help() {
    let dir = tempfile::tempdir().unwrap();
    fixture::write(dir.path(), &provider("${GOOGLE_SECRET}"));
    let loaded = load_with(dir.path(), None, &|_| None);
    let diagnostic = &loaded.diagnostics()[0];
    assert_eq!(diagnostic.code, "literal-secret");
    assert_eq!(
        diagnostic.message,
        "a secret cannot come from the environment-file variable `GOOGLE_SECRET`"
    );
    assert!(
        diagnostic
            .help
            .as_deref()
            .unwrap()
            .contains("`${env:GOOGLE_SECRET}`")
    );
}

#[test]
fn secret_references_serialize_as_written() {
    let dir = tempfile::tempdir().unwrap();
    fixture::write(dir.path(), &provider("${env:GOOGLE_CLIENT_SECRET}"));
    let loaded = load_with(dir.path(), None, &|_| None);
    let json = serde_json::to_value(&loaded.config().unwrap().identity_providers[0]).unwrap();
    assert_eq!(json["clientSecret"], "${env:GOOGLE_CLIENT_SECRET}");
}
