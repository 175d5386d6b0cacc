"""The server under load: the measuring half of server/load/run.sh (which builds the binaries
and installs wrk first). Standard library only.

Scenarios, each a fixed-length wrk run (one wrk thread, CONNECTIONS connections):
  a) DescribeHandshake and a full 20-item ListHandshakesForAccount page, each against the
     trivial hyper handler (examples/trivial_server.rs) answering the same bytes and headers,
     back to back in the same run;
  b) mutations with the journal on (one fsync per acknowledged call): AWS invitations, each
     then canceled by the inviting organization or declined by the invited account;
  c) start-up replay of a STEPS-line journal written by examples/journal_gen.rs;
  d) checks: no 5xx anywhere, no acknowledged mutation missing from the journal (and the
     journal replays whole), resident memory before vs after the read scenarios.

On a machine with two or more cores, the servers are pinned to core 1 and wrk to core 0
(taskset), so that load generator and server do not take turns on one core.
"""

import argparse
import http.client
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

DURATION = int(os.environ.get("DURATION", "5"))
MUTATE_DURATION = int(os.environ.get("MUTATE_DURATION", "10"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "16"))
STEPS = int(os.environ.get("STEPS", "100000"))
# Organizations of the mutation world: 20 invitations each (the AWS daily quota).
LOAD_ORGS = 4000
SEED_ORGS = 25
LISTED = "777777777777"
TARGETS = [f"8000000000{j:02d}" for j in range(20)]
MUTATIONS = ("InviteAccountToOrganization", "CancelHandshake", "DeclineHandshake")
PIN = shutil.which("taskset") is not None and (os.cpu_count() or 1) >= 2


def pinned(core, argv):
    return (["taskset", "-c", str(core)] if PIN else []) + argv


def load_mgmt(i):
    return f"9{i:011d}"


def seed_mgmt(i):
    return f"7{i:011d}"


def world():
    """AWS: the default organization, SEED_ORGS organizations that each invite LISTED once (a
    full listing page), and LOAD_ORGS for the mutation run; the other providers' defaults."""
    orgs = [{
        "id": "o-exampleorgid", "feature_set": "ALL",
        "management_account": {"id": "111111111111", "name": "Org Master Account", "email": "bill@amazon.com"},
    }]
    for i in range(SEED_ORGS):
        orgs.append({"id": f"o-seed{i:06d}", "feature_set": "ALL",
                     "management_account": {"id": seed_mgmt(i), "name": f"seed{i}", "email": f"seed{i}@example.com"}})
    for i in range(LOAD_ORGS):
        orgs.append({"id": f"o-load{i:06d}", "feature_set": "ALL",
                     "management_account": {"id": load_mgmt(i), "name": f"load{i}", "email": f"load{i}@example.com"}})
    accounts = [{"id": LISTED, "name": "listed", "email": "listed@example.com"}]
    accounts += [{"id": a, "name": f"target{a}", "email": f"{a}@example.com"} for a in TARGETS]
    return {"aws": {"organizations": orgs, "accounts": accounts}}


def aws_headers(operation, caller):
    return {
        "X-Amz-Target": f"AWSOrganizationsV20161128.{operation}",
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Date": "20261129T222849Z",
        "Authorization": f"AWS4-HMAC-SHA256 Credential={caller}/20261129/us-east-1/organizations/aws4_request, "
                         "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00",
        "amz-sdk-invocation-id": "7b6f2c1e-0000-4000-8000-000000000000",
        "amz-sdk-request": "attempt=1; max=3",
        "User-Agent": "Boto3/1.44.8 md/Botocore#1.44.8 ua/2.1 os/linux lang/python#3.11",
    }


class Process:
    """A server started on a free loopback port (`listening on http://ADDR` on stdout)."""

    def __init__(self, argv, log):
        started = time.monotonic()
        self.log = log
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=open(log, "w"), text=True)
        RUNNING.append(self)
        line = self.proc.stdout.readline()
        if not line.startswith("listening on http://"):
            self.proc.kill()
            sys.exit(f"{argv[0]} did not start: {line!r}\n{pathlib.Path(log).read_text()[-2000:]}")
        self.addr = line.strip().removeprefix("listening on http://")
        self.host, port = self.addr.rsplit(":", 1)
        self.port = int(port)
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        # Up when it answers, not just when it listens.
        self.get("/_org-handshake/health")
        self.ready_after = time.monotonic() - started

    def request(self, method, path, headers, body=b""):
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        return response.status, response.getheaders(), response.read()

    def get(self, path):
        return self.request("GET", path, {})

    def aws(self, operation, caller, body):
        status, headers, raw = self.request("POST", "/", aws_headers(operation, caller), json.dumps(body).encode())
        return status, headers, raw

    def cpu_seconds(self):
        """User + system CPU time of the whole process (every thread) so far."""
        fields = pathlib.Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_kib(self):
        for line in pathlib.Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self):
        self.conn.close()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def lua_string(text):
    return "[==[" + text + "]==]"


COUNTERS = """
s2xx, s4xx, s5xx, other = 0, 0, 0, 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function count(status)
  if status >= 500 then s5xx = s5xx + 1
  elseif status >= 400 then s4xx = s4xx + 1
  elseif status >= 200 and status < 300 then s2xx = s2xx + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local t = {s5xx = 0, s4xx = 0, s2xx = 0, other = 0, invites = 0, closes = 0, fillers = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(t) do t[name] = t[name] + (thread:get(name) or 0) end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d " ..
    "s2xx=%d s4xx=%d s5xx=%d other=%d invites=%d closes=%d fillers=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect, e.read, e.write, e.timeout, t.s2xx, t.s4xx, t.s5xx, t.other, t.invites, t.closes, t.fillers))
end
"""


def static_script(operation, caller, body, count_statuses):
    """One fixed request; with count_statuses, a `response` hook counts 2xx/4xx/5xx (wrk
    then runs Lua for every reply, so the throughput runs leave it out and rely on wrk's own
    non-2xx count: every reply there must be 200)."""
    lines = ['wrk.method = "POST"', f"wrk.body = {lua_string(json.dumps(body))}"]
    for name, value in aws_headers(operation, caller).items():
        lines.append(f"wrk.headers[ {lua_string(name)} ] = {lua_string(value)}")
    lines.append(COUNTERS)
    if count_statuses:
        lines.append("function response(status, headers, body) count(status) end")
    return "\n".join(lines) + "\n"


MUTATE = """
invites, closes, fillers = 0, 0, 0
local next_invite = 0
local queue, head, tail = {}, 1, 0
local flip = 0
local function aws(operation, caller, body)
  return wrk.format("POST", "/", {
    ["X-Amz-Target"] = "AWSOrganizationsV20161128." .. operation,
    ["Content-Type"] = "application/x-amz-json-1.1",
    ["X-Amz-Date"] = "20261129T222849Z",
    ["Authorization"] = "AWS4-HMAC-SHA256 Credential=" .. caller ..
      "/20261129/us-east-1/organizations/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00",
  }, body)
end
function request()
  if head <= tail then
    local open = queue[head]
    queue[head] = nil
    head = head + 1
    flip = 1 - flip
    local body = '{"HandshakeId":"' .. open.id .. '"}'
    if flip == 1 then
      return aws("CancelHandshake", string.format("9%011d", open.org), body)
    end
    return aws("DeclineHandshake", open.account, body)
  end
  if next_invite < ORGS * 20 then
    local org = math.floor(next_invite / 20)
    local target = string.format("8000000000%02d", next_invite % 20)
    next_invite = next_invite + 1
    return aws("InviteAccountToOrganization", string.format("9%011d", org),
      '{"Target":{"Id":"' .. target .. '","Type":"ACCOUNT"}}')
  end
  fillers = fillers + 1
  return wrk.format("GET", "/_org-handshake/health")
end
function response(status, headers, body)
  count(status)
  if status ~= 200 then return end
  local state = body:match('"State":"(%u+)"')
  if state == "OPEN" then
    invites = invites + 1
    tail = tail + 1
    queue[tail] = {
      id = body:match('"Id":"(h%-%w+)"'),
      org = tonumber(body:match('"Id":"o%-load(%d+)"')),
      account = body:match('"Id":"(%d+)","Type":"ACCOUNT"'),
    }
  elseif state == "CANCELED" or state == "DECLINED" then
    closes = closes + 1
  end
end
"""


def wrk(process, script_path, seconds):
    """A wrk run against `process`; adds req/s and the server's CPU time per request (stable
    where req/s is not: other work on the machine takes the core, not the server's CPU)."""
    addr = process.addr
    cpu = process.cpu_seconds()
    argv = pinned(0, ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency",
                      "-s", str(script_path), f"http://{addr}/"])
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    line = next((l for l in out.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        sys.exit(f"wrk printed no RESULT line:\n{out}")
    result = {k: int(v) for k, v in (pair.split("=") for pair in line.split()[1:])}
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["cpu_us"] = (process.cpu_seconds() - cpu) * 1e6 / max(result["requests"], 1)
    return result


def log_mutations(log):
    """The acknowledged (200) mutations the server's request log names."""
    pattern = re.compile(r"operation=(\w+) caller=\S+ status=200")
    return sum(1 for m in pattern.finditer(pathlib.Path(log).read_text()) if m.group(1) in MUTATIONS)


def journal_lines(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--trivial", required=True)
    parser.add_argument("--journal-gen", required=True)
    args = parser.parse_args()
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="ohs-load-"))
    print(f"== working in {tmp}; wrk -t1 -c{CONNECTIONS}; "
          + ("servers on core 1, wrk on core 0" if PIN else "not pinned (taskset or a second core missing)"))
    (tmp / "world.json").write_text(json.dumps(world()))
    journal = tmp / "journal.jsonl"
    server_argv = [args.server, "--listen", "127.0.0.1:0", "--world", str(tmp / "world.json"),
                   "--journal", str(journal), "--seed", "11"]
    server = Process(pinned(1, server_argv), tmp / "server.log")
    failures = []

    # Seed: SEED_ORGS invitations to LISTED, so its listing page is full (20 of 25).
    ids = []
    for i in range(SEED_ORGS):
        status, _, raw = server.aws("InviteAccountToOrganization", seed_mgmt(i),
                                    {"Target": {"Id": LISTED, "Type": "ACCOUNT"}})
        if status != 200:
            sys.exit(f"seeding: {status} {raw[:300]!r}")
        ids.append(json.loads(raw)["Handshake"]["Id"])
    seeded = SEED_ORGS
    describe = ("DescribeHandshake", LISTED, {"HandshakeId": ids[0]})
    listing = ("ListHandshakesForAccount", LISTED, {})
    canned = {}
    sizes = {}
    for operation, caller, body in (describe, listing):
        status, headers, raw = server.aws(operation, caller, body)
        if status != 200:
            sys.exit(f"{operation}: {status} {raw[:300]!r}")
        if operation == "ListHandshakesForAccount":
            page = json.loads(raw)
            if len(page["Handshakes"]) != 20 or "NextToken" not in page:
                sys.exit(f"the listing page is not a full one: {len(page['Handshakes'])} items")
        sizes[operation] = len(raw)
        # hyper adds date and content-length itself, for both servers.
        canned[f"AWSOrganizationsV20161128.{operation}"] = {
            "status": status,
            "headers": [[k, v] for k, v in headers if k.lower() not in ("date", "content-length")],
            "body": raw.decode(),
        }
    (tmp / "canned.json").write_text(json.dumps(canned))
    trivial = Process(pinned(1, [args.trivial, "--listen", "127.0.0.1:0", "--canned", str(tmp / "canned.json")]),
                      tmp / "trivial.log")
    for name, (operation, caller, body) in (("describe", describe), ("list", listing)):
        (tmp / f"{name}.lua").write_text(static_script(operation, caller, body, False))
    (tmp / "check.lua").write_text(static_script(*describe, True))

    # Warm-up (connections, buffers for both reply sizes, malloc arenas), then the resident
    # memory to compare: it grows over the first list run, then stays (+1 % over three more).
    wrk(server, tmp / "check.lua", 1)
    wrk(server, tmp / "list.lua", 1)
    rss_before = server.rss_kib()
    results = {}
    for name in ("describe", "list"):
        results[(name, "server")] = wrk(server, tmp / f"{name}.lua", DURATION)
        results[(name, "trivial")] = wrk(trivial, tmp / f"{name}.lua", DURATION)
    check = wrk(server, tmp / "check.lua", 1)
    rss_after_reads = server.rss_kib()
    trivial.stop()

    # b) Mutations, journaled.
    (tmp / "mutate.lua").write_text(f"ORGS = {LOAD_ORGS}\n" + COUNTERS + MUTATE)
    lines_before = journal_lines(journal)
    mutate = wrk(server, tmp / "mutate.lua", MUTATE_DURATION)
    rss_after_mutations = server.rss_kib()
    server.stop()
    lines = journal_lines(journal)
    logged = log_mutations(tmp / "server.log")
    acknowledged = seeded + mutate["invites"] + mutate["closes"]
    # The journal replays whole on a restart.
    again = Process(pinned(1, server_argv), tmp / "restart.log")
    again.stop()
    replayed = re.search(r"replayed (\d+) journal lines", (tmp / "restart.log").read_text())
    replayed = int(replayed.group(1)) if replayed else -1

    # c) Start-up replay of a long journal.
    long_journal = tmp / "long.jsonl"
    started = time.monotonic()
    subprocess.run([args.journal_gen, "--steps", str(STEPS), "--seed", "7", "--out", str(long_journal)],
                   check=True, capture_output=True)
    generated_in = time.monotonic() - started
    long = Process(pinned(1, [args.server, "--listen", "127.0.0.1:0", "--journal", str(long_journal),
                              "--seed", "7"]), tmp / "long.log")
    replay_s = long.ready_after
    replay_rss = long.rss_kib()
    long.stop()
    long_replayed = re.search(r"replayed (\d+) journal lines", (tmp / "long.log").read_text())
    long_replayed = int(long_replayed.group(1)) if long_replayed else -1

    # d) The checks.
    reads = [r for r in results.values()] + [check]
    non2xx = sum(r["non2xx"] for (_, who), r in results.items() if who == "server")
    s5xx = check["s5xx"] + mutate["s5xx"]
    errors = sum(r[k] for r in reads + [mutate] for k in ("connect", "read", "write", "timeout"))
    if non2xx or s5xx:
        failures.append(f"{s5xx} replies were 5xx; {non2xx} read replies were not 2xx")
    if mutate["s4xx"] or mutate["other"]:
        failures.append(f"mutations refused: {mutate['s4xx']} 4xx, {mutate['other']} other")
    # A call in flight when wrk stopped may be journaled without wrk reading its reply (at most
    # one per connection); one acknowledged but missing from the journal is a lost call.
    if logged > lines or acknowledged > lines or lines > acknowledged + CONNECTIONS or replayed != lines:
        failures.append(f"journal: {lines} lines; the server acknowledged {logged} mutations, "
                        f"wrk and the seeding saw {acknowledged}; the restart replayed {replayed}")
    growth = (rss_after_reads - rss_before) / rss_before
    if abs(growth) > 0.20:
        failures.append(f"resident memory over the read runs: {rss_before} → {rss_after_reads} KiB")
    if long_replayed != STEPS:
        failures.append(f"the long journal replayed {long_replayed} of {STEPS} lines")

    def ms(us):
        return f"{us / 1000:.2f} ms"

    print()
    print(f"{'scenario':<42} {'req/s':>8} {'p50':>9} {'p99':>9} {'CPU/req':>9}   note")

    def row(label, r, note=""):
        print(f"{label:<42} {r['rps']:>8.0f} {ms(r['p50_us']):>9} {ms(r['p99_us']):>9} "
              f"{r['cpu_us']:>6.0f} µs   {note}")

    for name, operation in (("describe", "DescribeHandshake"), ("list", "ListHandshakesForAccount (20 items)")):
        ours, base = results[(name, "server")], results[(name, "trivial")]
        ratio, cpu_ratio = ours["rps"] / base["rps"], base["cpu_us"] / ours["cpu_us"]
        row("a) " + operation, ours, f"{ratio:.0%} of trivial's req/s, {cpu_ratio:.0%} by CPU/req "
            f"(goal ≥ 50 %); {sizes[operation.split()[0]]} B reply")
        row("   trivial hyper handler, same bytes", base)
    row("b) invite + cancel/decline, fsync per call", mutate,
        f"{mutate['invites']} invites + {mutate['closes']} closes acknowledged")
    print(f"c) replay of {STEPS} journal lines: answering after {replay_s:.2f} s (goal ≤ 2 s), "
          f"RSS {replay_rss / 1024:.0f} MiB; journal generated in {generated_in:.1f} s, "
          f"{long_journal.stat().st_size / 1e6:.0f} MB")
    print(f"d) 5xx: {s5xx}; read non-2xx: {non2xx}; socket errors: {errors}; "
          f"journal {lines} lines = {logged} logged 200 mutations (≥ {acknowledged} seen by the clients), "
          f"restart replayed {replayed}")
    print(f"   RSS: {rss_before} KiB after warm-up → {rss_after_reads} KiB after the read runs "
          f"({growth:+.1%}, limit ±20 %) → {rss_after_mutations} KiB after {mutate['invites'] + mutate['closes']} "
          f"mutations (the session is kept for /_org-handshake/vector)")
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    shutil.rmtree(tmp, ignore_errors=True)
    print("\nall hard checks passed")


RUNNING = []


if __name__ == "__main__":
    try:
        main()
    finally:
        for process in RUNNING:
            if process.proc.poll() is None:
                process.proc.kill()
