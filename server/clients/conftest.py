"""Fixtures of the real-client suite: a fresh org-handshake-server per test (free loopback port,
temporary journal), SDK clients for any account, and the time control.

Each server's calls are counted per provider from its request log; the totals are printed at
the end of the run (and written to $VECTORS_DIR/calls.txt). Each server's session is
saved as conformance vectors in $VECTORS_DIR so that the Rust replay runner can check them.
"""

import collections
import json
import os
import pathlib
import re
import select
import subprocess
import urllib.request

import pytest

SERVER = os.environ.get("ORG_HANDSHAKE_SERVER", "")
VECTORS_DIR = os.environ.get("VECTORS_DIR", "")
CALLS = collections.Counter()
LOG_LINE = re.compile(r'provider=(\w+) operation=(\S+) caller=\S+ status=(\d+)')


class Server:
    """One running org-handshake-server."""

    def __init__(self, tmp: pathlib.Path, name: str, world=None, seed=None):
        if not SERVER or not os.access(SERVER, os.X_OK):
            raise RuntimeError("set ORG_HANDSHAKE_SERVER to the built server binary")
        self.name = name
        self.journal = tmp / "journal.jsonl"
        self.log_path = tmp / "server.log"
        args = [SERVER, "--listen", "127.0.0.1:0", "--journal", str(self.journal)]
        if world is not None:
            world_path = tmp / "world.json"
            world_path.write_text(json.dumps(world))
            args += ["--world", str(world_path)]
        if seed is not None:
            args += ["--seed", str(seed)]
        self.args = args
        self.log = open(self.log_path, "w")
        self._launch()

    def _launch(self):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=self.log, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 30)
        line = self.proc.stdout.readline() if ready else ""
        if not line.startswith("listening on http://"):
            self.proc.kill()
            raise RuntimeError(f"the server did not start: {line!r}; log: {self.log_path.read_text()}")
        self.url = line.strip().split(" ", 2)[2]
        self.host_port = self.url.removeprefix("http://")

    def kill9(self):
        """Kills the server with SIGKILL (no shutdown of any kind) and waits for it to be gone."""
        self.proc.kill()
        self.proc.wait()

    def restart(self):
        """Starts the server again on the same journal (a new port); answers its new URL."""
        if self.proc.poll() is None:
            raise RuntimeError("the server is still running")
        self._launch()
        return self.url

    def reset(self) -> dict:
        """Every provider back to the world the server started with (POST /_org-handshake/reset)."""
        request = urllib.request.Request(self.url + "/_org-handshake/reset", data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
            return json.loads(body) if body else {}

    def _json(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def advance(self, seconds: int) -> str:
        """Moves the server's clock forward; answers the new now (RFC 3339)."""
        return self._json("POST", "/_org-handshake/time", {"advance_seconds": seconds})["now"]

    def advance_days(self, days: int) -> str:
        return self.advance(days * 86400)

    def now(self) -> str:
        return self._json("GET", "/_org-handshake/time")["now"]

    def vector(self, provider: str) -> dict:
        return self._json("GET", f"/_org-handshake/vector?provider={provider}")

    def journal_lines(self):
        return [json.loads(line) for line in self.journal.read_text().splitlines()]

    def stop(self):
        vectors = {}
        if self.proc.poll() is None:
            try:
                vectors = {p: self.vector(p) for p in ("aws", "huawei", "alibaba")}
            except OSError:
                pass
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        for match in LOG_LINE.finditer(self.log_path.read_text()):
            provider, operation, _status = match.groups()
            if provider != "-" and operation != "-":
                CALLS[provider] += 1
            elif provider != "-":
                CALLS[provider + " (unrouted)"] += 1
        if VECTORS_DIR:
            for provider, vector in vectors.items():
                if vector.get("steps"):
                    out = pathlib.Path(VECTORS_DIR) / f"{self.name}-{provider}.json"
                    out.write_text(json.dumps(vector, indent=1))


@pytest.fixture
def start_server(tmp_path, request):
    """Starts servers (default world unless `world` is given); stops them after the test."""
    servers = []

    def start(world=None, seed=None):
        name = re.sub(r"[^A-Za-z0-9_-]", "_", request.node.name) + (f"-{len(servers)}" if servers else "")
        directory = tmp_path / f"server{len(servers)}"
        directory.mkdir()
        server = Server(directory, name, world=world, seed=seed)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def server(start_server):
    return start_server()


def pytest_terminal_summary(terminalreporter):
    if not CALLS:
        return
    terminalreporter.write_sep("-", "calls the SDKs made to the server, by provider")
    for provider, count in sorted(CALLS.items()):
        terminalreporter.write_line(f"{provider}: {count}")
    if VECTORS_DIR:
        lines = "".join(f"{provider}: {count}\n" for provider, count in sorted(CALLS.items()))
        (pathlib.Path(VECTORS_DIR) / "calls.txt").write_text(lines)
