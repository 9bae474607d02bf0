//! End-to-end tests: the `ciamctl` binary run as a user runs it, plus the repository-wide
//! "tidy" rules. One test binary for the whole CLI (matklad: fewer links, faster builds).

mod emulator;
mod schema;
mod tidy;
mod validate;
