"""A real Ralph LRS (France Université Numérique) on a free loopback port, for tests and the
benchmark: `ralph runserver -b fs` from its own venv, `.ralph/` (`make ralph` installs it), with
a Basic-auth user written by `ralph auth`. Nothing here imports Ralph: it runs as a program.

One adjustment, found here: Ralph 5.1.0's file-system LRS backend writes each POST with the
"index" operation, which refuses to write to a file that exists, so every POST after the first
answers 500 ("Statements bulk indexation failed"). A `sitecustomize` module on the server's
PYTHONPATH makes that backend append instead (`BaseOperationType.APPEND`, which the same backend
implements); nothing else of Ralph changes, and the HTTP API, validation, duplicate handling and
reads are Ralph's own."""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
RALPH = ROOT / ".ralph" / "bin" / "ralph"
MISSING = (
    "Ralph LRS tests: SKIPPED — needs ralph-malph[lrs,cli] in .ralph/ "
    "(`make ralph` installs it with pip)."
)
USER = "capacitas"
PASSWORD = "loopback-only-secret"
APPEND_HOOK = """\
try:
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend
except ImportError:  # not Ralph's venv
    pass
else:
    FSLRSBackend.default_operation_type = BaseOperationType.APPEND
"""


def ralph_available() -> bool:
    return RALPH.is_file() and os.access(RALPH, os.X_OK)


def ralph_required() -> bool:
    return bool(os.environ.get("RALPH_REQUIRED"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RalphLrs:
    endpoint: str  # …/xAPI/
    user: str
    password: str
    process: subprocess.Popen
    folder: Path

    def _auth(self) -> str:
        return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()

    def get(self, path: str) -> tuple[int, bytes]:
        request = urllib.request.Request(  # noqa: S310 (loopback)
            self.endpoint.rstrip("/").removesuffix("/xAPI") + path,
            headers={"Authorization": self._auth(), "X-Experience-API-Version": "1.0.3"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def statements(self, **params: str) -> list[dict]:
        """Every statement Ralph holds (GET /xAPI/statements, following `more`)."""
        query = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in params.items())
        path = "/xAPI/statements/?limit=1000" + (f"&{query}" if query else "")
        found: list[dict] = []
        while path:
            status, body = self.get(path)
            assert status == 200, body
            page = json.loads(body)
            found.extend(page["statements"])
            path = page.get("more") or ""
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        shutil.rmtree(self.folder, ignore_errors=True)


def ralph_start(*, timeout: float = 90) -> RalphLrs:
    """Start Ralph and wait until it authenticates our user; the caller stops it."""
    folder = Path(tempfile.mkdtemp(prefix="capacitas-ralph-"))
    (folder / "app").mkdir()
    (folder / "data").mkdir()
    (folder / "cwd").mkdir()  # runserver's reloader watches its working folder: keep it empty
    (folder / "hook").mkdir()
    (folder / "hook" / "sitecustomize.py").write_text(APPEND_HOOK)
    env = {
        **os.environ,
        "PYTHONPATH": str(folder / "hook"),
        "RALPH_APP_DIR": str(folder / "app"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
        "RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
    }
    subprocess.run(  # noqa: S603 (our venv's ralph)
        [str(RALPH), "auth", "-u", USER, "-p", PASSWORD, "-s", "all"]
        + ["-M", "mailto:lrs@capacitas.eu", "-w"],
        env=env,
        check=True,
        capture_output=True,
        cwd=folder / "cwd",
    )
    port = free_port()
    log = open(folder / "ralph.log", "wb")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(  # noqa: S603
        [str(RALPH), "runserver", "-b", "fs", "-h", "127.0.0.1", "-p", str(port)]
        + ["--fs-default-directory-path", str(folder / "data")],
        env=env,
        cwd=folder / "cwd",
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # one process group: the reloader and its server stop together
    )
    lrs = RalphLrs(
        endpoint=f"http://127.0.0.1:{port}/xAPI/",
        user=USER,
        password=PASSWORD,
        process=process,
        folder=folder,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = (folder / "ralph.log").read_text(errors="replace")[-2000:]
            lrs.stop()
            raise RuntimeError(f"Ralph exited: {output}")
        try:
            status, _ = lrs.get("/whoami")
            if status == 200:
                return lrs
        except OSError:
            pass
        time.sleep(0.3)
    output = (folder / "ralph.log").read_text(errors="replace")[-2000:]
    lrs.stop()
    raise RuntimeError(f"Ralph did not answer /whoami within {timeout:.0f} s: {output}")
