//! Writes a long journal for the load test's start-up replay check (server/load/run.sh): the
//! server's own request path, minus HTTP and the per-line fsync, driven with N state-changing
//! calls, and its journal lines written out in the order the calls were made.
//!
//! It drives the server's own library (`org_handshake_server::App`) rather than a copy, so each
//! line is exactly what the server would have journaled for that call: routed and answered by
//! the core, recorded by `Step::record`, serialized by the journal's `Line`. The calls cycle
//! over the three providers' default worlds: each standalone account is invited, and the
//! invitation then canceled by the management account or declined by the account, in turn.
//! AWS and Huawei allow 20 invitations a day, so the clock is moved a day forward after every
//! 20 (through the server's own clock, as `POST /_org-handshake/time` does); the session spans
//! years, and its offset is written to `FILE.clock` as the server keeps it beside a journal.
//! Every call must succeed (HTTP 200); anything else stops the generator.
//!
//! ```text
//! cargo run --release -p org-handshake-server --example journal_gen -- --steps 100000 --seed 7 --out FILE
//! ```
//!
//! Restarting the server with `--journal FILE --seed 7` continues the id stream where the
//! generator left it.
use std::io::Write;

use org_handshake::provider::Provider;
use org_handshake_server::journal::Line;
use org_handshake_server::{App, Options, OwnedRequest};
use serde_json::{json, Value};

const AWS_MANAGEMENT: &str = "111111111111";
const AWS_ACCOUNTS: [&str; 4] = [
    "222222222222",
    "444444444444",
    "555555555555",
    "666666666666",
];
const HUAWEI_MANAGEMENT: &str = "0a6d25d23900d45c0faac010e0fb4de0";
const HUAWEI_ACCOUNTS: [&str; 4] = [
    "05c734152f00d4200f2bc0179ac6c5e0",
    "1b2c3d4e5f60718293a4b5c6d7e8f901",
    "2c3d4e5f60718293a4b5c6d7e8f90a1b",
    "3d4e5f60718293a4b5c6d7e8f90a1b2c",
];
const ALIBABA_MANAGEMENT: &str = "1512666876910000";
const ALIBABA_ACCOUNTS: [&str; 4] = [
    "1772422852740000",
    "1772422852740001",
    "1772422852740002",
    "1772422852740003",
];

fn request(method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> OwnedRequest {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    OwnedRequest {
        method: method.into(),
        path: path.into(),
        query: query.into(),
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.to_vec(),
    }
}

fn aws(operation: &str, caller: &str, body: &Value) -> OwnedRequest {
    let target = format!("AWSOrganizationsV20161128.{operation}");
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential={caller}/20261129/us-east-1/organizations/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00"
    );
    request(
        "POST",
        "/",
        &[
            ("X-Amz-Target", &target),
            ("Content-Type", "application/x-amz-json-1.1"),
            ("Authorization", &auth),
        ],
        body.to_string().as_bytes(),
    )
}

fn huawei(path: &str, domain: &str, body: Option<&Value>) -> OwnedRequest {
    let text = body.map(Value::to_string).unwrap_or_default();
    request(
        "POST",
        path,
        &[
            ("Content-Type", "application/json"),
            ("X-Domain-Id", domain),
            (
                "Authorization",
                "SDK-HMAC-SHA256 Access=ak, SignedHeaders=content-type;host, Signature=00",
            ),
        ],
        text.as_bytes(),
    )
}

fn alibaba(action: &str, caller: &str, query: &str) -> OwnedRequest {
    let auth =
        format!("ACS3-HMAC-SHA256 Credential={caller},SignedHeaders=accept;host,Signature=00");
    request(
        "POST",
        &format!("/?{query}"),
        &[
            ("x-acs-action", action),
            ("x-acs-version", "2020-03-31"),
            ("accept", "application/json"),
            ("Authorization", &auth),
        ],
        b"",
    )
}

/// The invitation of `account` by `provider`'s management account.
fn invite(provider: Provider, account: &str) -> OwnedRequest {
    match provider {
        Provider::Aws => aws(
            "InviteAccountToOrganization",
            AWS_MANAGEMENT,
            &json!({"Target": {"Id": account, "Type": "ACCOUNT"}}),
        ),
        Provider::Huawei => huawei(
            "/v1/organizations/accounts/invite",
            HUAWEI_MANAGEMENT,
            Some(&json!({"target": {"type": "account", "entity": account}, "notes": "load"})),
        ),
        Provider::Alibaba => alibaba(
            "InviteAccountToResourceDirectory",
            ALIBABA_MANAGEMENT,
            &format!("TargetEntity={account}&TargetType=Account"),
        ),
    }
}

/// Cancels (by the management account) or declines (by `account`) the handshake `id`.
fn close(provider: Provider, account: &str, id: &str, cancel: bool) -> OwnedRequest {
    match (provider, cancel) {
        (Provider::Aws, true) => aws(
            "CancelHandshake",
            AWS_MANAGEMENT,
            &json!({ "HandshakeId": id }),
        ),
        (Provider::Aws, false) => aws("DeclineHandshake", account, &json!({ "HandshakeId": id })),
        (Provider::Huawei, true) => huawei(
            &format!("/v1/organizations/handshakes/{id}/cancel"),
            HUAWEI_MANAGEMENT,
            None,
        ),
        (Provider::Huawei, false) => huawei(
            &format!("/v1/received-handshakes/{id}/decline"),
            account,
            None,
        ),
        (Provider::Alibaba, true) => alibaba(
            "CancelHandshake",
            ALIBABA_MANAGEMENT,
            &format!("HandshakeId={id}"),
        ),
        (Provider::Alibaba, false) => {
            alibaba("DeclineHandshake", account, &format!("HandshakeId={id}"))
        }
    }
}

fn accounts(provider: Provider) -> [&'static str; 4] {
    match provider {
        Provider::Aws => AWS_ACCOUNTS,
        Provider::Huawei => HUAWEI_ACCOUNTS,
        Provider::Alibaba => ALIBABA_ACCOUNTS,
    }
}

fn handshake_id(provider: Provider, body: &Value) -> Option<String> {
    let id = match provider {
        Provider::Aws => &body["Handshake"]["Id"],
        Provider::Huawei => &body["handshake"]["id"],
        Provider::Alibaba => &body["Handshake"]["HandshakeId"],
    };
    id.as_str().map(str::to_owned)
}

fn main() -> Result<(), String> {
    let (mut steps, mut seed, mut out) = (100_000usize, 7u64, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--steps" => steps = value()?.parse().map_err(|e| format!("--steps: {e}"))?,
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => out = Some(value()?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let out = out.ok_or("give --out FILE")?;
    let (state, _) = App::start(Options {
        seed: Some(seed),
        ..Options::default()
    })
    .map_err(|e| e.to_string())?;
    // The provider of each call in order; the state keeps each provider's steps in order.
    let mut order: Vec<Provider> = Vec::with_capacity(steps);
    let mut call = |provider: Provider, request: &OwnedRequest| -> Result<Value, String> {
        let outcome = state.handle(request);
        let body: Value = serde_json::from_slice(&outcome.body).unwrap_or(Value::Null);
        if outcome.status != 200 {
            return Err(format!(
                "call {} ({provider}) answered {}: {body}",
                order.len() + 1,
                outcome.status
            ));
        }
        order.push(provider);
        Ok(body)
    };
    let mut made = 0;
    let mut round = 0usize;
    let mut advanced: i64 = 0;
    'rounds: loop {
        let mut open = Vec::new();
        for provider in Provider::values() {
            for account in accounts(*provider) {
                if made == steps {
                    break 'rounds;
                }
                let body = call(*provider, &invite(*provider, account))?;
                made += 1;
                let id = handshake_id(*provider, &body)
                    .ok_or_else(|| format!("no handshake id in {body}"))?;
                open.push((*provider, account, id));
            }
        }
        for (index, (provider, account, id)) in open.iter().enumerate() {
            if made == steps {
                break 'rounds;
            }
            call(
                *provider,
                &close(*provider, account, id, (round + index) % 2 == 0),
            )?;
            made += 1;
        }
        round += 1;
        // Four invitations per organization a round: a day every five rounds keeps under 20.
        if round % 5 == 0 {
            state.time(Some(86_400)).map_err(|e| e.to_string())?;
            advanced += 86_400;
        }
    }
    let vectors: Vec<_> = Provider::values()
        .iter()
        .map(|p| {
            state
                .vector(*p)
                .map(|v| v.steps.into_iter())
                .map_err(|e| e.to_string())
        })
        .collect::<Result<_, _>>()?;
    let mut vectors = vectors;
    let file = std::fs::File::create(&out).map_err(|e| format!("{out}: {e}"))?;
    let mut writer = std::io::BufWriter::new(file);
    for provider in &order {
        let index = Provider::values()
            .iter()
            .position(|p| p == provider)
            .ok_or("unknown provider")?;
        let step = vectors[index].next().ok_or("fewer steps than calls")?;
        let mut text =
            serde_json::to_vec(&Line::new(*provider, &step)).map_err(|e| e.to_string())?;
        text.push(b'\n');
        writer.write_all(&text).map_err(|e| e.to_string())?;
    }
    writer
        .into_inner()
        .map_err(|e| e.to_string())?
        .sync_all()
        .map_err(|e| e.to_string())?;
    // The clock's offset, as the server keeps it beside its journal (clock.rs).
    let clock = format!("{out}.clock");
    std::fs::write(&clock, format!("{{\"offset_ms\":{}}}", advanced * 1000))
        .map_err(|e| format!("{clock}: {e}"))?;
    println!("wrote {} journal lines to {out}", order.len());
    Ok(())
}
