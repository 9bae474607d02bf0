//! The emulator's own endpoints under `/_emulator/` (listed in the crate docs' "Other
//! endpoints"), and what [`crate::Emulator`]'s methods of the same names share with them.

use http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::Ctx;
use crate::config::Faults;
use crate::state::Tenant;

/// Answers `/_emulator/{rest}`: a status and a JSON body, if any.
pub(crate) fn handle(ctx: &Ctx, method: &Method, rest: &str, body: &[u8]) -> (StatusCode, Value) {
    let result = match (method, rest) {
        (&Method::GET, "stats") => serde_json::to_value(ctx.recorder.stats())
            .map(|v| (StatusCode::OK, v))
            .map_err(|err| internal(&err.to_string())),
        (&Method::GET, "state") => Ok((StatusCode::OK, state(ctx))),
        (&Method::POST, "reset") => reset(ctx)
            .map(|()| (StatusCode::NO_CONTENT, Value::Null))
            .map_err(|err| internal(&format!("cannot save the state file: {err}"))),
        (&Method::GET, "faults") => serde_json::to_value(ctx.faults.faults())
            .map(|v| (StatusCode::OK, v))
            .map_err(|err| internal(&err.to_string())),
        (&Method::PUT, "faults") => {
            set_faults(ctx, body).map(|()| (StatusCode::NO_CONTENT, Value::Null))
        }
        (_, "stats" | "state" | "reset" | "faults") => Err((
            StatusCode::METHOD_NOT_ALLOWED,
            error(
                "methodNotAllowed",
                "See the crate docs for the emulator endpoints.",
            ),
        )),
        _ => Err((
            StatusCode::NOT_FOUND,
            error(
                "notFound",
                "The emulator endpoints are /_emulator/stats, state, reset and faults.",
            ),
        )),
    };
    result.unwrap_or_else(|failure| failure)
}

fn error(code: &str, message: &str) -> Value {
    json!({ "error": { "code": code, "message": message } })
}

fn internal(message: &str) -> (StatusCode, Value) {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        error("generalException", message),
    )
}

fn set_faults(ctx: &Ctx, body: &[u8]) -> Result<(), (StatusCode, Value)> {
    let bad = |message: String| (StatusCode::BAD_REQUEST, error("invalidRequest", &message));
    let faults: Faults = serde_json::from_slice(body).map_err(|err| bad(err.to_string()))?;
    faults.check().map_err(|err| bad(err.to_string()))?;
    ctx.faults.set(faults);
    Ok(())
}

/// The tenant as `GET /_emulator/state` shows it: the seed format, secrets masked.
pub(crate) fn state(ctx: &Ctx) -> Value {
    ctx.store.read(Tenant::masked)
}

/// Back to the start: the seed's (or a fresh) tenant, zero counts, a reseeded fault generator.
pub(crate) fn reset(ctx: &Ctx) -> std::io::Result<()> {
    ctx.store.replace(ctx.start.clone())?;
    ctx.recorder.reset();
    ctx.faults.reset();
    Ok(())
}
