// Tests panic on anything unexpected; that is their job.
#![allow(clippy::unwrap_used)]
