//! The live tenant as data.
