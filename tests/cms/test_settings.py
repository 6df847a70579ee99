"""Production settings: deploy checks pass with the required variables, refuse without them."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _signing_key_jwk() -> str:
    import json

    from joserfc.jwk import OKPKey

    return json.dumps(OKPKey.generate_key("Ed25519").as_dict(private=True))


def _run(args: list[str], tmp_path: Path, **overrides: str | None) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "DATABASE_", "SECRET_", "ALLOWED_", "REDIS_", "EMAIL_", "OB3_")
        )
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="capacitas.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.db'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        OB3_SIGNING_KEY=_signing_key_jwk(),
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_required_variables(tmp_path):
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_without_a_credential_signing_key(tmp_path):
    result = _run(["check", "--deploy"], tmp_path, OB3_SIGNING_KEY=None)
    assert "learners.W301" in result.stderr + result.stdout
    missing = tmp_path / "absent.jwk"
    result = _run(
        ["check", "--deploy"], tmp_path, OB3_SIGNING_KEY=None, OB3_SIGNING_KEY_FILE=str(missing)
    )
    assert "learners.W301" in result.stderr + result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = _run(["check"], tmp_path, SECRET_KEY=None)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = _run(["check"], tmp_path, ALLOWED_HOSTS=None)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_load_demo_refuses_under_production_settings(tmp_path):
    result = _run(["load_demo"], tmp_path)
    assert result.returncode != 0
    assert "refuses to run under production settings" in result.stderr
    assert "Demo accounts" not in result.stdout


@pytest.mark.parametrize("module", ["cms.settings.dev", "cms.settings.test"])
def test_other_settings_import_without_environment(tmp_path, module):
    result = _run(["check"], tmp_path, DJANGO_SETTINGS_MODULE=module, SECRET_KEY=None)
    assert result.returncode == 0, result.stderr


def test_env_example_documents_every_variable_the_settings_read():
    import re

    read = set()
    for path in (ROOT / "cms" / "settings").glob("*.py"):
        read |= set(re.findall(r"env(?:_bool|_list)?\(\s*\"([A-Z_]+)\"", path.read_text()))
    documented = set(
        re.findall(r"^(?:# )?([A-Z_]+)=", (ROOT / ".env.example").read_text(), flags=re.MULTILINE)
    )
    assert read, "no environment variables found in cms/settings"
    assert read <= documented, f"undocumented in .env.example: {sorted(read - documented)}"


# --- Development: SITE_URL follows the address `make run` serves -------------------------------
def _dev_site_urls(tmp_path: Path, **env: str | None) -> str:
    code = (
        "from django.conf import settings; print(settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL)"
    )
    overrides = {"DJANGO_SETTINGS_MODULE": "cms.settings.dev", "SITE_URL": None, **env}
    result = _run(["shell", "-c", code], tmp_path, **overrides)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after the shell's "objects imported" line


def test_dev_site_url_follows_host_and_port(tmp_path):
    assert _dev_site_urls(tmp_path, HOST="127.0.0.1", PORT="8301") == (
        "http://127.0.0.1:8301 http://127.0.0.1:8301"
    )


def test_dev_site_url_defaults_and_explicit_value(tmp_path):
    assert _dev_site_urls(tmp_path, HOST=None, PORT=None) == (
        "http://127.0.0.1:8000 http://127.0.0.1:8000"
    )
    explicit = _dev_site_urls(tmp_path, HOST="127.0.0.1", PORT="8301", SITE_URL="https://x.example")
    assert explicit == "https://x.example https://x.example"


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("0.0.0.0", "8301", "http://127.0.0.1:8301"),  # noqa: S104 - a string, not a bind
        ("::", "9000", "http://127.0.0.1:9000"),
        ("::1", "8000", "http://[::1]:8000"),
        ("localhost", "", "http://localhost:8000"),
        (None, None, "http://127.0.0.1:8000"),
    ],
)
def test_served_site_url(host, port, expected):
    from cms.settings.base import served_site_url

    assert served_site_url(host, port) == expected


def test_make_run_passes_host_and_port_to_the_server():
    makefile = (ROOT / "Makefile").read_text()
    assert "HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)" in makefile
