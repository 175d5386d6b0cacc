//! `org_handshake._native`: the Python bindings of the org-handshake core.
//!
//! One class, `Service`, wraps the core's [`Service`] with what a Python test needs around it:
//! a clock (the core is always given `now`), a seeded id source (the core is always given new
//! ids), and the session's state-changing calls, kept as conformance steps so that the session
//! can be handed out as a vector. Its `handle` method is the HTTP entry the in-process boto3
//! mock uses: the core's own routing, as the server does it.
//!
//! Every failure is a Python exception (`OrgHandshakeError` and its subclasses, carrying the
//! core's stable code as `.code`), or `TypeError`/`ValueError` for a Python value of the wrong
//! type or shape; a provider's refusal is no exception but a `Reply` with `error` set.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use org_handshake::conformance::{self, Step, VectorFile};
use org_handshake::ledger::{AccountSpec, World};
use org_handshake::provider::error_table::Override;
use org_handshake::provider::{
    Call, CallError as CoreCallError, HttpRequest, Provider, Reply, Service,
};
use org_handshake::{
    AccountId, Event, FeatureSet, HandshakeId, IdList, IdSource, IdSourceError, OrganizationId,
    Profile, SeededIds,
};
use org_handshake_server::error::FileFormatError;
use org_handshake_server::Overrides;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3::IntoPyObjectExt;
use serde_json::{Map, Number, Value};

create_exception!(
    _native,
    OrgHandshakeError,
    PyException,
    "Base of every org-handshake error; `.code` is the core's stable code of the error."
);
create_exception!(
    _native,
    WorldError,
    OrgHandshakeError,
    "The world cannot exist (or holds an id the provider could not)."
);
create_exception!(
    _native,
    CallError,
    OrgHandshakeError,
    "A call the harness got wrong: new handshake ids missing, malformed or in use."
);
create_exception!(
    _native,
    LedgerError,
    OrgHandshakeError,
    "A change of the world the ledger refused (the ledger is unchanged)."
);
create_exception!(
    _native,
    OverrideError,
    OrgHandshakeError,
    "An error-table override that names no row or sets an impossible value."
);
create_exception!(
    _native,
    RestoreError,
    OrgHandshakeError,
    "A saved service that cannot be restored."
);

/// How deep a Python value given as JSON may nest (the core's JSON parser allows 128; a value
/// nested deeper than this is refused before it could exhaust the stack).
const MAX_DEPTH: usize = 100;

/// How many seeded ids a call may draw that turn out to be in use before it gives up (as the
/// server does).
const MAX_ID_DRAWS: usize = 16;

/// An exception of type `E` whose `.code` is `code`.
fn coded<E: pyo3::PyTypeInfo>(py: Python<'_>, code: &str, message: String) -> PyErr {
    let err = PyErr::new::<E, _>(message);
    // Setting an attribute on a fresh exception instance cannot fail but for memory; the
    // exception is still raised then, without its code.
    let _ = err.value(py).setattr("code", code);
    err
}

/// A Python value as JSON: `dict` (string keys), `list`, `tuple`, `str`, `int`, finite `float`,
/// `bool`, `None`.
fn to_json(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err(format!(
            "the value nests deeper than {MAX_DEPTH} levels"
        )));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(flag) = obj.downcast::<PyBool>() {
        return Ok(Value::Bool(flag.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(n) = obj.extract::<i64>() {
            return Ok(Value::from(n));
        }
        if let Ok(n) = obj.extract::<u64>() {
            return Ok(Value::from(n));
        }
        return Err(PyValueError::new_err("an integer outside the 64-bit range"));
    }
    if let Ok(float) = obj.downcast::<PyFloat>() {
        return Number::from_f64(float.value())
            .map(Value::Number)
            .ok_or_else(|| PyValueError::new_err("NaN and infinity are not JSON"));
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(Value::String(obj.extract::<String>()?));
    }
    if let Ok(dict) = obj.downcast::<PyDict>() {
        let mut map = Map::new();
        for (key, value) in dict.iter() {
            if !key.is_instance_of::<PyString>() {
                return Err(PyTypeError::new_err(format!(
                    "a JSON object's keys are strings, not {}",
                    type_name(&key)
                )));
            }
            map.insert(key.extract::<String>()?, to_json(&value, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(list) = obj.downcast::<PyList>() {
        return list
            .iter()
            .map(|item| to_json(&item, depth + 1))
            .collect::<PyResult<_>>()
            .map(Value::Array);
    }
    if let Ok(tuple) = obj.downcast::<PyTuple>() {
        return tuple
            .iter()
            .map(|item| to_json(&item, depth + 1))
            .collect::<PyResult<_>>()
            .map(Value::Array);
    }
    Err(PyTypeError::new_err(format!(
        "{} is not a JSON value (dict, list, str, int, float, bool or None)",
        type_name(obj)
    )))
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "object".to_owned(), |name| name.to_string())
}

/// A JSON value as Python: objects as `dict`, arrays as `list`.
fn to_py(py: Python<'_>, value: &Value) -> PyResult<PyObject> {
    Ok(match value {
        Value::Null => py.None(),
        Value::Bool(flag) => flag.into_py_any(py)?,
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_py_any(py)?,
            (None, Some(u)) => u.into_py_any(py)?,
            _ => n.as_f64().unwrap_or(f64::NAN).into_py_any(py)?,
        },
        Value::String(text) => text.into_py_any(py)?,
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(key, to_py(py, item)?)?;
            }
            dict.into_any().unbind()
        }
    })
}

/// A request, a world or overrides given as a Python value or as JSON text (`str`/`bytes`).
fn json_arg(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    let text = if obj.is_instance_of::<PyString>() {
        obj.extract::<String>()?
    } else if let Ok(bytes) = obj.downcast::<PyBytes>() {
        String::from_utf8(bytes.as_bytes().to_vec())
            .map_err(|_| PyValueError::new_err(format!("{what}: the bytes are not UTF-8")))?
    } else {
        return to_json(obj, 0);
    };
    serde_json::from_str(&text)
        .map_err(|err| PyValueError::new_err(format!("{what}: not JSON: {err}")))
}

/// A time from a `datetime` (a naive one is taken as UTC) or RFC 3339 text.
fn time_arg(obj: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    let py = obj.py();
    let text = if obj.is_instance_of::<PyString>() {
        obj.extract::<String>()?
    } else {
        let datetime = py.import("datetime")?;
        if !obj.is_instance(&datetime.getattr("datetime")?)? {
            return Err(PyTypeError::new_err(format!(
                "a time is a datetime or RFC 3339 text, not {}",
                type_name(obj)
            )));
        }
        let utc = datetime.getattr("timezone")?.getattr("utc")?;
        let aware = if obj.getattr("tzinfo")?.is_none() {
            let kwargs = PyDict::new(py);
            kwargs.set_item("tzinfo", &utc)?;
            obj.call_method("replace", (), Some(&kwargs))?
        } else {
            obj.call_method1("astimezone", (&utc,))?
        };
        aware.call_method0("isoformat")?.extract::<String>()?
    };
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|err| PyValueError::new_err(format!("`{text}` is not an RFC 3339 time: {err}")))
}

/// A time as an aware `datetime` in UTC.
fn time_to_py(py: Python<'_>, time: DateTime<Utc>) -> PyResult<PyObject> {
    let text = time.to_rfc3339_opts(SecondsFormat::Micros, false);
    Ok(py
        .import("datetime")?
        .getattr("datetime")?
        .call_method1("fromisoformat", (text,))?
        .unbind())
}

/// Records the ids a call draws, so that its step names them.
struct Recording<'a> {
    inner: &'a mut SeededIds,
    drawn: Vec<String>,
}

impl IdSource for Recording<'_> {
    fn next_id(&mut self, profile: &Profile) -> Result<HandshakeId, IdSourceError> {
        let id = self.inner.next_id(profile)?;
        self.drawn.push(id.as_str().to_owned());
        Ok(id)
    }
}

/// A provider's answer to one call.
#[pyclass(module = "org_handshake._native", name = "Reply", frozen)]
struct PyReply {
    status: u16,
    text: String,
    headers: Vec<(&'static str, String)>,
    error: Option<&'static str>,
    error_code: Option<String>,
    error_reason: Option<String>,
    events: Vec<Event>,
    operation: String,
    caller: String,
}

impl PyReply {
    fn new(reply: Reply, operation: &str, caller: &str) -> Self {
        PyReply {
            status: reply.status,
            text: reply.body,
            headers: reply.headers,
            error: reply.error.map(|kind| kind.as_str()),
            error_code: reply.error_code,
            error_reason: reply.error_reason,
            events: reply.events,
            operation: operation.to_owned(),
            caller: caller.to_owned(),
        }
    }
}

#[pymethods]
impl PyReply {
    /// The HTTP status code.
    #[getter]
    fn status(&self) -> u16 {
        self.status
    }

    /// The body as the JSON text the provider sends.
    #[getter]
    fn text(&self) -> &str {
        &self.text
    }

    /// The body read as JSON (a `dict`).
    #[getter]
    fn body(&self, py: Python<'_>) -> PyResult<PyObject> {
        let value: Value =
            serde_json::from_str(&self.text).unwrap_or_else(|_| Value::String(self.text.clone()));
        to_py(py, &value)
    }

    /// The provider's reply headers, as a `dict`.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (key, value) in &self.headers {
            dict.set_item(key, value)?;
        }
        Ok(dict)
    }

    /// The value of header `name` (compared without regard to case), or `None`.
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// For a refusal, the core's neutral error kind (`"not_found"`, `"access_denied"`, …);
    /// `None` for a success.
    #[getter]
    fn error(&self) -> Option<&'static str> {
        self.error
    }

    /// For a refusal, the provider's error code its body carries (AWS `__type`, Huawei
    /// `error_code`, Alibaba `Code`); `None` for a success.
    #[getter]
    fn error_code(&self) -> Option<&str> {
        self.error_code.as_deref()
    }

    /// For a refusal whose code has a secondary code, that code (AWS `Reason`); else `None`.
    #[getter]
    fn error_reason(&self) -> Option<&str> {
        self.error_reason.as_deref()
    }

    /// For a success, what changed: a list of event dicts (`{"event": "handshake_accepted",
    /// …}`); empty exactly when nothing changed.
    #[getter]
    fn events(&self, py: Python<'_>) -> PyResult<PyObject> {
        let value = serde_json::to_value(&self.events)
            .map_err(|err| PyValueError::new_err(err.to_string()))?;
        to_py(py, &value)
    }

    /// Whether the call changed state.
    #[getter]
    fn changed(&self) -> bool {
        !self.events.is_empty()
    }

    /// The provider's operation name the call ran as.
    #[getter]
    fn operation(&self) -> &str {
        &self.operation
    }

    /// The calling account the call ran as.
    #[getter]
    fn caller(&self) -> &str {
        &self.caller
    }

    fn __repr__(&self) -> String {
        format!(
            "Reply(operation={:?}, status={}, error={:?})",
            self.operation,
            self.status,
            self.error.unwrap_or("")
        )
    }
}

/// One provider's service over a ledger, with a clock, seeded ids and the session's record.
#[pyclass(module = "org_handshake._native", name = "Service")]
struct PyService {
    service: Service,
    provider: Provider,
    world: World,
    clock: DateTime<Utc>,
    ids: SeededIds,
    steps: Vec<Step>,
    /// A world change since the session began: the vector could not replay it.
    world_changed: bool,
}

/// What `save` writes.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Saved {
    format: String,
    service: Service,
    world: World,
    now: DateTime<Utc>,
    ids: SeededIds,
    steps: Vec<Step>,
    world_changed: bool,
}

const SAVED_FORMAT: &str = "org-handshake-python-service/1";

fn provider_arg(py: Python<'_>, name: &str) -> PyResult<Provider> {
    name.parse::<Provider>().map_err(|_| {
        coded::<OrgHandshakeError>(
            py,
            "unknown_provider",
            format!("`{name}` is not a provider (aws, huawei, alibaba)"),
        )
    })
}

fn world_arg(py: Python<'_>, world: Option<&Bound<'_, PyAny>>) -> PyResult<World> {
    let Some(world) = world.filter(|w| !w.is_none()) else {
        return Ok(World::default());
    };
    let value = json_arg(world, "world")?;
    serde_json::from_value(value).map_err(|err| {
        coded::<WorldError>(
            py,
            "invalid_world",
            format!("the world is not valid: {err}"),
        )
    })
}

/// Overrides given as a list of corrections in the format of org-handshake-server's
/// `--overrides` file (`{"kind", "from"?, "operation"?, "status"?, "code"?, "message"?}`: the
/// rows of `kind`, narrowed by the code they answer today and by operation), read by the
/// server's own parser so that both take the same corrections alike.
fn overrides_arg(
    py: Python<'_>,
    provider: Provider,
    overrides: &Bound<'_, PyAny>,
) -> PyResult<Vec<Override>> {
    let list = json_arg(overrides, "overrides")?;
    if !list.is_array() {
        return Err(PyTypeError::new_err("overrides are a list of dicts"));
    }
    let mut file = Map::new();
    file.insert(provider.as_str().to_owned(), list);
    let text = Value::Object(file).to_string();
    let parsed = Overrides::parse(std::path::Path::new("overrides"), &text).map_err(|err| {
        let code = match err {
            FileFormatError::NoSuchRow { .. } => "no_such_row",
            _ => "invalid_overrides",
        };
        coded::<OverrideError>(py, code, err.to_string())
    })?;
    Ok(parsed.of(provider).to_vec())
}

fn parsed<T: std::str::FromStr>(py: Python<'_>, what: &str, text: &str) -> PyResult<T>
where
    T::Err: std::fmt::Display,
{
    text.parse::<T>().map_err(|err| {
        coded::<OrgHandshakeError>(py, "invalid_id", format!("{what} `{text}`: {err}"))
    })
}

impl PyService {
    fn build(
        py: Python<'_>,
        provider: Provider,
        world: World,
        now: DateTime<Utc>,
        seed: u64,
        overrides: Vec<Override>,
    ) -> PyResult<Self> {
        let service = Service::new(provider, &world)
            .map_err(|err| coded::<WorldError>(py, err.code(), err.to_string()))?;
        let service = service
            .with_overrides(&overrides)
            .map_err(|err| coded::<OverrideError>(py, err.code(), err.to_string()))?;
        Ok(PyService {
            service,
            provider,
            world,
            clock: now,
            ids: SeededIds::new(seed),
            steps: Vec::new(),
            world_changed: false,
        })
    }

    /// Runs one call at `now`, with `new_ids` or else ids drawn from the seeded source, and
    /// keeps it as a step when it changed state.
    fn run(&mut self, py: Python<'_>, call: Call<'_>, new_ids: Option<&[&str]>) -> PyResult<Reply> {
        if call.now > self.clock {
            self.clock = call.now;
        }
        let outcome = match new_ids {
            Some(ids) => {
                let mut list = IdList::new(ids);
                self.service
                    .call_with(&call, &mut list)
                    .map(|reply| (reply, ids.iter().map(|id| (*id).to_owned()).collect()))
            }
            None => {
                let mut attempts = 0;
                loop {
                    attempts += 1;
                    let mut recording = Recording {
                        inner: &mut self.ids,
                        drawn: Vec::new(),
                    };
                    match self.service.call_with(&call, &mut recording) {
                        Ok(reply) => break Ok((reply, recording.drawn)),
                        Err(CoreCallError::NewIdInUse { .. }) if attempts < MAX_ID_DRAWS => {
                            continue
                        }
                        Err(err) => break Err(err),
                    }
                }
            }
        };
        let (reply, drawn): (Reply, Vec<String>) =
            outcome.map_err(|err| coded::<CallError>(py, err.code(), err.to_string()))?;
        if reply.changed() {
            // The ids a call was given but did not use are not the step's.
            let used = reply
                .events
                .iter()
                .filter(|event| matches!(event, Event::HandshakeRequested { .. }))
                .count();
            let drawn: Vec<String> = drawn.into_iter().take(used).collect();
            self.steps
                .push(Step::record(self.provider.dialect(), &call, &drawn, &reply));
        }
        Ok(reply)
    }

    fn world_change(
        &mut self,
        py: Python<'_>,
        events: Result<Vec<Event>, org_handshake::LedgerError>,
    ) -> PyResult<PyObject> {
        let events = events.map_err(|err| coded::<LedgerError>(py, err.code(), err.to_string()))?;
        self.world_changed = true;
        let value =
            serde_json::to_value(&events).map_err(|err| PyValueError::new_err(err.to_string()))?;
        to_py(py, &value)
    }
}

#[pymethods]
impl PyService {
    /// `Service(provider, world=None, *, now=None, seed=0, overrides=None)`: `provider` is
    /// `"aws"`, `"huawei"` or `"alibaba"`; `world` a dict (or JSON text) in the conformance
    /// vectors' world format; `now` the clock's start (a `datetime` or RFC 3339 text; default
    /// the current time); `seed` the seed of the ids new handshakes get; `overrides` a list of
    /// error-table corrections.
    #[new]
    #[pyo3(signature = (provider, world = None, *, now = None, seed = 0, overrides = None))]
    fn py_new(
        py: Python<'_>,
        provider: &str,
        world: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
        seed: u64,
        overrides: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let provider = provider_arg(py, provider)?;
        let world = world_arg(py, world)?;
        let now = match now.filter(|n| !n.is_none()) {
            Some(now) => time_arg(now)?,
            None => Utc::now(),
        };
        let overrides = match overrides.filter(|o| !o.is_none()) {
            Some(overrides) => overrides_arg(py, provider, overrides)?,
            None => Vec::new(),
        };
        PyService::build(py, provider, world, now, seed, overrides)
    }

    /// The provider's name.
    #[getter]
    fn provider(&self) -> &'static str {
        self.provider.as_str()
    }

    /// The service's clock: when the next call without `now` runs (an aware UTC `datetime`).
    #[getter]
    fn get_now(&self, py: Python<'_>) -> PyResult<PyObject> {
        time_to_py(py, self.clock)
    }

    /// Sets the clock (a `datetime` or RFC 3339 text). An earlier time than the ledger's last
    /// call is refused by the next call, as time running backwards.
    #[setter]
    fn set_now(&mut self, now: &Bound<'_, PyAny>) -> PyResult<()> {
        self.clock = time_arg(now)?;
        Ok(())
    }

    /// Moves the clock forward; answers the new time.
    #[pyo3(signature = (seconds = 0.0, *, minutes = 0.0, hours = 0.0, days = 0.0))]
    fn advance(
        &mut self,
        py: Python<'_>,
        seconds: f64,
        minutes: f64,
        hours: f64,
        days: f64,
    ) -> PyResult<PyObject> {
        let total = seconds + minutes * 60.0 + hours * 3600.0 + days * 86_400.0;
        if !total.is_finite() || !(0.0..=1e12).contains(&total) {
            return Err(PyValueError::new_err(
                "the clock moves forward only, by less than 10^12 seconds",
            ));
        }
        // Whole microseconds: what a Python datetime holds.
        let micros = (total * 1e6).round() as i64;
        self.clock = self
            .clock
            .checked_add_signed(TimeDelta::microseconds(micros))
            .ok_or_else(|| PyValueError::new_err("the clock would leave the calendar"))?;
        time_to_py(py, self.clock)
    }

    /// Answers one provider-shaped call. `request` is the provider's request shape (AWS: the
    /// JSON body; Huawei: `{"path", "query", "body"}`; Alibaba: the flat query map), as a dict
    /// or JSON text; `now` defaults to the clock (a later `now` moves the clock);
    /// `new_ids` names the ids of the handshakes the call creates (default: seeded ids).
    ///
    /// Raises `CallError` for new ids that are missing, malformed or in use; every other
    /// problem is the provider's own error reply.
    #[pyo3(signature = (operation, caller, request = None, now = None, *, new_ids = None, request_id = None))]
    #[allow(clippy::too_many_arguments)]
    fn call(
        &mut self,
        py: Python<'_>,
        operation: &str,
        caller: &str,
        request: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
        new_ids: Option<Vec<String>>,
        request_id: Option<&str>,
    ) -> PyResult<PyReply> {
        let request = match request.filter(|r| !r.is_none()) {
            Some(request) => json_arg(request, "request")?,
            None => Value::Object(Map::new()),
        };
        let now = match now.filter(|n| !n.is_none()) {
            Some(now) => time_arg(now)?,
            None => self.clock,
        };
        let ids: Option<Vec<&str>> = new_ids
            .as_ref()
            .map(|ids| ids.iter().map(String::as_str).collect());
        let call = Call::new(operation, caller, now, &request)
            .with_request_id(request_id.unwrap_or_default());
        let reply = self.run(py, call, ids.as_deref())?;
        Ok(PyReply::new(reply, operation, caller))
    }

    /// Answers one HTTP request of the provider's own protocol, as org-handshake-server does:
    /// the core routes it, the caller is the account its credential names (else the world's
    /// first management account), the call runs at the clock with seeded ids. Answers a
    /// `Reply` (a request that cannot be routed gets the provider's own error reply).
    #[pyo3(signature = (method, path, query = "", headers = None, body = None))]
    fn handle(
        &mut self,
        py: Python<'_>,
        method: &str,
        path: &str,
        query: &str,
        headers: Option<Vec<(String, String)>>,
        body: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyReply> {
        let headers = headers.unwrap_or_default();
        let header_refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let body_bytes: Vec<u8> = match body.filter(|b| !b.is_none()) {
            None => Vec::new(),
            Some(body) if body.is_instance_of::<PyString>() => {
                body.extract::<String>()?.into_bytes()
            }
            Some(body) => match body.downcast::<PyBytes>() {
                Ok(bytes) => bytes.as_bytes().to_vec(),
                Err(_) => {
                    return Err(PyTypeError::new_err(format!(
                        "a body is bytes or str, not {}",
                        type_name(body)
                    )))
                }
            },
        };
        let request = HttpRequest::new(method, path)
            .with_query(query)
            .with_headers(&header_refs)
            .with_body(&body_bytes);
        let routed = match self.service.route(&request, "") {
            Ok(routed) => routed,
            Err(reply) => return Ok(PyReply::new(reply, "", "")),
        };
        let caller = self.service.caller_for(routed.credential.as_deref());
        let call = Call::new(routed.operation, &caller, self.clock, &routed.request);
        let reply = self.run(py, call, None)?;
        Ok(PyReply::new(reply, routed.operation, &caller))
    }

    /// Replaces the world: a new ledger of `world`, the session's record emptied, the clock
    /// and overrides kept.
    fn set_world(&mut self, py: Python<'_>, world: &Bound<'_, PyAny>) -> PyResult<()> {
        let world = world_arg(py, Some(world))?;
        let overrides = self.service.overrides().to_vec();
        let rebuilt = PyService::build(
            py,
            self.provider,
            world,
            self.clock,
            self.ids.seed(),
            overrides,
        )?;
        let ids = self.ids;
        *self = rebuilt;
        self.ids = ids;
        Ok(())
    }

    /// Adds a standalone account (`id`, `name`, optional `email`) at the clock; answers the
    /// events. Raises `LedgerError` (nothing changed) when the ledger refuses.
    #[pyo3(signature = (id, name, email = None))]
    fn add_account(
        &mut self,
        py: Python<'_>,
        id: &str,
        name: &str,
        email: Option<&str>,
    ) -> PyResult<PyObject> {
        let spec = AccountSpec {
            id: parsed(py, "account id", id)?,
            name: parsed(py, "account name", name)?,
            email: email.map(|e| parsed(py, "email", e)).transpose()?,
        };
        let now = self.clock;
        let result = self.service.ledger_mut().add_account(spec, now);
        self.world_change(py, result)
    }

    /// Creates organization `id` managed by the standalone account `management_account`, with
    /// `feature_set` (`"ALL"`, `"CONSOLIDATED_BILLING"`, or `None` for a provider without
    /// feature sets); answers the events. Raises `LedgerError` when the ledger refuses.
    #[pyo3(signature = (id, management_account, feature_set = None))]
    fn add_organization(
        &mut self,
        py: Python<'_>,
        id: &str,
        management_account: &str,
        feature_set: Option<&str>,
    ) -> PyResult<PyObject> {
        let org: OrganizationId = parsed(py, "organization id", id)?;
        let manager: AccountId = parsed(py, "account id", management_account)?;
        let features: Option<FeatureSet> = feature_set
            .map(|f| parsed(py, "feature set", &f.to_ascii_lowercase()))
            .transpose()?;
        let now = self.clock;
        let result = self
            .service
            .ledger_mut()
            .add_organization(org, manager, features, now);
        self.world_change(py, result)
    }

    /// Member `account` leaves its organization at the clock; answers the events. Raises
    /// `LedgerError` when the ledger refuses.
    fn remove_member(&mut self, py: Python<'_>, account: &str) -> PyResult<PyObject> {
        let account: AccountId = parsed(py, "account id", account)?;
        let now = self.clock;
        let result = self.service.ledger_mut().remove_member(account, now);
        self.world_change(py, result)
    }

    /// The session so far as a conformance vector (a dict in the `org-handshake-vectors/1`
    /// format): the world it started from and every call that changed state, with the reply
    /// it got. Raises `OrgHandshakeError` (`world_changed`) after a world change, which a
    /// vector cannot express.
    #[pyo3(signature = (id = None, description = None))]
    fn vector(
        &self,
        py: Python<'_>,
        id: Option<String>,
        description: Option<String>,
    ) -> PyResult<PyObject> {
        if self.world_changed {
            return Err(coded::<OrgHandshakeError>(
                py,
                "world_changed",
                "the world was changed during the session; a vector cannot replay that".into(),
            ));
        }
        let provider = self.provider;
        let file = VectorFile {
            format: conformance::FORMAT.into(),
            id: id.unwrap_or_else(|| format!("{provider}-python-session")),
            description: description.unwrap_or_else(|| {
                format!("The {provider} calls that changed state in an org_handshake Python session, with the replies they got.")
            }),
            provider: provider.as_str().into(),
            reading: None,
            world: self.world.clone(),
            steps: self.steps.clone(),
        };
        let value =
            serde_json::to_value(&file).map_err(|err| PyValueError::new_err(err.to_string()))?;
        to_py(py, &value)
    }

    /// The whole service as JSON text: ledger, overrides, clock, id source and session.
    fn save(&self, py: Python<'_>) -> PyResult<String> {
        let saved = Saved {
            format: SAVED_FORMAT.into(),
            service: self.service.clone(),
            world: self.world.clone(),
            now: self.clock,
            ids: self.ids,
            steps: self.steps.clone(),
            world_changed: self.world_changed,
        };
        serde_json::to_string(&saved)
            .map_err(|err| coded::<OrgHandshakeError>(py, "unsaveable", err.to_string()))
    }

    /// A service back as it was when `save` wrote `text`. Raises `RestoreError`.
    #[staticmethod]
    fn restore(py: Python<'_>, text: &str) -> PyResult<Self> {
        let saved: Saved = serde_json::from_str(text).map_err(|err| {
            coded::<RestoreError>(
                py,
                "invalid_snapshot",
                format!("not a saved service: {err}"),
            )
        })?;
        if saved.format != SAVED_FORMAT {
            return Err(coded::<RestoreError>(
                py,
                "invalid_snapshot",
                format!("format `{}`, expected `{SAVED_FORMAT}`", saved.format),
            ));
        }
        let provider = saved.service.provider().ok_or_else(|| {
            coded::<RestoreError>(py, "unknown_dialect", "not a built-in provider".into())
        })?;
        Ok(PyService {
            service: saved.service,
            provider,
            world: saved.world,
            clock: saved.now,
            ids: saved.ids,
            steps: saved.steps,
            world_changed: saved.world_changed,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "Service(provider={:?}, now={:?}, steps={})",
            self.provider.as_str(),
            self.clock.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            self.steps.len()
        )
    }
}

/// Runs org-handshake-server with `args` (the program name first) until SIGTERM or Ctrl-C, with
/// the GIL released; answers its exit status (0 after a clean stop or `--help`, 1 when it
/// cannot start, 2 for bad arguments).
#[pyfunction]
fn run_server(py: Python<'_>, args: Vec<String>) -> u8 {
    let code = py.allow_threads(|| org_handshake_server::run_from_args(args));
    // `ExitCode` does not give its number back; the server answers only these three.
    [0u8, 1, 2]
        .into_iter()
        .find(|n| std::process::ExitCode::from(*n) == code)
        .unwrap_or(1)
}

/// The world `provider`'s emulator starts from when given none (its dialect's built-in world,
/// the one org-handshake-server uses), as the JSON text of the vector format.
#[pyfunction]
fn default_world_json(py: Python<'_>, provider: &str) -> PyResult<String> {
    let fail = |e: serde_json::Error| coded::<WorldError>(py, "invalid_world", e.to_string());
    let world = provider_arg(py, provider)?
        .dialect()
        .description()
        .default_world()
        .map_err(fail)?;
    // Written as the server writes a world (in its vectors), every member given.
    serde_json::to_string(&world).map_err(fail)
}

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyService>()?;
    m.add_class::<PyReply>()?;
    m.add_function(wrap_pyfunction!(run_server, m)?)?;
    m.add_function(wrap_pyfunction!(default_world_json, m)?)?;
    m.add("OrgHandshakeError", py.get_type::<OrgHandshakeError>())?;
    m.add("WorldError", py.get_type::<WorldError>())?;
    m.add("CallError", py.get_type::<CallError>())?;
    m.add("LedgerError", py.get_type::<LedgerError>())?;
    m.add("OverrideError", py.get_type::<OverrideError>())?;
    m.add("RestoreError", py.get_type::<RestoreError>())?;
    m.add("VECTOR_FORMAT", conformance::FORMAT)?;
    Ok(())
}
