//! A kind of the live tenant that was read, or the reason it could not be.

use serde::{Serialize, Serializer};

/// The result of reading one kind of the live tenant. A kind whose read failed is
/// [`Known::Unknown`]: nothing may treat it as empty, so no create or delete can be planned
/// from it (issue 4, "fail closed").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known<T> {
    /// The kind was read completely.
    Known(T),
    /// The kind could not be read; why.
    Unknown(ReadFailure),
}

/// Why a kind could not be read: the request that failed and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadFailure {
    /// The request, as `METHOD /version/path` (e.g. `GET /v1.0/identity/identityProviders`).
    pub request: String,
    /// What went wrong (an HTTP status and Graph error, or a [`ParseError`](crate::ParseError)).
    pub reason: String,
}

impl<T> Known<T> {
    /// An unknown kind, from the failed request and the reason.
    pub fn unknown(request: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Unknown(ReadFailure {
            request: request.into(),
            reason: reason.into(),
        })
    }

    /// The value, if it was read.
    pub fn known(&self) -> Option<&T> {
        match self {
            Self::Known(value) => Some(value),
            Self::Unknown(_) => None,
        }
    }

    /// The value, mutably, if it was read (the fetcher fills in downloaded assets).
    pub fn known_mut(&mut self) -> Option<&mut T> {
        match self {
            Self::Known(value) => Some(value),
            Self::Unknown(_) => None,
        }
    }

    /// Whether the kind was read.
    pub fn is_known(&self) -> bool {
        matches!(self, Self::Known(_))
    }

    /// Why the kind is unknown, if it is.
    pub fn failure(&self) -> Option<&ReadFailure> {
        match self {
            Self::Known(_) => None,
            Self::Unknown(failure) => Some(failure),
        }
    }

    /// The value transformed, or the same failure.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Known<U> {
        match self {
            Self::Known(value) => Known::Known(f(value)),
            Self::Unknown(failure) => Known::Unknown(failure),
        }
    }
}

/// A known value serialises as itself, an unknown one as
/// `{"unknown": {"request": ..., "reason": ...}}`.
impl<T: Serialize> Serialize for Known<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Unknown<'a> {
            unknown: &'a ReadFailure,
        }
        match self {
            Self::Known(value) => value.serialize(serializer),
            Self::Unknown(failure) => Unknown { unknown: failure }.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_unknown_kind_serialises_with_its_request_and_reason() {
        let kind: Known<Vec<u8>> = Known::unknown("GET /v1.0/identity/identityProviders", "403");
        assert_eq!(
            serde_json::to_value(&kind).unwrap(),
            json!({ "unknown": { "request": "GET /v1.0/identity/identityProviders", "reason": "403" } })
        );
        assert!(!kind.is_known());
        assert_eq!(kind.known(), None);
        assert_eq!(kind.failure().unwrap().reason, "403");
    }

    #[test]
    fn a_known_kind_serialises_as_its_value_even_when_empty() {
        let kind = Known::Known(Vec::<u8>::new());
        assert_eq!(serde_json::to_value(&kind).unwrap(), json!([]));
        assert!(kind.is_known());
        assert_eq!(kind.known(), Some(&Vec::new()));
    }
}
