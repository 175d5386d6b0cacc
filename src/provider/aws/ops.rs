//! The aws operation layer: a provider-shaped request in, the provider's reply out.
//!
//! Placeholder until the operation layer lands: every call is answered as unsupported.

use crate::error::{ErrorKind, Failure};
use crate::ledger::Ledger;
use crate::provider::{Call, CallError, Reply};

use super::*;

/// Answers one call as aws does.
///
/// # Errors
///
/// [`CallError`] when the harness did not supply valid ids for new handshakes.
pub fn handle(ledger: &mut Ledger, call: &Call<'_>) -> Result<Reply, CallError> {
    let _ = ledger;
    let failure = Failure::new(
        ErrorKind::Unsupported,
        format!("{} is not implemented yet", call.operation),
    );
    Ok(Reply::from(errors::error_response(&failure)))
}
