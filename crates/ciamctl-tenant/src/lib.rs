//! Reads the live tenant a configuration manages.
