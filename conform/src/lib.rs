//! `org-handshake-conform`: holds any emulator to org-handshake over the wire. It replays the
//! conformance vectors in the provider's own protocol (the core's `Dialect::encode`, AWS
//! requests signed with SigV4) against an endpoint, matches each reply as the in-process
//! runner does, and reports step by step where the target departs from the reference.
//!
//! A crate of its own rather than a second binary of the server: it is an HTTP *client* with
//! signing dependencies (`aws-sigv4`, hyper's client) that the server must not carry.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, ValueEnum};

use org_handshake::conformance::{VectorError, VectorFile};
use org_handshake::provider::Provider;

pub mod bind;
pub mod report;
pub mod run;
pub mod sign;
pub mod wire;

use bind::BindingsFile;
use report::Report;
use run::{Runner, TargetKind};
use wire::{Endpoint, EndpointError, Limits};

/// The largest reply body read: far above any page the providers answer (a hundred handshakes
/// is tens of kilobytes).
pub const MAX_BODY: usize = 16 << 20;

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "org-handshake-conform",
    version,
    about = "Replay org-handshake's conformance vectors against an emulator over HTTP and report where it departs from the reference."
)]
pub struct Args {
    /// The target's base URL (`http://127.0.0.1:4566`).
    #[arg(long, value_name = "URL")]
    pub endpoint: String,
    /// The provider whose protocol is spoken.
    #[arg(long, value_parser = provider_parser())]
    pub provider: Provider,
    /// What the target is: org-handshake-server (worlds, clock and ids set through its control
    /// endpoints) or any other emulator (set up through the provider's own operations).
    #[arg(long, value_enum, default_value = "org-handshake")]
    pub target: TargetArg,
    /// Writes the whole report as JSON to this file.
    #[arg(long, value_name = "REPORT")]
    pub json: Option<PathBuf>,
    /// Credentials, headers, values and a reset request for a generic target (JSON).
    #[arg(long, value_name = "FILE")]
    pub bindings: Option<PathBuf>,
    /// Seconds one request may take, connecting included.
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    pub timeout: f64,
    /// Vector files, or folders of them.
    #[arg(required = true, value_name = "VECTOR")]
    pub vectors: Vec<PathBuf>,
}

/// `--provider`: any provider of the core's registry, by its name, listed in `--help`.
fn provider_parser() -> impl TypedValueParser<Value = Provider> {
    // The possible values give `--help` and clap's error the registry's names; the name that
    // passes them is then read back through `Provider: FromStr`.
    PossibleValuesParser::new(Provider::values().iter().map(|p| p.as_str()))
        .try_map(|name| name.parse::<Provider>())
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// `--endpoint` is not a URL the runner speaks to.
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// `--timeout` is not a positive number of seconds.
    #[error("--timeout {0}: give a number of seconds above 0")]
    Timeout(f64),
    /// The `--bindings` file could not be read.
    #[error("--bindings {}: {source}", path.display())]
    BindingsRead {
        /// The file.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The `--bindings` file is not a bindings file.
    #[error("--bindings {}: {source}", path.display())]
    BindingsJson {
        /// The file.
        path: PathBuf,
        /// What is wrong with its JSON.
        source: serde_json::Error,
    },
    /// A vector file or folder could not be read.
    #[error("{}: {source}", path.display())]
    VectorRead {
        /// The file or folder.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// A vector file is not a vector file.
    #[error("{}: {source}", path.display())]
    VectorInvalid {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        source: VectorError,
    },
    /// None of the vectors given is in the provider's protocol.
    #[error("no {0} vector among the files given")]
    NoVectors(Provider),
    /// No async runtime could be built.
    #[error("no async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// The report could not be serialized for `--json`.
    #[error("--json: {0}")]
    ReportJson(#[source] serde_json::Error),
    /// The `--json` file could not be written.
    #[error("--json {}: {source}", path.display())]
    ReportWrite {
        /// The file.
        path: PathBuf,
        /// Why it could not be written.
        source: std::io::Error,
    },
}

/// `--target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TargetArg {
    /// org-handshake-server.
    OrgHandshake,
    /// Any other emulator.
    Generic,
}

/// Runs the whole command: parses `args` (the program name first), replays, prints the report,
/// and answers the exit code (1 on any failing step, 2 when the run could not start).
pub fn run_from_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args = match Args::try_parse_from(args) {
        Ok(args) => args,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(&args) {
        Ok(report) => {
            print!("{}", report.text());
            if report.summary.failed > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(why) => {
            eprintln!("org-handshake-conform: {why}");
            ExitCode::from(2)
        }
    }
}

/// Replays every vector `args` names and writes `--json` if asked.
///
/// # Errors
///
/// [`RunError`] when the run cannot start: a bad endpoint URL, an unreadable or invalid
/// vector or bindings file, no runtime; or when `--json` cannot be written.
pub fn run(args: &Args) -> Result<Report, RunError> {
    let endpoint = Endpoint::parse(&args.endpoint)?;
    let provider = args.provider;
    let target = match args.target {
        TargetArg::OrgHandshake => TargetKind::OrgHandshake,
        TargetArg::Generic => TargetKind::Generic,
    };
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return Err(RunError::Timeout(args.timeout));
    }
    let bindings = match &args.bindings {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| RunError::BindingsRead {
                path: path.clone(),
                source,
            })?;
            serde_json::from_str::<BindingsFile>(&text).map_err(|source| {
                RunError::BindingsJson {
                    path: path.clone(),
                    source,
                }
            })?
        }
        None => BindingsFile::default(),
    };
    let mut files = Vec::new();
    for path in &args.vectors {
        collect(path, &mut files)?;
    }
    files.sort();
    let mut vectors = Vec::with_capacity(files.len());
    for path in &files {
        let text = std::fs::read_to_string(path).map_err(|source| RunError::VectorRead {
            path: path.clone(),
            source,
        })?;
        let file = VectorFile::parse(&text).map_err(|source| RunError::VectorInvalid {
            path: path.clone(),
            source,
        })?;
        if file.provider == provider.as_str() {
            vectors.push(file);
        }
    }
    if vectors.is_empty() {
        return Err(RunError::NoVectors(provider));
    }
    let runner = Runner {
        endpoint,
        provider,
        target,
        limits: Limits {
            timeout: run::seconds(args.timeout),
            max_body: MAX_BODY,
        },
        bindings,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(RunError::Runtime)?;
    let steps = runtime.block_on(async {
        let mut steps = Vec::new();
        for file in &vectors {
            steps.extend(runner.vector(file).await);
        }
        steps
    });
    let report = Report::new(provider.as_str(), target.as_str(), &args.endpoint, steps);
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report).map_err(RunError::ReportJson)?;
        std::fs::write(path, text).map_err(|source| RunError::ReportWrite {
            path: path.clone(),
            source,
        })?;
    }
    Ok(report)
}

/// `path` if a file, else every `*.json` under it.
fn collect(path: &Path, files: &mut Vec<PathBuf>) -> Result<(), RunError> {
    let unreadable = |source| RunError::VectorRead {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.is_file() {
        files.push(path.to_owned());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(unreadable)?;
    for entry in entries {
        let entry = entry.map_err(unreadable)?;
        let child = entry.path();
        if child.is_dir() {
            collect(&child, files)?;
        } else if child.extension().is_some_and(|e| e == "json") {
            files.push(child);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(provider: &str) -> Result<Args, clap::Error> {
        Args::try_parse_from([
            "org-handshake-conform",
            "--endpoint",
            "http://127.0.0.1:1",
            "--provider",
            provider,
            "vectors",
        ])
    }

    #[test]
    fn every_registered_provider_is_a_provider_value() {
        for provider in Provider::values() {
            let args = parse(provider.as_str()).map_err(|e| e.to_string());
            assert_eq!(args.map(|a| a.provider), Ok(*provider));
        }
    }

    #[test]
    fn an_unregistered_provider_is_refused_naming_the_registered_ones() {
        let err = parse("gcp")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("invalid value 'gcp'"), "{err}");
        for provider in Provider::values() {
            assert!(err.contains(provider.as_str()), "{err}");
        }
        // Provider names are lower case, as the registry spells them.
        assert!(parse("AWS").is_err());
    }

    #[test]
    fn a_run_that_cannot_start_says_which_argument() -> Result<(), clap::Error> {
        let mut args = parse("aws")?;
        args.endpoint = "https://example.com".into();
        let err = run(&args).err();
        assert!(matches!(
            err,
            Some(RunError::Endpoint(EndpointError::NotHttp(_)))
        ));
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("--endpoint https://example.com: only http://host:port URLs are spoken")
        );

        let mut args = parse("aws")?;
        args.timeout = 0.0;
        let err = run(&args).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("--timeout 0: give a number of seconds above 0")
        );

        let args = parse("huawei")?;
        let err = run(&args).err();
        assert!(
            matches!(&err, Some(RunError::VectorRead { path, .. }) if path == Path::new("vectors")),
            "{err:?}"
        );
        Ok(())
    }
}
