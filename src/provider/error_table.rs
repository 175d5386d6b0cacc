//! One error-table shape for every provider: [`Row`]s that map a neutral [`Failure`] to the
//! provider's status, code and message, with one lookup ([`lookup`]), one reverse lookup
//! ([`kind_of`]), one fallback ([`FALLBACK`]) and per-service overrides ([`Override`]).
//!
//! ```
//! use org_handshake::provider::{error_table, Provider};
//! use org_handshake::{ErrorKind, Failure};
//!
//! let table = Provider::Aws.dialect().error_table();
//! let row = error_table::lookup(table, &Failure::new(ErrorKind::NotFound, "no such handshake"), "DescribeHandshake");
//! assert_eq!((row.code.as_str(), row.status), ("HandshakeNotFoundException", 404));
//! assert_eq!(error_table::kind_of(table, "HandshakeNotFoundException", None), Some(ErrorKind::NotFound));
//! ```

use crate::error::{Cause, ErrorKind, Failure, InputProblem};

/// Which failures of a kind a [`Row`] covers. Every field that is set must match; a row whose
/// detail is [`Detail::ANY`] covers every failure of its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Detail {
    /// Invalid input with this problem.
    pub problem: Option<InputProblem>,
    /// Invalid input naming this parameter (the provider's key).
    pub parameter: Option<&'static str>,
    /// A call of this operation (the provider's name).
    pub operation: Option<&'static str>,
    /// A failure of this neutral cause ([`Failure::cause`]).
    pub cause: Option<Cause>,
}

impl Detail {
    /// Every failure of the row's kind.
    pub const ANY: Detail = Detail {
        problem: None,
        parameter: None,
        operation: None,
        cause: None,
    };

    /// Invalid input with `problem`.
    pub const fn problem(problem: InputProblem) -> Detail {
        Detail {
            problem: Some(problem),
            ..Detail::ANY
        }
    }

    /// A call of `operation`.
    pub const fn operation(operation: &'static str) -> Detail {
        Detail {
            operation: Some(operation),
            ..Detail::ANY
        }
    }

    /// A failure whose [`cause`](Failure::cause) is `cause`.
    pub const fn cause(cause: Cause) -> Detail {
        Detail {
            cause: Some(cause),
            ..Detail::ANY
        }
    }

    /// Whether this detail covers `failure` in `operation`.
    pub fn covers(&self, failure: &Failure, operation: &str) -> bool {
        let input = failure.input.as_ref();
        self.problem
            .map_or(true, |p| input.is_some_and(|i| i.problem == p))
            && self
                .parameter
                .map_or(true, |p| input.is_some_and(|i| i.parameter == p))
            && self.operation.map_or(true, |o| o == operation)
            && self.cause.map_or(true, |c| c == failure.cause)
    }
}

/// Which failures a detail covers, in words: "every failure", or the fields that are set
/// ("failures with input problem `missing`, of parameter `HandshakeId`").
pub(crate) fn describe_detail(
    problem: Option<InputProblem>,
    parameter: Option<&str>,
    operation: Option<&str>,
    cause: Option<&str>,
) -> String {
    let parts: Vec<String> = [
        problem.map(|p| format!("input problem `{}`", p.as_str())),
        parameter.map(|p| format!("parameter `{p}`")),
        operation.map(|o| format!("operation `{o}`")),
        cause.map(|c| format!("cause `{c}`")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        "every failure of its kind".to_owned()
    } else {
        format!("failures with {}", parts.join(", "))
    }
}

impl std::fmt::Display for Detail {
    /// The detail in words, as errors show it.
    ///
    /// ```
    /// use org_handshake::provider::error_table::Detail;
    /// use org_handshake::InputProblem;
    /// assert_eq!(Detail::ANY.to_string(), "every failure of its kind");
    /// assert_eq!(Detail::problem(InputProblem::Missing).to_string(), "failures with input problem `missing`");
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&describe_detail(
            self.problem,
            self.parameter,
            self.operation,
            self.cause.map(Cause::as_str),
        ))
    }
}

/// How a row spells its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// Always this code.
    Fixed(&'static str),
    /// `<prefix>.<Parameter>`, the parameter taken from the failure
    /// (`MissingParameter.HandshakeId`). A row of this shape covers only failures that name a
    /// parameter.
    Parameter(&'static str),
}

impl Code {
    /// The fixed code, or the prefix of a per-parameter code.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Code::Fixed(code) | Code::Parameter(code) => code,
        }
    }

    /// This code for `parameter` (ignored by [`Code::Fixed`]).
    pub fn for_parameter(&self, parameter: &str) -> String {
        match self {
            Code::Fixed(code) => (*code).to_owned(),
            Code::Parameter(prefix) => format!("{prefix}.{parameter}"),
        }
    }

    /// Whether this code produces `code` for some parameter.
    pub fn gives(&self, code: &str) -> bool {
        match self {
            Code::Fixed(fixed) => *fixed == code,
            Code::Parameter(prefix) => code
                .strip_prefix(*prefix)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|parameter| !parameter.is_empty()),
        }
    }
}

/// One row of a provider's error table: which neutral failures it covers, and the provider's
/// status, code and message for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Row {
    /// The neutral kind.
    pub kind: ErrorKind,
    /// Which failures of the kind.
    pub detail: Detail,
    /// The HTTP status.
    pub status: u16,
    /// The provider's code (AWS `__type`, Huawei `error_code`, Alibaba `Code`).
    pub code: Code,
    /// A secondary code the body carries (AWS `Reason`).
    pub reason: Option<&'static str>,
    /// The provider's documented message; `{}` stands for the parameter. `None`: the failure's
    /// own message.
    pub message: Option<&'static str>,
    /// Whether the provider's documents say this is its answer for this failure; `false`
    /// marks a placeholder, to be corrected here (or by an [`Override`]) when known.
    pub verified: bool,
    /// Where the row comes from, or why it is a placeholder.
    pub source: &'static str,
}

impl Row {
    /// A row with a fixed code, no reason, the failure's own message, unverified, for `const`
    /// tables; refine it with the other constructors.
    pub const fn new(kind: ErrorKind, status: u16, code: &'static str) -> Row {
        Row {
            kind,
            detail: Detail::ANY,
            status,
            code: Code::Fixed(code),
            reason: None,
            message: None,
            verified: false,
            source: "",
        }
    }

    /// The same row covering only `detail`.
    pub const fn detail(mut self, detail: Detail) -> Row {
        self.detail = detail;
        self
    }

    /// The same row with a per-parameter code `<prefix>.<Parameter>`.
    pub const fn per_parameter(mut self, prefix: &'static str) -> Row {
        self.code = Code::Parameter(prefix);
        self
    }

    /// The same row with a secondary code (AWS `Reason`).
    pub const fn reason(mut self, reason: &'static str) -> Row {
        self.reason = Some(reason);
        self
    }

    /// The same row with the provider's documented message.
    pub const fn message(mut self, message: &'static str) -> Row {
        self.message = Some(message);
        self
    }

    /// The same row marked as documented by the provider, with its source.
    pub const fn verified(mut self, source: &'static str) -> Row {
        self.verified = true;
        self.source = source;
        self
    }

    /// The same row marked as a placeholder, with why.
    pub const fn unverified(mut self, source: &'static str) -> Row {
        self.verified = false;
        self.source = source;
        self
    }

    /// Whether this row covers `failure` in `operation`.
    pub fn covers(&self, failure: &Failure, operation: &str) -> bool {
        self.kind == failure.kind
            && self.detail.covers(failure, operation)
            && (!matches!(self.code, Code::Parameter(_)) || failure.input.is_some())
    }

    /// The code and message this row gives `failure`.
    pub fn text(&self, failure: &Failure) -> ErrorText {
        let parameter = failure
            .input
            .as_ref()
            .map(|input| input.parameter.as_str())
            .unwrap_or_default();
        ErrorText {
            code: self.code.for_parameter(parameter),
            reason: self.reason.map(str::to_owned),
            message: self.message.map_or_else(
                || failure.message.clone(),
                |message| message.replace("{}", parameter),
            ),
        }
    }
}

/// The code, secondary code and message of one error reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorText {
    /// The code.
    pub code: String,
    /// The secondary code (AWS `Reason`).
    pub reason: Option<String>,
    /// The message.
    pub message: String,
}

/// The answer for a failure no row covers: a server fault. Unreachable while every kind has a
/// row of [`Detail::ANY`] in every table (the coverage test checks it); [`ErrorKind`] is
/// non-exhaustive, so a new kind shows as a 500 until it gets its rows.
pub const FALLBACK: Row = Row::new(ErrorKind::Unsupported, 500, "InternalFailure")
    .unverified("no row covers this failure");

/// The row of `table` for `failure` in `operation`: the first that covers it, else
/// [`FALLBACK`].
pub fn lookup<'t>(table: &'t [Row], failure: &Failure, operation: &str) -> &'t Row {
    const FALLBACK_ROW: &Row = &FALLBACK;
    table
        .iter()
        .find(|row| row.covers(failure, operation))
        .unwrap_or(FALLBACK_ROW)
}

/// The neutral kind of an error body's `code` (and secondary code), when every row of `table`
/// that gives it has the same kind.
pub fn kind_of(table: &[Row], code: &str, reason: Option<&str>) -> Option<ErrorKind> {
    let mut kinds = table
        .iter()
        .filter(|row| row.code.gives(code) && row.reason == reason)
        .map(|row| row.kind);
    let first = kinds.next()?;
    kinds.all(|kind| kind == first).then_some(first)
}

/// Every row of `table` that is still a placeholder, with its source.
///
/// ```
/// use org_handshake::provider::{error_table, Provider};
/// let unverified = error_table::unverified(Provider::Huawei.dialect().error_table());
/// assert!(unverified.iter().all(|row| !row.verified && !row.source.is_empty()));
/// ```
pub fn unverified(table: &[Row]) -> Vec<&Row> {
    table.iter().filter(|row| !row.verified).collect()
}

/// A correction of one row of a provider's table, for a user who knows the provider's real
/// answer: the rows of `kind` with `detail` get the fields that are set.
///
/// ```
/// use org_handshake::provider::error_table::{Detail, Override};
/// use org_handshake::ErrorKind;
/// let fix = Override::new(ErrorKind::NotFound, Detail::ANY).code("Organizations.1404").status(404);
/// assert_eq!(fix.kind, ErrorKind::NotFound);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The kind of the rows to correct.
    pub kind: ErrorKind,
    /// The detail of the rows to correct.
    pub detail: Detail,
    /// The new status.
    pub status: Option<u16>,
    /// The new code (fixed).
    pub code: Option<String>,
    /// The new message (`{}` for the parameter).
    pub message: Option<String>,
}

impl Override {
    /// Whether this override corrects `row`.
    pub fn corrects(&self, row: &Row) -> bool {
        row.kind == self.kind && row.detail == self.detail
    }

    /// An override of the rows of `kind` with `detail` that changes nothing yet.
    pub const fn new(kind: ErrorKind, detail: Detail) -> Override {
        Override {
            kind,
            detail,
            status: None,
            code: None,
            message: None,
        }
    }

    /// Sets the status.
    pub fn status(mut self, status: u16) -> Override {
        self.status = Some(status);
        self
    }

    /// Sets the code.
    pub fn code(mut self, code: impl Into<String>) -> Override {
        self.code = Some(code.into());
        self
    }

    /// Sets the message.
    pub fn message(mut self, message: impl Into<String>) -> Override {
        self.message = Some(message.into());
        self
    }
}

/// Why an [`Override`] could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OverrideError {
    /// No row of the table has this kind and detail.
    #[error("the {provider} error table has no {kind} row for {detail}")]
    NoSuchRow {
        /// The provider.
        provider: &'static str,
        /// The kind.
        kind: ErrorKind,
        /// The detail.
        detail: Detail,
    },
    /// The status is not an HTTP error status (400–599).
    #[error("{status} is not an http error status (400-599)")]
    InvalidStatus {
        /// The status.
        status: u16,
    },
    /// The code is empty.
    #[error("an error code cannot be empty")]
    EmptyCode,
}

impl OverrideError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            OverrideError::NoSuchRow { .. } => "no_such_row",
            OverrideError::InvalidStatus { .. } => "invalid_status",
            OverrideError::EmptyCode => "empty_code",
        }
    }
}

/// Checks `overrides` against `table`: each must name a row and set a possible status and code.
///
/// # Errors
///
/// [`OverrideError`] for the first override that names no row, sets a status outside 400–599
/// or an empty code.
pub fn check_overrides(
    provider: &'static str,
    table: &[Row],
    overrides: &[Override],
) -> Result<(), OverrideError> {
    for fix in overrides {
        if let Some(status) = fix.status {
            if !(400..=599).contains(&status) {
                return Err(OverrideError::InvalidStatus { status });
            }
        }
        if fix.code.as_deref() == Some("") {
            return Err(OverrideError::EmptyCode);
        }
        if !table.iter().any(|row| fix.corrects(row)) {
            return Err(OverrideError::NoSuchRow {
                provider,
                kind: fix.kind,
                detail: fix.detail,
            });
        }
    }
    Ok(())
}

/// The status and text of `failure` in `operation` under `table` and `overrides` (the last
/// override of the row wins for each field), with the row that decided them.
pub fn answer<'t>(
    table: &'t [Row],
    overrides: &[Override],
    failure: &Failure,
    operation: &str,
) -> (&'t Row, u16, ErrorText) {
    let row = lookup(table, failure, operation);
    let mut status = row.status;
    let mut text = row.text(failure);
    let parameter = failure
        .input
        .as_ref()
        .map(|input| input.parameter.as_str())
        .unwrap_or_default();
    for fix in overrides.iter().filter(|fix| fix.corrects(row)) {
        if let Some(fixed) = fix.status {
            status = fixed;
        }
        if let Some(code) = &fix.code {
            text.code.clone_from(code);
        }
        if let Some(message) = &fix.message {
            text.message = message.replace("{}", parameter);
        }
    }
    (row, status, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An override naming no row is explained in words, not as Rust's `Debug` of a `Detail`.
    #[test]
    fn an_override_of_no_row_reads_as_a_sentence() {
        let table = [Row::new(ErrorKind::NotFound, 404, "NotFound")];
        let fix = Override::new(
            ErrorKind::NotFound,
            Detail {
                problem: Some(InputProblem::Missing),
                ..Detail::operation("DescribeHandshake")
            },
        )
        .code("X");
        let err = check_overrides("aws", &table, &[fix]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the aws error table has no not_found row for failures with input problem \
             `missing`, operation `DescribeHandshake`"
        );
        let any = Override::new(ErrorKind::Internal, Detail::ANY).code("X");
        let err = check_overrides("aws", &table, &[any]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the aws error table has no internal row for every failure of its kind"
        );
    }
}
