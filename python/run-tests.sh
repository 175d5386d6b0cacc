#!/usr/bin/env bash
# The Python package as a user gets it: builds the wheel (maturin build --release), installs it
# into a fresh virtualenv (never the source tree), installs the test dependencies (the SDKs
# pinned in server/clients/requirements.txt) and runs pytest on python/tests.
#
#   python/run-tests.sh [pytest args...]
#
# Needs only Rust and Python >= 3.8 with pip and venv. Environment: PYTHON (default python3),
# WORK_DIR (default: a new temporary directory; the wheel is left in $WORK_DIR/dist),
# BENCH=1 also runs bench/mock_vs_moto.py after the tests, WHEEL_PROFILE=dev builds the wheel
# without optimizations (faster to build: what CI uses to test it; a user's wheel is --release).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
python="${PYTHON:-python3}"
work="${WORK_DIR:-$(mktemp -d)}"
pip_quiet=(--quiet --disable-pip-version-check)

profile=(--release)
[ "${WHEEL_PROFILE:-release}" = dev ] && profile=()
echo "== building the wheel (maturin build ${profile[*]:-(dev profile)}) in $work"
"$python" -m venv "$work/build"
"$work/build/bin/python" -m pip install "${pip_quiet[@]}" "maturin>=1.5,<2"
rm -rf "$work/dist"
(cd "$here" && "$work/build/bin/maturin" build ${profile[@]+"${profile[@]}"} --interpreter "$work/build/bin/python" --out "$work/dist")
wheels=("$work"/dist/org_handshake-*.whl)
wheel="${wheels[0]}"
echo "wheel: $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB)"

echo "== installing it into a fresh virtualenv"
rm -rf "$work/venv"
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install "${pip_quiet[@]}" -r "$root/server/clients/requirements.txt"
# moto: a test combines the mock with moto's mock_aws, and the benchmark compares with it.
"$work/venv/bin/python" -m pip install "${pip_quiet[@]}" "moto==5.2.6"
"$work/venv/bin/python" -m pip install "${pip_quiet[@]}" "$wheel"

# The tests run from a copy outside the source tree, so that `import org_handshake` can only
# find the installed package.
rm -rf "$work/tests"
cp -r "$here/tests" "$work/tests"
installed="$(cd "$work" && "$work/venv/bin/python" -c 'import org_handshake; print(org_handshake.__file__)')"
case "$installed" in
  "$work/venv/"*) echo "testing $installed" ;;
  *) echo "org_handshake was imported from $installed, not the fresh virtualenv" >&2; exit 1 ;;
esac

echo "== pytest"
set +e
(cd "$work" && PATH="$work/venv/bin:$PATH" "$work/venv/bin/python" -m pytest -p no:cacheprovider tests "$@")
status=$?
set -e
# pytest: 0 all passed; 5 collected nothing (a suite that ran nothing proved nothing).
case "$status" in
  0) ;;
  5) echo "python suite: pytest collected no tests" >&2; exit 1 ;;
  *) echo "python suite: pytest exited with $status" >&2; exit "$status" ;;
esac

if [ "${BENCH:-}" = 1 ]; then
  echo "== benchmark: mock_organizations beside moto"
  (cd "$work" && "$work/venv/bin/python" "$here/bench/mock_vs_moto.py" --wheel "$wheel")
fi
