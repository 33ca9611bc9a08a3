"""scripts/serve's gunicorn: serves wsgi:app, logs access to stdout without link tokens."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from portal.web.accesslog import redact

ROOT = Path(__file__).resolve().parents[2]


def test_status_link_tokens_are_redacted():
    assert redact("GET /status/link/withdraw/s3cr3t-t0ken HTTP/1.1") \
        == "GET /status/link/withdraw/… HTTP/1.1"
    assert redact("/status/aanvraag") == "/status/aanvraag"
    assert redact(None) is None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.committing
def test_gunicorn_serves_the_probes_and_logs_access_to_stdout(test_environ, tmp_path):
    port = _free_port()
    serve = (ROOT / "scripts" / "serve").read_text()
    assert "--logger-class portal.web.accesslog.RedactingLogger" in serve
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "wsgi:app", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--access-logfile", "-", "--logger-class", "portal.web.accesslog.RedactingLogger",
         "--graceful-timeout", "5"],
        cwd=ROOT, env={**os.environ, **test_environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as answer:
                    body = answer.read()
                break
            except OSError:
                time.sleep(0.1)
        # A refused link answers with an error page; only the log matters here.
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/status/link/correct/t0psecret")
    finally:
        process.terminate()
        out, _err = process.communicate(timeout=20)

    assert body == b'{"status":"ok"}\n'
    assert "/healthz" in out
    assert "/status/link/correct/…" in out
    assert "t0psecret" not in out
