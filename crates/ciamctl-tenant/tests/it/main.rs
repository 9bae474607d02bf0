//! Reading the live tenant from the in-process emulator: what a snapshot holds, how few
//! requests it takes, and that a failed read is never mistaken for an empty kind.

mod support;

mod read;
