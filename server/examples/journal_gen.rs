//! Writes a long journal for the load test's start-up replay check (server/load/run.sh): the
//! server's own request path, minus HTTP and the per-line fsync, driven with N state-changing
//! calls, and its journal lines written out in the order the calls were made.
//!
//! It drives the server's own library (`org_handshake_server::App`) rather than a copy, so each
//! line is exactly what the server would have journaled for that call: routed and answered by
//! the core, recorded by `Step::record`, serialized by the journal's `Line`. The calls cycle
//! over every provider's default world: each standalone account is invited, and the
//! invitation then canceled by the management account or declined by the account, in turn.
//! Each call is a neutral request written by the provider's dialect (`write_call`, then
//! `encode`, as its SDK sends it), and the new handshake is read back with `handshake_in`, so
//! no provider is named here. The clock is moved a day forward before a round would pass the
//! smallest daily quota (AWS's and Huawei's 20), through the server's own clock as
//! `POST /_org-handshake/time` does; the session spans years, and its offset is written to
//! `FILE.clock` as the server keeps it beside a journal.
//! Every call must succeed (HTTP 200); anything else stops the generator.
//!
//! ```text
//! cargo run --release -p org-handshake-server --example journal_gen -- --steps 100000 --seed 7 --out FILE
//! ```
//!
//! Restarting the server with `--journal FILE --seed 7` continues the id stream where the
//! generator left it.
use std::io::Write;

use org_handshake::provider::{Dialect, Provider, Request};
use org_handshake::{AccountId, HandshakeId, Notes, Party};
use org_handshake_server::journal::Line;
use org_handshake_server::{App, Options, OwnedRequest};
use serde_json::Value;

/// One provider's part of the load, from its default world (the server's when given none):
/// the management account of its first organization, and every account in no organization.
struct Cast {
    provider: Provider,
    dialect: &'static dyn Dialect,
    manager: AccountId,
    accounts: Vec<AccountId>,
}

impl Cast {
    fn of(provider: Provider) -> Result<Self, String> {
        let dialect = provider.dialect();
        let world = dialect
            .description()
            .default_world()
            .map_err(|e| format!("{provider}: {e}"))?;
        let manager = world
            .organizations
            .first()
            .ok_or(format!("{provider}: no organization in the default world"))?
            .management_account
            .id;
        let in_organization = |id: &AccountId| {
            world
                .organizations
                .iter()
                .any(|org| org.management_account.id == *id || org.members.contains(id))
        };
        let accounts = world
            .accounts
            .iter()
            .map(|account| account.id)
            .filter(|id| !in_organization(id))
            .collect();
        Ok(Cast {
            provider,
            dialect,
            manager,
            accounts,
        })
    }

    /// `request` by `caller` as the provider's SDK sends it.
    fn http(&self, request: &Request, caller: AccountId) -> Result<OwnedRequest, String> {
        let (operation, shaped) = self
            .dialect
            .write_call(request)
            .map_err(|e| format!("{}: {e}", self.provider))?;
        let call = self
            .dialect
            .encode(operation, caller.as_str(), &shaped)
            .map_err(|e| format!("{}: {e}", self.provider))?;
        Ok(OwnedRequest {
            method: call.method,
            path: call.path,
            query: call.query,
            headers: call.headers,
            body: call.body,
        })
    }

    /// The invitation of `account` by the management account: without notes where the
    /// provider has a form for that, else with notes (Huawei requires them).
    fn invite(&self, account: AccountId) -> Result<OwnedRequest, String> {
        let invite = |notes| Request::Invite {
            target: Party::Account(account),
            notes,
        };
        self.http(&invite(None), self.manager).or_else(|_| {
            let notes = Notes::parse("load").map_err(|e| e.to_string())?;
            self.http(&invite(Some(notes)), self.manager)
        })
    }

    /// Cancels (by the management account) or declines (by `account`) the handshake `id`.
    fn close(
        &self,
        account: AccountId,
        id: HandshakeId,
        cancel: bool,
    ) -> Result<OwnedRequest, String> {
        if cancel {
            self.http(&Request::Cancel(id), self.manager)
        } else {
            self.http(&Request::Decline(id), account)
        }
    }
}

const USAGE: &str = "usage: journal_gen [--steps N (100000)] [--seed N (7)] --out FILE
writes N journal lines to FILE and the clock offset to FILE.clock";

fn main() -> Result<(), String> {
    let (mut steps, mut seed, mut out) = (100_000usize, 7u64, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--steps" => steps = value()?.parse().map_err(|e| format!("--steps: {e}"))?,
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => out = Some(value()?),
            "--help" | "-h" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other} (see --help)")),
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
    let casts: Vec<Cast> = Provider::values()
        .iter()
        .map(|provider| Cast::of(*provider))
        .collect::<Result<_, _>>()?;
    // A round invites every standalone account once: move the clock a day forward before the
    // round that would pass the smallest daily quota.
    let rounds_per_day = casts
        .iter()
        .filter_map(|cast| {
            let quota = cast.dialect.profile().daily_invitation_quota?;
            Some(usize::try_from(quota).ok()? / cast.accounts.len().max(1))
        })
        .min()
        .unwrap_or(usize::MAX)
        .max(1);
    let mut made = 0;
    let mut round = 0usize;
    let mut advanced: i64 = 0;
    'rounds: loop {
        let mut open = Vec::new();
        for cast in &casts {
            for account in &cast.accounts {
                if made == steps {
                    break 'rounds;
                }
                let body = call(cast.provider, &cast.invite(*account)?)?;
                made += 1;
                let handshake = cast
                    .dialect
                    .handshake_in(&body)
                    .ok_or_else(|| format!("no handshake in {body}"))?;
                open.push((cast, *account, handshake.id()));
            }
        }
        for (index, (cast, account, id)) in open.iter().enumerate() {
            if made == steps {
                break 'rounds;
            }
            call(
                cast.provider,
                &cast.close(*account, *id, (round + index) % 2 == 0)?,
            )?;
            made += 1;
        }
        round += 1;
        if round % rounds_per_day == 0 {
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
