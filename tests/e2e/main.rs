//! End-to-end tests: the `ciamctl` binary run as a user runs it.
