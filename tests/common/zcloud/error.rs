//! zcloud's error table: three codes for every neutral kind.
//!
//! | kind | code | status |
//! |---|---|---|
//! | not found, not in an organization | `zc.not_found` | 404 |
//! | access denied | `zc.forbidden` | 403 |
//! | every other kind (invalid input, unsupported, a wrong state, a duplicate, the quota, …) | `zc.rejected` | 400 |

use org_handshake::provider::error_table::Row;
use org_handshake::ErrorKind;

/// What zcloud's (made-up) documents say, for every row.
const SOURCE: &str = "zcloud API guide, \"Faults\" (a made-up cloud of the tests)";

const fn row(kind: ErrorKind, status: u16, code: &'static str) -> Row {
    Row::new(kind, status, code).verified(SOURCE)
}

/// One row per neutral kind, each of [`Detail::ANY`](org_handshake::provider::error_table::Detail::ANY):
/// zcloud tells failures apart by three codes only.
pub const ERROR_CODES: &[Row] = &[
    row(ErrorKind::NotFound, 404, "zc.not_found"),
    row(ErrorKind::NotInOrganization, 404, "zc.not_found"),
    row(ErrorKind::AccessDenied, 403, "zc.forbidden"),
    row(ErrorKind::AlreadyInState, 400, "zc.rejected"),
    row(ErrorKind::InvalidTransition, 400, "zc.rejected"),
    row(ErrorKind::AlreadyInOrganization, 400, "zc.rejected"),
    row(ErrorKind::DuplicateHandshake, 400, "zc.rejected"),
    row(ErrorKind::InvitationQuotaExceeded, 400, "zc.rejected"),
    row(
        ErrorKind::InvitesDisabledDuringEnableAllFeatures,
        400,
        "zc.rejected",
    ),
    row(ErrorKind::AllFeaturesAlreadyRequested, 400, "zc.rejected"),
    row(ErrorKind::AllFeaturesAlreadyEnabled, 400, "zc.rejected"),
    row(ErrorKind::AccountNotFound, 404, "zc.not_found"),
    row(ErrorKind::OrganizationNotEmpty, 400, "zc.rejected"),
    row(ErrorKind::ManagementAccountCannotLeave, 400, "zc.rejected"),
    row(ErrorKind::ConcurrentModification, 400, "zc.rejected"),
    row(ErrorKind::InvalidInput, 400, "zc.rejected"),
    row(ErrorKind::Unsupported, 400, "zc.rejected"),
    row(ErrorKind::RequestTooLarge, 400, "zc.rejected"),
    row(ErrorKind::Internal, 400, "zc.rejected"),
];
