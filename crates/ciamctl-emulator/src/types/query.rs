//! The `OData` query options the emulator's collections take: `$filter` with `eq`/`ne`
//! comparisons joined by `and`/`or`, and `$select`.
//!
//! Strings in `$filter` are single-quoted with a quote inside doubled (`'O''Brien'`,
//! REFERENCE.md §10). String comparisons ignore case, as directory queries do. Anything else
//! (functions, `in`, `not`, parentheses, lambdas, other operators or properties) is answered
//! with 400 `Request_UnsupportedQuery`, the code §12.1 lists for directory queries Graph does
//! not support, so a client never gets a silently unfiltered list.

use http::StatusCode;
use serde_json::Value;

use super::def::TypeDef;
use crate::error::GraphError;
use crate::request::GraphRequest;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
}

#[derive(Debug, Clone, PartialEq)]
enum Literal {
    String(String),
    Bool(bool),
    Null,
}

#[derive(Debug, Clone, PartialEq)]
struct Comparison {
    property: &'static str,
    op: Op,
    value: Literal,
}

/// A parsed `$filter`: any of several all-of groups (`and` binds tighter than `or`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Filter {
    any_of: Vec<Vec<Comparison>>,
}

fn unsupported(message: impl Into<String>) -> GraphError {
    GraphError::new(
        StatusCode::BAD_REQUEST,
        "Request_UnsupportedQuery",
        message.into(),
    )
}

fn invalid(message: impl Into<String>) -> GraphError {
    GraphError::new(
        StatusCode::BAD_REQUEST,
        "Request_BadRequest",
        message.into(),
    )
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Quoted(String),
}

fn tokenize(text: &str) -> Result<Vec<Token>, GraphError> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '\'' {
            chars.next();
            let mut value = String::new();
            loop {
                match chars.next() {
                    Some('\'') if chars.peek() == Some(&'\'') => {
                        chars.next();
                        value.push('\'');
                    }
                    Some('\'') => break,
                    Some(other) => value.push(other),
                    None => {
                        return Err(invalid(format!(
                            "Invalid filter clause: unterminated string literal in '{text}'."
                        )));
                    }
                }
            }
            tokens.push(Token::Quoted(value));
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '\'' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            tokens.push(Token::Word(word));
        }
    }
    Ok(tokens)
}

impl Filter {
    /// Parses `text`, allowing comparisons on `properties` (matched case-insensitively) with
    /// the operators in `ops`.
    pub(crate) fn parse(
        text: &str,
        properties: &[&'static str],
        ops: &[Op],
    ) -> Result<Self, GraphError> {
        let tokens = tokenize(text)?;
        let mut any_of = vec![Vec::new()];
        let mut rest = tokens.as_slice();
        loop {
            let (comparison, after) = Self::comparison(rest, properties, ops, text)?;
            if let Some(group) = any_of.last_mut() {
                group.push(comparison);
            }
            match after {
                [] => break,
                [Token::Word(joiner), tail @ ..] if joiner.eq_ignore_ascii_case("and") => {
                    rest = tail;
                }
                [Token::Word(joiner), tail @ ..] if joiner.eq_ignore_ascii_case("or") => {
                    any_of.push(Vec::new());
                    rest = tail;
                }
                _ => {
                    return Err(unsupported(format!(
                        "Unsupported query: '{text}'. The emulator supports comparisons joined by 'and' or 'or'."
                    )));
                }
            }
        }
        Ok(Self { any_of })
    }

    fn comparison<'t>(
        tokens: &'t [Token],
        properties: &[&'static str],
        ops: &[Op],
        text: &str,
    ) -> Result<(Comparison, &'t [Token]), GraphError> {
        let [Token::Word(name), Token::Word(op), value, rest @ ..] = tokens else {
            return Err(unsupported(format!(
                "Unsupported query: '{text}'. The emulator supports '<property> eq <value>' comparisons."
            )));
        };
        let property = properties
            .iter()
            .copied()
            .find(|p| p.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                unsupported(format!(
                    "Unsupported query: filtering on '{name}' is not supported; filterable properties: {}.",
                    properties.join(", ")
                ))
            })?;
        let op = match op.to_ascii_lowercase().as_str() {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            other => {
                return Err(unsupported(format!(
                    "Unsupported query: the operator '{other}' is not supported."
                )));
            }
        };
        if !ops.contains(&op) {
            return Err(unsupported(format!(
                "Unsupported query: the operator '{}' is not supported on this collection.",
                if op == Op::Eq { "eq" } else { "ne" }
            )));
        }
        let value = match value {
            Token::Quoted(text) => Literal::String(text.clone()),
            Token::Word(word) if word == "true" => Literal::Bool(true),
            Token::Word(word) if word == "false" => Literal::Bool(false),
            Token::Word(word) if word == "null" => Literal::Null,
            Token::Word(word) => {
                return Err(invalid(format!(
                    "Invalid filter clause: '{word}' is not a literal; quote strings with single quotes."
                )));
            }
        };
        Ok((
            Comparison {
                property,
                op,
                value,
            },
            rest,
        ))
    }

    /// Whether `object` passes the filter.
    pub(crate) fn matches(&self, object: &Value) -> bool {
        self.any_of
            .iter()
            .any(|group| group.iter().all(|c| c.matches(object)))
    }
}

impl Comparison {
    fn matches(&self, object: &Value) -> bool {
        let actual = object.get(self.property).unwrap_or(&Value::Null);
        let equal = match (&self.value, actual) {
            (Literal::String(want), Value::String(have)) => {
                want.to_lowercase() == have.to_lowercase()
            }
            (Literal::Bool(want), Value::Bool(have)) => want == have,
            (Literal::Null, Value::Null) => true,
            _ => false,
        };
        match self.op {
            Op::Eq => equal,
            Op::Ne => !equal,
        }
    }
}

/// Applies the request's `$filter`, if any, to `items`.
pub(crate) fn filter(
    req: &GraphRequest,
    items: Vec<Value>,
    properties: &[&'static str],
    ops: &[Op],
) -> Result<Vec<Value>, GraphError> {
    match req.query_param("$filter") {
        Some(text) => {
            let filter = Filter::parse(text, properties, ops)?;
            Ok(items
                .into_iter()
                .filter(|item| filter.matches(item))
                .collect())
        }
        None => Ok(items),
    }
}

/// Applies the request's `$select`, if any, to each of `items` of type `ty`: only the named
/// properties (and `@odata.type`) are kept. A name the type does not declare is 400
/// `Request_BadRequest`, with Graph's wording.
pub(crate) fn select(
    req: &GraphRequest,
    items: &mut [Value],
    ty: &'static TypeDef,
) -> Result<(), GraphError> {
    let Some(text) = req.query_param("$select") else {
        return Ok(());
    };
    let known = super::properties(ty, req.version);
    let mut wanted = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let prop = known
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                invalid(format!(
                    "Could not find a property named '{name}' on type 'microsoft.graph.{}'.",
                    ty.name
                ))
            })?;
        wanted.push(prop.name);
    }
    for item in items {
        if let Value::Object(map) = item {
            map.retain(|key, _| key == "@odata.type" || wanted.contains(&key.as_str()));
        }
    }
    Ok(())
}

/// Refuses query options other than `supported` with 400 `Request_UnsupportedQuery`, so a
/// client never takes an unfiltered or unsorted answer for a filtered or sorted one.
pub(crate) fn only_options(req: &GraphRequest, supported: &[&str]) -> Result<(), GraphError> {
    match req
        .query
        .iter()
        .find(|(key, _)| key.starts_with('$') && !supported.contains(&key.as_str()))
    {
        Some((key, _)) => Err(unsupported(format!(
            "Unsupported query: the emulator does not support '{key}' here (supported: {}).",
            supported.join(", ")
        ))),
        None => Ok(()),
    }
}

/// How a collection answers its list route.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Listing {
    /// The `@odata.context` fragment (`identity/userFlowAttributes`).
    pub fragment: &'static str,
    /// The collection's declared type, for `$select`.
    pub type_name: &'static str,
    /// Properties `$filter` may compare; empty when the collection takes no `$filter`.
    pub filterable: &'static [&'static str],
    pub ops: &'static [Op],
    /// The page size without `$top`; `None` answers in one page (or the emulator's default
    /// page size, when one is configured).
    pub page_size: Option<usize>,
}

/// Answers a list request: refuses query options the collection does not take, then applies
/// `$filter`, `$select` and paging (`$top`, `$skiptoken`).
pub(crate) fn list_response(
    ctx: &crate::Ctx,
    req: &GraphRequest,
    listing: &Listing,
    items: Vec<Value>,
) -> Result<crate::request::GraphResponse, GraphError> {
    let supported: &[&str] = if listing.filterable.is_empty() {
        &["$select", "$top", "$skiptoken"]
    } else {
        &["$filter", "$select", "$top", "$skiptoken"]
    };
    only_options(req, supported)?;
    let mut items = filter(req, items, listing.filterable, listing.ops)?;
    if let Some(ty) = super::find_type(listing.type_name) {
        select(req, &mut items, ty)?;
    }
    crate::odata::collection(
        &ctx.base,
        req,
        listing.fragment,
        items,
        listing.page_size.or(ctx.config.default_page_size),
    )
}
