//! Rendering a live tenant as text.
