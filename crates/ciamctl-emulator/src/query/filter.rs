//! `$filter`: one parser for the `OData` subset the emulator's collections take, and the rules
//! each collection sets on what a filter may say ([`Filterable`]).
//!
//! An expression is evaluated against each item in the shape the collection answers with, so
//! `displayName eq 'x'`, `priority ge 100` and the lambda forms over `identityProviders`,
//! `attributes` and `includeApplications` (REFERENCE.md §1.1) all read the same JSON a client
//! sees. Type-cast segments (`microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/...`)
//! check the object's `@odata.type` and pass through. String comparisons ignore case, as
//! Entra's directory does.
//!
//! Grammar: `or`, `and`, `not`, parentheses; `eq ne gt ge lt le`; `path/any(v: expr)`,
//! `path/any()`, `path/all(v: expr)`; `isof('type')`, `isof(path, 'type')`, `startswith`,
//! `endswith`, `contains`; literals `'text'` (with `''` for a quote, §10), numbers, `true`,
//! `false`, `null`. Operators, `and`/`or`/`not` and `any`/`all` match without case.
//!
//! # Errors
//!
//! A filter that does not parse is 400 `Request_BadRequest` ("Invalid filter clause: ..."). A
//! filter that parses but says what the collection does not take (another property, operator,
//! function or a lambda where [`Filterable::Comparisons`] allows none) is 400
//! `Request_UnsupportedQuery`, the code §12.1 lists for directory queries Graph does not
//! support, so a client never takes an unfiltered list for a filtered one.

use std::cmp::Ordering;

use http::StatusCode;
use serde_json::Value;

use super::unsupported;
use crate::error::GraphError;
use crate::odata::normalize_type;
use crate::request::GraphRequest;

/// What a collection's `$filter` may say.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Filterable {
    /// No `$filter` at all.
    Nothing,
    /// Comparisons of these top-level properties (matched without case) with a literal, by
    /// these operators, joined by `and`/`or` and grouped by parentheses: what the directory
    /// and user-flow attribute collections take (REFERENCE.md §5, §10).
    Comparisons {
        properties: &'static [&'static str],
        ops: &'static [Op],
    },
    /// The whole grammar above: the user flows and the collections they own (§1.1).
    Everything,
}

/// Keeps the items the request's `$filter` selects; all of them without one.
pub(crate) fn apply(
    req: &GraphRequest,
    items: Vec<Value>,
    filterable: Filterable,
) -> Result<Vec<Value>, GraphError> {
    let Some(text) = req.query_param("$filter") else {
        return Ok(items);
    };
    let expr = parse(text)?;
    check(&expr, filterable, text)?;
    Ok(items
        .into_iter()
        .filter(|item| expr.matches(&Scope::root(item)))
        .collect())
}

/// 400 `Request_BadRequest` for a filter that does not parse.
fn invalid(detail: impl std::fmt::Display) -> GraphError {
    GraphError::new(
        StatusCode::BAD_REQUEST,
        "Request_BadRequest",
        format!("Invalid filter clause: {detail}"),
    )
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Text(String),
    Number(f64),
    Open,
    Close,
    Comma,
    Slash,
    Colon,
}

fn tokenize(text: &str) -> Result<Vec<Token>, GraphError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let punctuation = match c {
            '(' => Some(Token::Open),
            ')' => Some(Token::Close),
            ',' => Some(Token::Comma),
            '/' => Some(Token::Slash),
            ':' => Some(Token::Colon),
            _ => None,
        };
        if let Some(token) = punctuation {
            tokens.push(token);
            i += 1;
            continue;
        }
        match c {
            c if c.is_whitespace() => i += 1,
            '\'' => {
                let mut literal = String::new();
                i += 1;
                loop {
                    match (chars.get(i), chars.get(i + 1)) {
                        (Some('\''), Some('\'')) => {
                            literal.push('\'');
                            i += 2;
                        }
                        (Some('\''), _) => {
                            i += 1;
                            break;
                        }
                        (Some(&c), _) => {
                            literal.push(c);
                            i += 1;
                        }
                        (None, _) => return Err(invalid("unterminated string literal")),
                    }
                }
                tokens.push(Token::Text(literal));
            }
            c if c.is_ascii_digit() || c == '-' => {
                let start = i;
                i += 1;
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_ascii_digit() || *c == '.')
                {
                    i += 1;
                }
                let number: String = chars[start..i].iter().collect();
                let value = number
                    .parse()
                    .map_err(|_| invalid(format!("'{number}' is not a number")))?;
                tokens.push(Token::Number(value));
            }
            c if c.is_alphabetic() || c == '_' || c == '$' || c == '@' => {
                let start = i;
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '$' | '@'))
                {
                    i += 1;
                }
                tokens.push(Token::Name(chars[start..i].iter().collect()));
            }
            other => return Err(invalid(format!("unexpected character '{other}'"))),
        }
    }
    Ok(tokens)
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    const ALL: [Op; 6] = [Op::Eq, Op::Ne, Op::Gt, Op::Ge, Op::Lt, Op::Le];

    fn name(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Gt => "gt",
            Op::Ge => "ge",
            Op::Lt => "lt",
            Op::Le => "le",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|op| op.name().eq_ignore_ascii_case(name))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quantifier {
    Any,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextFunction {
    StartsWith,
    EndsWith,
    Contains,
}

/// A property path; the first segment may be a lambda variable.
type Path = Vec<String>;

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Literal(Value),
    Path(Path),
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Compare(Operand, Op, Operand),
    Lambda {
        path: Path,
        quantifier: Quantifier,
        body: Option<(String, Box<Expr>)>,
    },
    IsOf(Option<Path>, String),
    Text(TextFunction, Operand, Operand),
    /// A boolean property on its own (`isSignUpAllowed`).
    Truthy(Path),
}

/// How deep parentheses, `not` and lambda bodies may nest. The parser, the checks and the
/// evaluation recurse once per level, so a client's filter must not be able to exhaust the
/// emulator's stack; real filters (§1.1's deepest is one lambda) stay far below.
const MAX_NESTING: usize = 32;
/// How many tokens a filter may have: `and`/`or` chains build a tree as deep as they are long.
const MAX_TOKENS: usize = 1000;

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// The nesting level being parsed.
    depth: usize,
}

fn parse(text: &str) -> Result<Expr, GraphError> {
    let tokens = tokenize(text)?;
    if tokens.len() > MAX_TOKENS {
        return Err(invalid(format!(
            "the filter has more than {MAX_TOKENS} tokens"
        )));
    }
    let mut parser = Parser {
        tokens,
        at: 0,
        depth: 0,
    };
    let expr = parser.or()?;
    match parser.peek() {
        None => Ok(expr),
        Some(token) => Err(invalid(format!("unexpected {token:?}"))),
    }
}

/// Whether `token` is the keyword `word` (keywords match without case).
fn is_keyword(token: Option<&Token>, word: &str) -> bool {
    matches!(token, Some(Token::Name(name)) if name.eq_ignore_ascii_case(word))
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn expect(&mut self, expected: &Token) -> Result<(), GraphError> {
        match self.next() {
            Some(token) if &token == expected => Ok(()),
            Some(token) => Err(invalid(format!("expected {expected:?}, found {token:?}"))),
            None => Err(invalid(format!("expected {expected:?}"))),
        }
    }

    fn keyword(&mut self, word: &str) -> bool {
        let found = is_keyword(self.peek(), word);
        if found {
            self.at += 1;
        }
        found
    }

    fn or(&mut self) -> Result<Expr, GraphError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, GraphError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    /// Runs `parse` one nesting level deeper, refusing a filter nested past [`MAX_NESTING`].
    fn nested<T>(
        &mut self,
        parse: impl FnOnce(&mut Self) -> Result<T, GraphError>,
    ) -> Result<T, GraphError> {
        if self.depth >= MAX_NESTING {
            return Err(invalid(format!(
                "the filter nests deeper than {MAX_NESTING} levels"
            )));
        }
        self.depth += 1;
        let out = parse(self);
        self.depth -= 1;
        out
    }

    fn unary(&mut self) -> Result<Expr, GraphError> {
        if self.keyword("not") {
            return self.nested(|p| Ok(Expr::Not(Box::new(p.unary()?))));
        }
        if self.peek() == Some(&Token::Open) {
            self.at += 1;
            let inner = self.nested(Self::or)?;
            self.expect(&Token::Close)?;
            return Ok(inner);
        }
        self.predicate()
    }

    /// A comparison, a function call, a lambda or a boolean property.
    fn predicate(&mut self) -> Result<Expr, GraphError> {
        if let Some(Token::Name(name)) = self.peek().cloned()
            && self.tokens.get(self.at + 1) == Some(&Token::Open)
        {
            self.at += 2;
            return self.call(&name);
        }
        let left = self.operand()?;
        if let Operand::Path(path) = &left
            && self.peek() == Some(&Token::Slash)
        {
            return self.lambda(path.clone());
        }
        let op = match self.peek() {
            Some(Token::Name(name)) => Op::parse(name),
            _ => None,
        };
        match (op, left) {
            (Some(op), left) => {
                self.at += 1;
                let right = self.operand()?;
                Ok(Expr::Compare(left, op, right))
            }
            (None, Operand::Path(path)) => Ok(Expr::Truthy(path)),
            (None, Operand::Literal(value)) => {
                Err(invalid(format!("the literal {value} is not a condition")))
            }
        }
    }

    /// `path/any(v: expr)` after the path; the next token is the `/` before the quantifier.
    fn lambda(&mut self, path: Path) -> Result<Expr, GraphError> {
        self.expect(&Token::Slash)?;
        let quantifier = match self.next() {
            Some(Token::Name(name)) if name.eq_ignore_ascii_case("any") => Quantifier::Any,
            Some(Token::Name(name)) if name.eq_ignore_ascii_case("all") => Quantifier::All,
            other => return Err(invalid(format!("expected any or all, found {other:?}"))),
        };
        self.expect(&Token::Open)?;
        if self.peek() == Some(&Token::Close) {
            self.at += 1;
            return Ok(Expr::Lambda {
                path,
                quantifier,
                body: None,
            });
        }
        let variable = match self.next() {
            Some(Token::Name(name)) => name,
            other => {
                return Err(invalid(format!(
                    "expected a lambda variable, found {other:?}"
                )));
            }
        };
        self.expect(&Token::Colon)?;
        let body = self.nested(Self::or)?;
        self.expect(&Token::Close)?;
        Ok(Expr::Lambda {
            path,
            quantifier,
            body: Some((variable, Box::new(body))),
        })
    }

    /// The arguments and `)` of function `name`, whose `(` was read.
    fn call(&mut self, name: &str) -> Result<Expr, GraphError> {
        let mut args = vec![self.operand()?];
        while self.peek() == Some(&Token::Comma) {
            self.at += 1;
            args.push(self.operand()?);
        }
        self.expect(&Token::Close)?;
        let text = match name.to_ascii_lowercase().as_str() {
            "startswith" => TextFunction::StartsWith,
            "endswith" => TextFunction::EndsWith,
            "contains" => TextFunction::Contains,
            "isof" => {
                return match args.as_slice() {
                    [Operand::Literal(Value::String(t))] => Ok(Expr::IsOf(None, t.clone())),
                    [Operand::Path(p), Operand::Literal(Value::String(t))] => {
                        Ok(Expr::IsOf(Some(p.clone()), t.clone()))
                    }
                    _ => Err(invalid("isof takes a quoted type name")),
                };
            }
            _ => return Err(invalid(format!("unknown function '{name}'"))),
        };
        match <[Operand; 2]>::try_from(args) {
            Ok([left, right]) => Ok(Expr::Text(text, left, right)),
            Err(_) => Err(invalid(format!("{name} takes two arguments"))),
        }
    }

    /// A literal or a property path. A path stops before `/any` and `/all`.
    fn operand(&mut self) -> Result<Operand, GraphError> {
        match self.next() {
            Some(Token::Text(text)) => Ok(Operand::Literal(Value::String(text))),
            Some(Token::Number(n)) => Ok(Operand::Literal(
                serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
            )),
            Some(Token::Name(name)) => match name.as_str() {
                "true" => Ok(Operand::Literal(Value::Bool(true))),
                "false" => Ok(Operand::Literal(Value::Bool(false))),
                "null" => Ok(Operand::Literal(Value::Null)),
                _ => {
                    let mut path = vec![name];
                    while self.peek() == Some(&Token::Slash) {
                        let next = self.tokens.get(self.at + 1);
                        match next {
                            Some(Token::Name(segment))
                                if !is_keyword(next, "any") && !is_keyword(next, "all") =>
                            {
                                path.push(segment.clone());
                                self.at += 2;
                            }
                            _ => break,
                        }
                    }
                    Ok(Operand::Path(path))
                }
            },
            other => Err(invalid(format!("expected a value, found {other:?}"))),
        }
    }
}

/// Refuses what `filterable` does not take: see [`Filterable`].
fn check(expr: &Expr, filterable: Filterable, text: &str) -> Result<(), GraphError> {
    let (properties, ops) = match filterable {
        Filterable::Everything => return Ok(()),
        Filterable::Nothing => {
            return Err(unsupported(
                "Unsupported query: this collection does not take $filter.",
            ));
        }
        Filterable::Comparisons { properties, ops } => (properties, ops),
    };
    match expr {
        Expr::Or(a, b) | Expr::And(a, b) => {
            check(a, filterable, text)?;
            check(b, filterable, text)
        }
        Expr::Compare(Operand::Path(path), op, value) => {
            let name = path.join("/");
            if !properties.iter().any(|p| p.eq_ignore_ascii_case(&name)) {
                return Err(unsupported(format!(
                    "Unsupported query: filtering on '{name}' is not supported; filterable properties: {}.",
                    properties.join(", ")
                )));
            }
            if !ops.contains(op) {
                return Err(unsupported(format!(
                    "Unsupported query: the operator '{}' is not supported on this collection.",
                    op.name()
                )));
            }
            // These collections' properties are strings: a number or a bare word on the right
            // is taken for a string that lost its quotes.
            match value {
                Operand::Literal(Value::String(_) | Value::Bool(_) | Value::Null) => Ok(()),
                Operand::Literal(other) => Err(invalid(format!(
                    "'{other}' is not a literal these properties compare with; quote strings with single quotes."
                ))),
                Operand::Path(word) => Err(invalid(format!(
                    "'{}' is not a literal; quote strings with single quotes.",
                    word.join("/")
                ))),
            }
        }
        _ => Err(unsupported(format!(
            "Unsupported query: '{text}'. This collection takes '<property> {} <value>' comparisons joined by 'and' or 'or'.",
            ops.iter().map(|op| op.name()).collect::<Vec<_>>().join("|")
        ))),
    }
}

/// The item being tested and the lambda variables bound around the current expression.
struct Scope<'a> {
    item: &'a Value,
    variables: Vec<(&'a str, &'a Value)>,
}

impl<'a> Scope<'a> {
    fn root(item: &'a Value) -> Self {
        Self {
            item,
            variables: Vec::new(),
        }
    }

    fn with(&self, name: &'a str, value: &'a Value) -> Self {
        let mut variables = self.variables.clone();
        variables.push((name, value));
        Self {
            item: self.item,
            variables,
        }
    }

    /// The value at `path`, `Null` where it leads nowhere.
    fn resolve(&self, path: &[String]) -> &'a Value {
        let (start, rest) = match path.split_first() {
            Some((first, rest)) => match self.variables.iter().rev().find(|(n, _)| n == first) {
                Some((_, value)) => (*value, rest),
                None => (self.item, path),
            },
            None => (self.item, path),
        };
        rest.iter()
            .fold(start, |value, segment| step(value, segment))
    }
}

static NULL: Value = Value::Null;

/// One path segment: a type cast (a qualified name) checks `@odata.type` and passes through;
/// a property name is looked up, exactly or else without case.
fn step<'a>(value: &'a Value, segment: &str) -> &'a Value {
    let Value::Object(map) = value else {
        return &NULL;
    };
    if segment.contains('.') {
        return match map.get("@odata.type").and_then(Value::as_str) {
            Some(actual) if !same_type(actual, segment) => &NULL,
            _ => value,
        };
    }
    map.get(segment)
        .or_else(|| {
            map.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(segment))
                .map(|(_, v)| v)
        })
        .unwrap_or(&NULL)
}

/// Whether `@odata.type` value `actual` names `wanted`, which may omit the namespace.
fn same_type(actual: &str, wanted: &str) -> bool {
    let actual = normalize_type(actual);
    let wanted = normalize_type(wanted);
    actual == wanted || actual.strip_prefix("microsoft.graph.") == Some(wanted.as_str())
}

impl Expr {
    fn matches(&self, scope: &Scope<'_>) -> bool {
        match self {
            Expr::Or(a, b) => a.matches(scope) || b.matches(scope),
            Expr::And(a, b) => a.matches(scope) && b.matches(scope),
            Expr::Not(inner) => !inner.matches(scope),
            Expr::Compare(left, op, right) => {
                compare(&value(scope, left), *op, &value(scope, right))
            }
            Expr::Lambda {
                path,
                quantifier,
                body,
            } => {
                let items = scope
                    .resolve(path)
                    .as_array()
                    .map_or(&[][..], Vec::as_slice);
                match (quantifier, body) {
                    (Quantifier::Any, None) => !items.is_empty(),
                    (Quantifier::All, None) => true,
                    (Quantifier::Any, Some((name, body))) => items
                        .iter()
                        .any(|item| body.matches(&scope.with(name, item))),
                    (Quantifier::All, Some((name, body))) => items
                        .iter()
                        .all(|item| body.matches(&scope.with(name, item))),
                }
            }
            Expr::IsOf(path, wanted) => {
                let target = path.as_ref().map_or(scope.item, |p| scope.resolve(p));
                target
                    .get("@odata.type")
                    .and_then(Value::as_str)
                    .is_some_and(|actual| same_type(actual, wanted))
            }
            Expr::Text(function, left, right) => {
                match (value(scope, left).as_str(), value(scope, right).as_str()) {
                    (Some(text), Some(part)) => {
                        let text = text.to_lowercase();
                        let part = part.to_lowercase();
                        match function {
                            TextFunction::StartsWith => text.starts_with(&part),
                            TextFunction::EndsWith => text.ends_with(&part),
                            TextFunction::Contains => text.contains(&part),
                        }
                    }
                    _ => false,
                }
            }
            Expr::Truthy(path) => scope.resolve(path) == &Value::Bool(true),
        }
    }
}

fn value(scope: &Scope<'_>, operand: &Operand) -> Value {
    match operand {
        Operand::Literal(value) => value.clone(),
        Operand::Path(path) => scope.resolve(path).clone(),
    }
}

/// How two JSON values order: strings ignoring case (as Entra's directory compares them),
/// numbers, booleans, and `null` equal to `null`; `None` for values of different types.
pub(super) fn ordering(left: &Value, right: &Value) -> Option<Ordering> {
    match (left, right) {
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        (Value::String(a), Value::String(b)) => Some(a.to_lowercase().cmp(&b.to_lowercase())),
        (Value::Number(a), Value::Number(b)) => a
            .as_f64()
            .zip(b.as_f64())
            .and_then(|(a, b)| a.partial_cmp(&b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

fn compare(left: &Value, op: Op, right: &Value) -> bool {
    let ordering = ordering(left, right);
    match op {
        Op::Eq => ordering == Some(Ordering::Equal),
        Op::Ne => ordering != Some(Ordering::Equal),
        Op::Gt => ordering == Some(Ordering::Greater),
        Op::Ge => matches!(ordering, Some(Ordering::Greater | Ordering::Equal)),
        Op::Lt => ordering == Some(Ordering::Less),
        Op::Le => matches!(ordering, Some(Ordering::Less | Ordering::Equal)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn flow() -> Value {
        json!({
            "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
            "displayName": "Sign up O'Brien",
            "priority": 500,
            "conditions": { "applications": { "includeApplications": [ { "appId": "A1" } ] } },
            "onInteractiveAuthFlowStart": { "isSignUpAllowed": true },
            "onAuthenticationMethodLoadStart": {
                "@odata.type": "#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp",
                "identityProviders": [ { "id": "EmailPassword-OAUTH" }, { "id": "Google-OAUTH" } ]
            }
        })
    }

    #[track_caller]
    fn check_flow(filter: &str, expected: bool) {
        let expr = parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
        assert_eq!(expr.matches(&Scope::root(&flow())), expected, "{filter}");
    }

    const ATTRIBUTE_RULES: Filterable = Filterable::Comparisons {
        properties: &["id", "displayName", "dataType"],
        ops: &[Op::Eq, Op::Ne],
    };

    /// What `filter` selects from `items` under `filterable`, as ids, or the error code.
    fn selected(
        filter: &str,
        filterable: Filterable,
        items: &[Value],
    ) -> Result<Vec<String>, String> {
        let expr = parse(filter).map_err(|e| e.code)?;
        check(&expr, filterable, filter).map_err(|e| e.code)?;
        Ok(items
            .iter()
            .filter(|item| expr.matches(&Scope::root(item)))
            .map(|item| item["id"].as_str().unwrap_or_default().to_owned())
            .collect())
    }

    fn attributes() -> Vec<Value> {
        vec![
            json!({ "id": "city", "displayName": "City", "dataType": "string" }),
            json!({ "id": "extension_1_Hobby", "displayName": "Hobby", "dataType": "string" }),
            json!({ "id": "extension_1_Newsletter", "displayName": "Newsletter", "dataType": "boolean" }),
        ]
    }

    #[test]
    fn reference_filter_forms_select_by_provider_app_and_type() {
        check_flow(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders/any(idp:idp/id eq 'Google-OAUTH')",
            true,
        );
        check_flow(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders/any(idp:idp/id eq 'Facebook-OAUTH')",
            false,
        );
        check_flow(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/conditions/applications/includeApplications/any(appId:appId/appId eq 'a1')",
            true,
        );
        check_flow(
            "isof('microsoft.graph.externalUsersSelfServiceSignUpEventsFlow')",
            true,
        );
        check_flow("isof('microsoft.graph.somethingElse')", false);
        check_flow("displayName eq 'sign up o''brien'", true);
    }

    #[test]
    fn boolean_operators_comparisons_and_functions_combine() {
        check_flow("priority ge 100 and not (priority gt 500)", true);
        check_flow("priority lt 100 or startswith(displayName, 'Sign')", true);
        check_flow("contains(displayName, 'xyz')", false);
        check_flow("onInteractiveAuthFlowStart/isSignUpAllowed", true);
        check_flow("onInteractiveAuthFlowStart/isSignUpAllowed eq false", false);
        check_flow("description eq null", true);
        check_flow(
            "onAuthenticationMethodLoadStart/identityProviders/all(p: endswith(p/id, '-OAUTH'))",
            true,
        );
        check_flow(
            "onAuthenticationMethodLoadStart/identityProviders/any()",
            true,
        );
    }

    #[test]
    fn operators_and_keywords_match_without_case() {
        check_flow("priority GE 100 AND NOT (displayName EQ 'x')", true);
        check_flow(
            "onAuthenticationMethodLoadStart/identityProviders/ANY(p: p/id Eq 'google-oauth')",
            true,
        );
    }

    #[test]
    fn a_cast_to_another_type_selects_nothing() {
        check_flow(
            "microsoft.graph.otherFlow/displayName eq 'Sign up O''Brien'",
            false,
        );
    }

    #[test]
    fn malformed_filters_are_400_request_bad_request() {
        for bad in [
            "",
            "displayName eq",
            "displayName eq 'open",
            "(priority eq 1",
            "foo(1)",
            "priority eq 1 extra",
            "displayName eq 'x' and",
            "x/any(y)",
            "'text'",
            "displayName eq \"x\"",
        ] {
            let err = parse(bad).expect_err(bad);
            assert_eq!(err.status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(err.code, "Request_BadRequest", "{bad}");
        }
    }

    #[test]
    fn comparisons_select_by_allowed_properties_joined_by_and_or() {
        let items = attributes();
        let select = |filter| selected(filter, ATTRIBUTE_RULES, &items);
        assert_eq!(
            select("dataType ne 'string'"),
            Ok(vec!["extension_1_Newsletter".to_owned()])
        );
        assert_eq!(
            select("ID eq 'CITY' or displayname eq 'hobby'"),
            Ok(vec!["city".to_owned(), "extension_1_Hobby".to_owned()])
        );
        assert_eq!(
            select("(id eq 'city' or dataType eq 'boolean') and displayName ne 'City'"),
            Ok(vec!["extension_1_Newsletter".to_owned()])
        );
        assert_eq!(select("displayName eq 'O''Brien'"), Ok(vec![]));
    }

    #[test]
    fn comparisons_refuse_other_properties_operators_and_forms_as_unsupported() {
        let items = attributes();
        for filter in [
            "description eq 'Your city'",
            "dataType gt 'string'",
            "startswith(displayName,'C')",
            "not (id eq 'city')",
            "'city' eq id",
            "id/any(x: x eq 'c')",
            "isof('microsoft.graph.identityUserFlowAttribute')",
        ] {
            assert_eq!(
                selected(filter, ATTRIBUTE_RULES, &items),
                Err("Request_UnsupportedQuery".to_owned()),
                "{filter}"
            );
        }
        assert_eq!(
            selected("id eq 'city'", Filterable::Nothing, &items),
            Err("Request_UnsupportedQuery".to_owned())
        );
    }

    #[test]
    fn comparisons_with_an_unquoted_value_are_400_request_bad_request() {
        let items = attributes();
        for filter in [
            "displayName eq City",
            "id eq 5",
            "id eq 'city' or dataType eq string",
        ] {
            assert_eq!(
                selected(filter, ATTRIBUTE_RULES, &items),
                Err("Request_BadRequest".to_owned()),
                "{filter}"
            );
        }
        assert_eq!(
            selected("dataType ne null", ATTRIBUTE_RULES, &items).map(|ids| ids.len()),
            Ok(3)
        );
    }

    #[test]
    fn nesting_up_to_the_limit_parses_and_deeper_is_400_not_a_stack_overflow() {
        let wrapped =
            |depth: usize| format!("{}priority ge 100{}", "(".repeat(depth), ")".repeat(depth));
        check_flow(&wrapped(MAX_NESTING), true);
        check_flow(&format!("{}true eq true", "not ".repeat(MAX_NESTING)), true);
        let lambdas =
            |depth: usize| format!("{}x eq 1{}", "a/any(x:".repeat(depth), ")".repeat(depth));
        assert!(parse(&lambdas(MAX_NESTING)).is_ok());
        for filter in [wrapped(MAX_NESTING + 1), lambdas(MAX_NESTING + 1)] {
            let err = parse(&filter).expect_err("too deep");
            assert_eq!(err.code, "Request_BadRequest");
            assert!(err.message.contains("nests deeper"), "{}", err.message);
        }
        // Deeper still, the token limit refuses them first; either way, no recursion runs away.
        for filter in [
            wrapped(100_000),
            format!("{}true eq true", "not ".repeat(100_000)),
            lambdas(10_000),
        ] {
            assert_eq!(
                parse(&filter).expect_err("too deep").code,
                "Request_BadRequest"
            );
        }
    }

    #[test]
    fn a_filter_of_more_than_max_tokens_is_400() {
        let chain = |terms: usize| vec!["priority ge 100"; terms].join(" and ");
        // Three tokens a term and one an `and`: 250 terms are 999 tokens.
        check_flow(&chain(250), true);
        let err = parse(&chain(251)).expect_err("too long");
        assert_eq!(err.code, "Request_BadRequest");
        assert!(err.message.contains("tokens"), "{}", err.message);
        assert!(parse(&chain(100_000)).is_err());
    }
}
