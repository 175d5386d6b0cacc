"""org-handshake-server from Python: the ``org-handshake-server`` command (the server built into
this package's native module), and :class:`Server`, which starts one on a free port and drives
its control endpoints.

``python -m org_handshake.server --help`` runs the same command.
"""

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from typing import Any, List, Optional, Sequence


def main(argv: Optional[Sequence[str]] = None) -> None:
    """The ``org-handshake-server`` console script: the whole server (arguments, serving until
    SIGTERM or Ctrl-C, exit status), run by the native module with the GIL released."""
    import signal

    from ._native import run_server

    args = list(sys.argv[1:] if argv is None else argv)
    # The server handles Ctrl-C itself (a graceful stop); Python's own handler would only raise
    # KeyboardInterrupt once the server has returned.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(run_server(["org-handshake-server", *args]))


class ServerError(RuntimeError):
    """The server did not start, or a control endpoint refused a request."""


class Server:
    """One org-handshake-server process.

    - ``worlds``: ``None`` for the built-in worlds, or a dict with optional keys ``aws``,
      ``huawei``, ``alibaba``, each a world in the conformance format (a missing key keeps that
      provider's default).
    - ``seed``: the seed of handshake and request ids (reproducible runs).
    - ``args``: more command-line arguments (``["--journal", path]``, …).
    """

    def __init__(self, worlds: Optional[dict] = None, seed: Optional[int] = None, args: Sequence[str] = ()):
        self._worlds = worlds
        self._seed = seed
        self._args = list(args)
        self._dir: Optional[tempfile.TemporaryDirectory] = None
        self._proc: Optional[subprocess.Popen] = None
        self._log = None
        self.url = ""
        self.host_port = ""
        self.exit_status: Optional[int] = None
        self.last_log = ""  # the log once stopped (its file is gone)

    def start(self, timeout: float = 30) -> "Server":
        """Starts the server on a free loopback port and waits for its ready line."""
        self._dir = tempfile.TemporaryDirectory(prefix="org-handshake-server-")
        args = [sys.executable, "-m", "org_handshake.server", "--listen", "127.0.0.1:0", *self._args]
        if self._worlds is not None:
            path = os.path.join(self._dir.name, "worlds.json")
            with open(path, "w") as out:
                json.dump(self._worlds, out)
            args += ["--world", path]
        if self._seed is not None:
            args += ["--seed", str(self._seed)]
        self.log_path = os.path.join(self._dir.name, "server.log")
        self._log = open(self.log_path, "w")
        self._proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._log, text=True)
        lines: "queue.Queue[str]" = queue.Queue()
        stdout = self._proc.stdout
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            line = ""
        if not line.startswith("listening on http://"):
            self.stop()
            raise ServerError(f"org-handshake-server did not start (first line {line!r}): {self.last_log}")
        self.url = line.strip().split(" ", 2)[2]
        self.host_port = self.url[len("http://") :]
        return self

    def log(self) -> str:
        """What the server wrote to stderr so far (its request log)."""
        try:
            with open(self.log_path) as log:
                return log.read()
        except (OSError, AttributeError):
            return ""

    def stop(self, signal_number: Optional[int] = None) -> None:
        """Stops the server (SIGTERM, or ``signal_number``; SIGKILL after 10 s), keeps its
        exit status in ``exit_status`` (0 after a clean stop) and removes its files."""
        if self._proc is not None:
            if self._proc.poll() is None:
                if signal_number is None:
                    self._proc.terminate()
                else:
                    self._proc.send_signal(signal_number)
                try:
                    self._proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
            self.exit_status = self._proc.returncode
            if self._proc.stdout is not None:
                self._proc.stdout.close()
            self._proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
            self.last_log = self.log()
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    # Control endpoints.

    def _request(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read()
        except urllib.error.HTTPError as err:
            raise ServerError(f"{method} {path}: {err.code} {err.read().decode(errors='replace')}") from None
        return json.loads(text) if text else None

    def advance(self, seconds: int) -> str:
        """Moves the server's clock forward; answers the new time (RFC 3339)."""
        return self._request("POST", "/_org-handshake/time", {"advance_seconds": int(seconds)})["now"]

    def reset(self) -> None:
        """Every provider back to the world the server started with."""
        self._request("POST", "/_org-handshake/reset")

    def set_world(self, provider: str, world: dict) -> None:
        """Replaces ``provider``'s ledger with ``world`` (the session's record starts again)."""
        self._request("POST", "/_org-handshake/world", {"provider": provider, "world": world})

    def vector(self, provider: str) -> dict:
        """``provider``'s session on the server as a conformance vector."""
        return self._request("GET", f"/_org-handshake/vector?provider={provider}")

    def operations(self) -> dict:
        """Each provider's operation names."""
        return self._request("GET", "/_org-handshake/operations")

    def health(self) -> Any:
        return self._request("GET", "/_org-handshake/health")


if __name__ == "__main__":
    main()
