//! Replays vector files against a target over HTTP: sets each vector's world up, sends every
//! step as the provider's SDK would, and matches the reply as the in-process runner does (the
//! status, then the body as a subset: `org_handshake::conformance`).

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use serde_json::{json, Value};

use org_handshake::conformance::{match_subset, resolve_refs, Step, VectorFile};
use org_handshake::provider::{EncodeError, OutgoingRequest, Provider, Request};
use org_handshake::{FeatureSet, HandshakeId, Notes, Party};

use crate::bind::{Bindings, BindingsFile};
use crate::report::{behaviours, StepReport, Verdict};
use crate::sign::{sign_call, SignError};
use crate::wire::{send, Endpoint, Fault, Limits, Received};

/// A gap from the vector's start past which a step needs the target's clock moved: shorter
/// than every time rule of the providers (the daily quota window is the shortest).
pub const CLOCK_GAP: TimeDelta = TimeDelta::hours(1);

/// What kind of target is replayed against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// org-handshake-server: worlds, clock and ids set through its control endpoint and
    /// headers; every step runs.
    OrgHandshake,
    /// Any emulator: set up through the provider's own operations, ids and times bound.
    Generic,
}

impl TargetKind {
    /// The name `--target` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::OrgHandshake => "org-handshake",
            TargetKind::Generic => "generic",
        }
    }
}

/// Everything a run needs.
#[derive(Debug, Clone)]
pub struct Runner {
    /// Where the target listens.
    pub endpoint: Endpoint,
    /// The provider spoken.
    pub provider: Provider,
    /// The kind of target.
    pub target: TargetKind,
    /// Per-request limits.
    pub limits: Limits,
    /// What the target cannot be told (generic targets).
    pub bindings: BindingsFile,
}

/// A reply whose body is not JSON: its status and the start of its body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the reply (status {status}) is not JSON: {excerpt:?}{}",
    if *.cut { "…" } else { "" }
)]
pub struct NotJson {
    /// The reply's status.
    pub status: u16,
    /// The body's first 80 characters.
    pub excerpt: String,
    /// Whether the body is longer than the excerpt.
    pub cut: bool,
}

/// Why a vector's call could not be put on the wire.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The provider has no form on the wire for the vector's request.
    #[error("{0} (the vector's request has no form on the wire)")]
    NoWireForm(#[source] EncodeError),
    /// The call could not be signed.
    #[error(transparent)]
    Sign(#[from] SignError),
}

/// Why a vector's world could not be set up on the target.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// A control call to org-handshake-server got no reply.
    #[error("POST {path}: {fault}")]
    Control {
        /// The control endpoint's path.
        path: String,
        /// Why no reply came.
        fault: Fault,
    },
    /// org-handshake-server refused the vector's world.
    #[error("POST /_org-handshake/world answered {status}: {body}")]
    WorldRefused {
        /// The reply's status.
        status: u16,
        /// The start of the reply's body (200 characters).
        body: String,
    },
    /// A setup call could not be put on the wire.
    #[error(transparent)]
    Call(#[from] CallError),
    /// A setup call got no reply.
    #[error("{operation} by {caller}: {fault}")]
    NoReply {
        /// The provider operation.
        operation: String,
        /// The calling account.
        caller: String,
        /// Why no reply came.
        fault: Fault,
    },
    /// A setup call's reply is not JSON.
    #[error("{operation} by {caller}: {source}")]
    NotJson {
        /// The provider operation.
        operation: String,
        /// The calling account.
        caller: String,
        /// The reply.
        source: NotJson,
    },
    /// A setup call was refused.
    #[error("{operation} by {caller} answered {status}: {body}")]
    Refused {
        /// The provider operation.
        operation: String,
        /// The calling account.
        caller: String,
        /// The reply's status.
        status: u16,
        /// The start of the reply's body (200 characters).
        body: String,
    },
    /// The bindings' reset request got no reply.
    #[error("reset {path}: {fault}")]
    ResetNoReply {
        /// The reset request's path.
        path: String,
        /// Why no reply came.
        fault: Fault,
    },
    /// The bindings' reset request was refused.
    #[error("reset {path} answered {status}")]
    ResetRefused {
        /// The reset request's path.
        path: String,
        /// The reply's status.
        status: u16,
    },
    /// The reply creating an organization holds no organization id.
    #[error("{operation} answered no organization id: {body}")]
    NoOrganizationId {
        /// The provider operation.
        operation: &'static str,
        /// The reply's JSON.
        body: Value,
    },
    /// The reply to an invitation holds no handshake id.
    #[error("{operation} answered no handshake id: {body}")]
    NoHandshakeId {
        /// The provider operation.
        operation: &'static str,
        /// The reply's JSON.
        body: Value,
    },
}

/// A reply read as JSON, or why it is not one.
fn json_of(received: &Received) -> Result<Value, NotJson> {
    // A reply without a body (Huawei's delete, leave, remove) says nothing, as `{}` does: the
    // in-process runner's rule (`match_subset_text`).
    if received.body.trim().is_empty() {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    serde_json::from_str(&received.body).map_err(|_| NotJson {
        status: received.status,
        excerpt: received.body.chars().take(80).collect(),
        cut: received.body.chars().count() > 80,
    })
}

impl Runner {
    /// Replays `file`; one report per step.
    pub async fn vector(&self, file: &VectorFile) -> Vec<StepReport> {
        let report =
            |index: usize, step: &Step, status: Option<u16>, verdict: Verdict| StepReport {
                vector: file.id.clone(),
                step: index,
                operation: step.operation.clone(),
                behaviours: behaviours(file, step),
                status,
                verdict,
            };
        // A vector that cannot run ends every step with the same verdict.
        let every_step = |verdict: Verdict| -> Vec<StepReport> {
            file.steps
                .iter()
                .enumerate()
                .map(|(i, step)| report(i, step, None, verdict.clone()))
                .collect()
        };
        if file.provider != self.provider.as_str() {
            return every_step(Verdict::Skipped {
                why: format!(
                    "the vector speaks {}, the run {}",
                    file.provider.as_str(),
                    self.provider.as_str()
                ),
            });
        }
        let mut bindings = Bindings::new(&self.bindings);
        let run_start = Utc::now();
        let setup = match self.target {
            TargetKind::OrgHandshake => self.load_world(file).await,
            TargetKind::Generic => self.set_up(file, &mut bindings).await,
        };
        if let Err(why) = setup {
            return every_step(Verdict::Fail {
                why: format!("the world could not be set up: {why}"),
                expected: Value::Null,
                received: Value::Null,
            });
        }
        let vector_start = file.steps.first().map(|s| s.at);
        bindings.starts = vector_start.map(|start| (start, run_start));
        // Listings show the invitations the setup sent to join the world's members.
        let setup_invited = self.target == TargetKind::Generic
            && self.bindings.create_world
            && file
                .world
                .organizations
                .iter()
                .any(|o| !o.members.is_empty());
        let mut bodies: Vec<Value> = Vec::with_capacity(file.steps.len());
        let mut skipped_from: Option<usize> = None;
        let mut out = Vec::with_capacity(file.steps.len());
        for (index, step) in file.steps.iter().enumerate() {
            if let Some(first) = skipped_from {
                bodies.push(Value::Null);
                out.push(report(
                    index,
                    step,
                    None,
                    Verdict::Skipped {
                        why: format!("follows step {first}, which needed the clock moved"),
                    },
                ));
                continue;
            }
            if self.target == TargetKind::Generic {
                if let Some(start) = vector_start {
                    let gap = step.at - start;
                    if gap >= CLOCK_GAP {
                        skipped_from = Some(index);
                        bodies.push(Value::Null);
                        out.push(report(index, step, None, Verdict::Skipped {
                            why: format!(
                                "needs the clock {:.1} h past the vector's start (expiry, retention or the quota window) and the target has no time control",
                                gap.num_minutes() as f64 / 60.0
                            ),
                        }));
                        continue;
                    }
                }
                if setup_invited
                    && (step.operation.starts_with("List") || step.operation.starts_with("list_"))
                {
                    bodies.push(Value::Null);
                    out.push(report(index, step, None, Verdict::Skipped {
                        why: "the invitations that joined the world's members on this target would show in this listing".into(),
                    }));
                    continue;
                }
            }
            let (status, verdict, body) =
                self.step(file, index, step, &bodies, &mut bindings).await;
            bodies.push(body);
            out.push(report(index, step, status, verdict));
        }
        out
    }

    async fn step(
        &self,
        file: &VectorFile,
        index: usize,
        step: &Step,
        bodies: &[Value],
        bindings: &mut Bindings,
    ) -> (Option<u16>, Verdict, Value) {
        let fail = |why: String| Verdict::Fail {
            why,
            expected: Value::Null,
            received: Value::Null,
        };
        let request = match resolve_refs(&step.request, bodies, index) {
            Ok(request) => request,
            Err(err) => {
                return (
                    None,
                    fail(format!("{err} (an earlier step's reply lacks it)")),
                    Value::Null,
                )
            }
        };
        let request = bindings.substitute(&request);
        let mut call = match self.encode(&step.operation, &step.caller, &request) {
            Ok(call) => call,
            Err(why) => {
                return (
                    None,
                    Verdict::Skipped {
                        why: why.to_string(),
                    },
                    Value::Null,
                )
            }
        };
        if self.target == TargetKind::OrgHandshake {
            call.set_header(
                "x-org-handshake-now",
                step.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            );
            if !step.new_ids.is_empty() {
                call.set_header("x-org-handshake-new-ids", step.new_ids.join(","));
            }
            let request_id = step
                .request_id
                .as_deref()
                .unwrap_or(self.provider.dialect().default_request_id());
            if !request_id.is_empty() {
                call.set_header("x-org-handshake-request-id", request_id);
            }
            // A caller no credential can name (a malformed id) is named as it is; any other
            // travels in the SDK's own credential, so the server's reading of it is tested too.
            if self.provider.dialect().account_id(&step.caller).is_none() {
                call.set_header("x-org-handshake-caller", &step.caller);
            }
        }
        let received = match send(&self.endpoint, &call, self.limits).await {
            Ok(received) => received,
            Err(fault) => return (None, fail(fault_sentence(&fault)), Value::Null),
        };
        let status = Some(received.status);
        let body = match json_of(&received) {
            Ok(body) => body,
            Err(why) => return (status, fail(why.to_string()), Value::Null),
        };
        let expected = match self.target {
            TargetKind::OrgHandshake => step.expect.body.clone(),
            TargetKind::Generic => {
                // The handshake the step created carries the id the vector gave it: later
                // steps name it literally.
                if let (Some(vector_id), true) = (step.new_ids.first(), received.status < 300) {
                    let minted = ["/Handshake/Id", "/handshake/id", "/Handshake/HandshakeId"]
                        .iter()
                        .find_map(|pointer| body.pointer(pointer).and_then(Value::as_str));
                    if let Some(minted) = minted {
                        bindings.bind(vector_id, minted);
                    }
                }
                bindings.expected(&step.expect.body, &body)
            }
        };
        let verdict = if received.status != step.expect.status {
            let code = |v: &Value| {
                ["__type", "error_code", "Code"]
                    .iter()
                    .find_map(|k| v.get(*k).cloned())
                    .unwrap_or(Value::Null)
            };
            Verdict::Fail {
                why: format!(
                    "status: expected {}, got {} (code expected {}, got {})",
                    step.expect.status,
                    received.status,
                    code(&expected),
                    code(&body)
                ),
                expected: json!({"status": step.expect.status, "code": code(&expected)}),
                received: json!({"status": received.status, "code": code(&body)}),
            }
        } else {
            match match_subset(&expected, &body) {
                Ok(()) => Verdict::Pass,
                Err(mismatch) => Verdict::Fail {
                    why: mismatch.to_string(),
                    expected: mismatch.expected,
                    received: mismatch.actual,
                },
            }
        };
        let _ = file;
        (status, verdict, body)
    }

    /// The call as the provider's SDK sends it, by the caller's credential, signed.
    fn encode(
        &self,
        operation: &str,
        caller: &str,
        request: &Value,
    ) -> Result<OutgoingRequest, CallError> {
        let credential = self
            .bindings
            .credentials
            .get(caller)
            .map_or(caller, String::as_str);
        let mut call = self
            .provider
            .dialect()
            .encode(operation, credential, request)
            .map_err(CallError::NoWireForm)?;
        for (name, value) in &self.bindings.headers {
            call.set_header(name, value.replace("{caller}", caller));
        }
        sign_call(
            self.provider.as_str(),
            &mut call,
            credential,
            &self.endpoint,
            Utc::now(),
        )?;
        Ok(call)
    }

    /// A control call to org-handshake-server.
    async fn control(&self, path: &str, body: &Value) -> Result<Received, SetupError> {
        let mut call = OutgoingRequest::new("POST", path);
        call.push_header("content-type", "application/json");
        call.body = body.to_string().into_bytes();
        send(&self.endpoint, &call, self.limits)
            .await
            .map_err(|fault| SetupError::Control {
                path: path.to_owned(),
                fault,
            })
    }

    async fn load_world(&self, file: &VectorFile) -> Result<(), SetupError> {
        let body = json!({"provider": file.provider.as_str(), "world": file.world});
        let received = self.control("/_org-handshake/world", &body).await?;
        if received.status == 200 {
            Ok(())
        } else {
            Err(SetupError::WorldRefused {
                status: received.status,
                body: received.body.chars().take(200).collect(),
            })
        }
    }

    /// Calls `operation` for setting a generic target up; the reply's JSON when it succeeded.
    async fn setup_call(
        &self,
        operation: &str,
        caller: &str,
        request: Value,
    ) -> Result<Value, SetupError> {
        let call = self.encode(operation, caller, &request)?;
        let received = send(&self.endpoint, &call, self.limits)
            .await
            .map_err(|fault| SetupError::NoReply {
                operation: operation.to_owned(),
                caller: caller.to_owned(),
                fault,
            })?;
        let body = json_of(&received).map_err(|source| SetupError::NotJson {
            operation: operation.to_owned(),
            caller: caller.to_owned(),
            source,
        })?;
        if received.status >= 300 {
            return Err(SetupError::Refused {
                operation: operation.to_owned(),
                caller: caller.to_owned(),
                status: received.status,
                body: received.body.chars().take(200).collect(),
            });
        }
        Ok(body)
    }

    /// Creates the world's organizations by their management accounts and joins their members
    /// by invitation, binding the ids the target mints.
    async fn set_up(&self, file: &VectorFile, bindings: &mut Bindings) -> Result<(), SetupError> {
        if let Some(reset) = &self.bindings.reset {
            let mut call = OutgoingRequest::new(&reset.method, reset.path.as_str());
            if let Some(body) = &reset.body {
                call.push_header("content-type", "application/json");
                call.body = fill(body, file).to_string().into_bytes();
            }
            let received = send(&self.endpoint, &call, self.limits)
                .await
                .map_err(|fault| SetupError::ResetNoReply {
                    path: reset.path.clone(),
                    fault,
                })?;
            if received.status >= 300 {
                return Err(SetupError::ResetRefused {
                    path: reset.path.clone(),
                    status: received.status,
                });
            }
        }
        if !self.bindings.create_world {
            return Ok(());
        }
        let dialect = self.provider.dialect();
        let write = |request: &Request| {
            dialect
                .write_call(request)
                .map_err(|err| SetupError::Call(CallError::NoWireForm(err)))
        };
        for organization in &file.world.organizations {
            let manager = organization.management_account.id.to_string();
            // A provider with feature sets always names one (the world's, else all); one
            // without creates an organization without.
            let feature_set = organization.feature_set.unwrap_or(FeatureSet::All);
            let (create, request) = dialect
                .write_call(&Request::CreateOrganization {
                    feature_set: Some(feature_set),
                })
                .or_else(|_| write(&Request::CreateOrganization { feature_set: None }))?;
            let created = self.setup_call(create, &manager, request).await?;
            let id = first_string(&created, &|text| dialect.organization_id(text).is_some())
                .ok_or_else(|| SetupError::NoOrganizationId {
                    operation: create,
                    body: created.clone(),
                })?;
            bindings.bind(organization.id.as_str(), &id);
            for member in &organization.members {
                let (invite, request) = write(&Request::Invite {
                    target: Party::Account(*member),
                    notes: setup_notes(),
                })?;
                let invited = self.setup_call(invite, &manager, request).await?;
                let handshake = first_string(&invited, &|text| {
                    dialect.profile().parse_handshake_id(text).is_ok()
                })
                .and_then(|text| text.parse::<HandshakeId>().ok())
                .ok_or_else(|| SetupError::NoHandshakeId {
                    operation: invite,
                    body: invited.clone(),
                })?;
                let (accept, request) = write(&Request::Accept(handshake))?;
                self.setup_call(accept, member.as_str(), request).await?;
            }
        }
        Ok(())
    }
}

/// The notes of a set-up invitation: text every provider sends (Huawei requires notes, and
/// Alibaba leaves empty ones out).
fn setup_notes() -> Option<Notes> {
    Notes::parse("org-handshake conformance set-up").ok()
}

/// The first string in `body` (depth first, in the body's order) that `accepts` takes: how a
/// set-up reads the id a generic target minted without relying on the rest of its reply's
/// shape, which is what the vectors test.
fn first_string(body: &Value, accepts: &dyn Fn(&str) -> bool) -> Option<String> {
    match body {
        Value::String(text) => accepts(text).then(|| text.clone()),
        Value::Array(items) => items.iter().find_map(|item| first_string(item, accepts)),
        Value::Object(members) => members
            .values()
            .find_map(|value| first_string(value, accepts)),
        _ => None,
    }
}

/// `template` with the strings `{world}` and `{provider}` replaced by the vector's.
fn fill(template: &Value, file: &VectorFile) -> Value {
    match template {
        Value::String(text) if text == "{world}" => json!(file.world),
        Value::String(text) if text == "{provider}" => json!(file.provider.as_str()),
        Value::Array(items) => Value::Array(items.iter().map(|v| fill(v, file)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), fill(v, file)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A fault as a report sentence.
fn fault_sentence(fault: &Fault) -> String {
    fault.to_string()
}

/// A duration from `--timeout` seconds.
pub fn seconds(value: f64) -> Duration {
    Duration::from_secs_f64(value.max(0.001))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_that_is_not_json_is_shown_by_its_start() {
        let long = Received {
            status: 502,
            body: format!("<html>{}", "x".repeat(100)),
            headers: Vec::new(),
        };
        let err = json_of(&long).err();
        assert_eq!(err.as_ref().map(|e| (e.status, e.cut)), Some((502, true)));
        let shown = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            shown.starts_with("the reply (status 502) is not JSON: \"<html>x"),
            "{shown}"
        );
        assert!(shown.ends_with("\"…"), "{shown}");

        let short = Received {
            status: 200,
            body: "nope".into(),
            headers: Vec::new(),
        };
        assert_eq!(
            json_of(&short).map_err(|e| e.to_string()),
            Err("the reply (status 200) is not JSON: \"nope\"".into())
        );
    }
}
