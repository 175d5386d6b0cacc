//! What a run found: a verdict per step, the lines a person reads (one per failing or skipped
//! step, a table per behaviour, the summary) and the JSON a machine reads.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use org_handshake::conformance::{Step, VectorFile};

/// How one step ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "lowercase")]
pub enum Verdict {
    /// The reply met the expectation.
    Pass,
    /// It did not, or none came.
    Fail {
        /// What differs, in a sentence (the member path, the status, or the fault).
        why: String,
        /// What was expected there (`null` when the step got no reply).
        expected: Value,
        /// What was received there.
        received: Value,
    },
    /// The step was not sent.
    Skipped {
        /// Why.
        why: String,
    },
}

/// One step's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepReport {
    /// The vector's id.
    pub vector: String,
    /// The step's index in the vector.
    pub step: usize,
    /// The provider's operation.
    pub operation: String,
    /// The behaviours the step exercises (the table's rows).
    pub behaviours: Vec<&'static str>,
    /// The status received, when a reply came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// The behaviours a report's table has a row for, in its order.
pub const BEHAVIOURS: &[&str] = &[
    "state names",
    "expiry",
    "retention",
    "who may act",
    "error codes",
    "pages",
    "quota",
    "setup",
    "other",
];

/// The behaviours `step` of `file` exercises, read from what it expects and the vector it is in.
pub fn behaviours(file: &VectorFile, step: &Step) -> Vec<&'static str> {
    let mut found = Vec::new();
    let id = file.id.to_ascii_lowercase();
    let expected = step.expect.body.to_string();
    let states = [
        "\"OPEN\"",
        "\"REQUESTED\"",
        "\"ACCEPTED\"",
        "\"DECLINED\"",
        "\"CANCELED\"",
        "\"EXPIRED\"",
        "\"pending\"",
        "\"accepted\"",
        "\"declined\"",
        "\"cancelled\"",
        "\"expired\"",
        "\"Pending\"",
        "\"Accepted\"",
        "\"Declined\"",
        "\"Cancelled\"",
        "\"Expired\"",
    ];
    if states.iter().any(|state| expected.contains(state)) {
        found.push("state names");
    }
    if id.contains("expir") || expected.to_ascii_lowercase().contains("expired\"") {
        found.push("expiry");
    }
    if id.contains("retention") {
        found.push("retention");
    }
    let denied = ["AccessDenied", "Forbidden", "NoPermission", "NotAuthorized"];
    if id.contains("who-may-act")
        || step.expect.status == 403
        || denied.iter().any(|d| expected.contains(d))
    {
        found.push("who may act");
    }
    if step.expect.status >= 400 {
        found.push("error codes");
    }
    let page_keys = [
        "NextToken",
        "MaxResults",
        "marker",
        "limit",
        "PageNumber",
        "PageSize",
    ];
    let request = step.request.to_string();
    if id.contains("pagination")
        || page_keys.iter().any(|k| {
            request.contains(&format!("\"{k}\"")) || expected.contains(&format!("\"{k}\""))
        })
    {
        found.push("pages");
    }
    if id.contains("quota") {
        found.push("quota");
    }
    if found.is_empty() {
        found.push("other");
    }
    found
}

/// Counts of one kind of verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Steps passed.
    pub passed: usize,
    /// Steps failed.
    pub failed: usize,
    /// Steps skipped.
    pub skipped: usize,
}

impl Counts {
    fn add(&mut self, verdict: &Verdict) {
        match verdict {
            Verdict::Pass => self.passed += 1,
            Verdict::Fail { .. } => self.failed += 1,
            Verdict::Skipped { .. } => self.skipped += 1,
        }
    }
}

/// A whole run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The provider.
    pub provider: String,
    /// The target kind (`org-handshake`, `generic`).
    pub target: String,
    /// The endpoint.
    pub endpoint: String,
    /// Every step, in order.
    pub steps: Vec<StepReport>,
    /// The totals.
    pub summary: Counts,
    /// The totals per behaviour.
    pub behaviours: BTreeMap<&'static str, Counts>,
}

impl Report {
    /// The report of `steps`.
    pub fn new(provider: &str, target: &str, endpoint: &str, steps: Vec<StepReport>) -> Self {
        let mut summary = Counts::default();
        let mut behaviours = BTreeMap::new();
        for step in &steps {
            summary.add(&step.verdict);
            for behaviour in &step.behaviours {
                behaviours
                    .entry(*behaviour)
                    .or_insert_with(Counts::default)
                    .add(&step.verdict);
            }
        }
        Report {
            provider: provider.to_owned(),
            target: target.to_owned(),
            endpoint: endpoint.to_owned(),
            steps,
            summary,
            behaviours,
        }
    }

    /// The summary line: `N passed, M failed, K skipped`.
    pub fn summary_line(&self) -> String {
        format!(
            "{} passed, {} failed, {} skipped",
            self.summary.passed, self.summary.failed, self.summary.skipped
        )
    }

    /// What a person reads: one line per failing or skipped step, the table per behaviour,
    /// then the summary line.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            let place = format!("{} step {} ({})", step.vector, step.step, step.operation);
            match &step.verdict {
                Verdict::Pass => {}
                Verdict::Fail { why, .. } => {
                    let _ = writeln!(out, "FAIL {place}: {why}");
                }
                Verdict::Skipped { why } => {
                    let _ = writeln!(out, "SKIP {place}: {why}");
                }
            }
        }
        let _ = writeln!(
            out,
            "\n{:<14} {:>6} {:>6} {:>8}",
            "behaviour", "passed", "failed", "skipped"
        );
        for name in BEHAVIOURS {
            if let Some(counts) = self.behaviours.get(name) {
                let _ = writeln!(
                    out,
                    "{:<14} {:>6} {:>6} {:>8}",
                    name, counts.passed, counts.failed, counts.skipped
                );
            }
        }
        let _ = writeln!(
            out,
            "\n{} corpus against {} ({}): {}",
            self.provider,
            self.endpoint,
            self.target,
            self.summary_line()
        );
        out
    }
}
