"""Production settings: deploy checks pass with the required variables, refuse without them."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], tmp_path: Path, **overrides: str | None) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "SECRET_", "ALLOWED_", "REDIS_", "EMAIL_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="capacitas.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.db'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
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
