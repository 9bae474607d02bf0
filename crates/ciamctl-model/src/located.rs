//! [`Located<T>`]: a value together with where it was written.
//!
//! The loader's deserializer recognises `Located` by a private struct name and hands it the
//! span of the node it is reading, so every `Located` field of the model knows its file, line
//! and column without the model types doing anything. Everything else treats a `Located<T>` as
//! its `T`: it serializes as `T`, its JSON Schema is `T`'s, and equality, ordering and hashing
//! look at the value only (two flows named "A" are equal names wherever they were written).

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::Deref;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::diagnostic::{FileId, Span};

/// The struct name by which the loader's deserializer recognises a `Located`.
pub(crate) const MAGIC: &str = "$ciamctl::Located";
pub(crate) const SPAN_FIELD: &str = "$span";
pub(crate) const VALUE_FIELD: &str = "$value";

/// A value and the span of the YAML node it was read from.
///
/// The value is reached through `Deref` (`*flag`, `name.as_str()`) or [`Located::get`]; the
/// field is private so that field access through `Deref` reaches the value's own fields
/// (`option.value` of an input option is the option's value, not the wrapper's).
#[derive(Clone, Copy)]
pub struct Located<T> {
    value: T,
    /// Where the value was written.
    pub span: Span,
}

impl<T> Located<T> {
    pub fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }

    /// Where the value was written (also the public field `span`, for use in closures).
    pub fn span(&self) -> Span {
        self.span
    }

    pub fn get(&self) -> &T {
        &self.value
    }

    pub fn into_inner(self) -> T {
        self.value
    }

    /// The same span around a different value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Located<U> {
        Located {
            value: f(self.value),
            span: self.span,
        }
    }

    pub fn as_ref(&self) -> Located<&T> {
        Located {
            value: &self.value,
            span: self.span,
        }
    }
}

impl<T> Deref for Located<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// Lets a map keyed by `Located<String>` be looked up with a `&str`; sound because `Ord` and
/// `Hash` look at the value only.
impl Borrow<str> for Located<String> {
    fn borrow(&self) -> &str {
        &self.value
    }
}

/// Prints the value only: model dumps in tests and logs stay readable, and spans are printed
/// through diagnostics, which turn them into a file, line and column.
impl<T: fmt::Debug> fmt::Debug for Located<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: fmt::Display> fmt::Display for Located<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: PartialEq> PartialEq for Located<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Located<T> {}

impl<T: PartialOrd> PartialOrd for Located<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl<T: Ord> Ord for Located<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl<T: Hash> Hash for Located<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T: Serialize> Serialize for Located<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Located<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct(
            MAGIC,
            &[SPAN_FIELD, VALUE_FIELD],
            LocatedVisitor(PhantomData),
        )
    }
}

struct LocatedVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for LocatedVisitor<T> {
    type Value = Located<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value read by the ciamctl configuration loader")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut span = None;
        let mut value = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                SPAN_FIELD => {
                    let (file, start, end) = map.next_value::<(u32, usize, usize)>()?;
                    span = Some(Span {
                        file: FileId(file),
                        start,
                        end,
                    });
                }
                VALUE_FIELD => value = Some(map.next_value()?),
                other => return Err(de::Error::unknown_field(other, &[SPAN_FIELD, VALUE_FIELD])),
            }
        }
        match (value, span) {
            (Some(value), Some(span)) => Ok(Located { value, span }),
            (None, _) => Err(de::Error::missing_field(VALUE_FIELD)),
            (Some(_), None) => Err(de::Error::missing_field(SPAN_FIELD)),
        }
    }
}
