"""The webhook receiver printed in the README accepts storywatch's signed requests and
refuses tampered ones."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import UTC, datetime

import httpx

from consumers.delivery.webhooks import build_request
from schemas import Alert
from schemas.subscriptions import Subscription
from tests.integration.fault_harness import ROOT, free_port

SECRET = "whsec_readme-test-secret"


def readme_receiver(port: int) -> str:
    text = (ROOT / "README.md").read_text()
    code = re.search(r"<!-- receiver -->\n```python\n(.*?)```", text, re.S)
    assert code, "the README lost its receiver example"
    lines = code.group(1).splitlines()
    assert len(lines) <= 13, "the receiver example should stay short"
    return code.group(1).replace('b"whsec_..."', repr(SECRET.encode())).replace("8000", str(port))


def test_readme_receiver_verifies_signatures() -> None:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", readme_receiver(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sub = Subscription(id="sub-r", url=f"http://127.0.0.1:{port}/", secret=SECRET, created_at=datetime.now(UTC))
    alert = Alert(alert_id="al-readme", kind="story_new", story_id="st", story_title="Summit in Geneva", to_status="planned",
                  evidence="e", article_id="a", event_time=datetime(2025, 1, 1, tzinfo=UTC))  # type: ignore[arg-type]
    try:
        request = build_request(sub, alert, int(time.time()), 1)
        deadline = time.monotonic() + 60
        while True:  # until the receiver listens
            try:
                ok = httpx.post(request.url, content=request.body, headers=request.headers, timeout=5, trust_env=False)
                break
            except httpx.ConnectError:
                assert proc.poll() is None and time.monotonic() < deadline, "the README's receiver did not start"
                time.sleep(0.05)
        assert ok.status_code == 204
        tampered = httpx.post(request.url, content=request.body.replace(b"Geneva", b"Genevo"), headers=request.headers, timeout=5, trust_env=False)
        assert tampered.status_code == 401
        stale = build_request(sub, alert, int(time.time()) - 3600, 1)
        assert httpx.post(stale.url, content=stale.body, headers=stale.headers, timeout=5, trust_env=False).status_code == 401
    finally:
        proc.terminate()
        out, _err = proc.communicate(timeout=10)
    assert "al-readme Summit in Geneva" in out
