#!/usr/bin/env bash
# The server under load (issue 11): throughput and p99 of DescribeHandshake and a full
# ListHandshakesForAccount page against a trivial hyper handler returning the same bytes,
# journaled (fsynced) mutations, start-up replay of a 100 000-step journal, and the checks
# (no 5xx, no lost journaled call, resident memory). About a minute of measuring after the
# build; not run in CI (CI builds the examples it uses).
#
#   server/load/run.sh            # prints a table; exits non-zero when a hard check fails
#
# Needs: Rust, Python 3.11 and apt (wrk is installed from Debian's packages when missing).
# Environment: CARGO_TARGET_DIR (default target/), DURATION (seconds per read scenario, 5),
# MUTATE_DURATION (10), CONNECTIONS (16), STEPS (journal length for the replay check, 100000).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if ! command -v wrk >/dev/null 2>&1; then
  echo "== installing wrk (Debian package)"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq wrk >/dev/null
fi

echo "== building the server and the load-test examples (release)"
(cd "$root" && cargo build --quiet --release -p org-handshake-server \
  --bin org-handshake-server --example trivial_server --example journal_gen)
target="${CARGO_TARGET_DIR:-$root/target}"

exec python3 "$here/load.py" \
  --server "$target/release/org-handshake-server" \
  --trivial "$target/release/examples/trivial_server" \
  --journal-gen "$target/release/examples/journal_gen"
