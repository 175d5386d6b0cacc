#!/usr/bin/env bash
# The real-client suite: boto3, the AWS CLI, the Huawei Cloud and the Alibaba Cloud Python SDKs against
# org-handshake-server. Creates a virtualenv with the pinned requirements, builds the server,
# and runs pytest; the tests start and stop the server themselves (free port, temporary
# journal). Each test's session is also saved as conformance vectors under $VECTORS_DIR, which
# .ci/run replays with `cargo run --example replay`.
#
#   server/clients/run.sh [pytest args...]
#
# Environment: VENV (default server/clients/.venv), PYTHON (default python3),
# ORG_HANDSHAKE_SERVER (a built server binary; default: build it with cargo),
# VECTORS_DIR (default: a temporary directory).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${VENV:-$here/.venv}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"

if [ -z "${ORG_HANDSHAKE_SERVER:-}" ]; then
  (cd "$root" && cargo build --quiet -p org-handshake-server)
  target="${CARGO_TARGET_DIR:-$root/target}"
  export ORG_HANDSHAKE_SERVER="$target/debug/org-handshake-server"
fi
export VECTORS_DIR="${VECTORS_DIR:-$(mktemp -d)}"

set +e
"$venv/bin/python" -m pytest -p no:cacheprovider "$here" "$@"
status=$?
set -e
# pytest: 0 all passed; 1 some failed; 2 interrupted; 3 internal error; 4 usage error; 5 no
# tests collected. Only 0 is a pass: a suite that collected nothing has proved nothing.
case "$status" in
  0) ;;
  5) echo "real-client suite: pytest collected no tests" >&2; exit 1 ;;
  *) echo "real-client suite: pytest exited with $status" >&2; exit "$status" ;;
esac
echo "real-client vectors saved in $VECTORS_DIR"
