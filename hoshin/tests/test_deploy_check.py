"""Issue 10, finding "no setting for HSTS, SSL redirect or SECURE_PROXY_SSL_HEADER (check
--deploy warns W004 and W008)": `manage.py check --deploy` reports no warning at all with the
production configuration documented in docs/deploy.md, read from that page itself."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
DEPLOY_DOC = BASE_DIR / "docs" / "deploy.md"


def documented_environment() -> dict[str, str]:
    """The variables of the first ```sh block under "## Settings for production"."""
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    section = text.split("## Settings for production", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    variables = {}
    for line in block.splitlines():
        if line.strip() and not line.startswith("#"):
            name, value = line.split("=", 1)
            variables[name.strip()] = value.strip()
    return variables


def check_deploy(variables: dict[str, str]) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "HOSHIN_", "DJANGO_")) and key != "DATABASE_URL"
    }
    environment.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(tmp_path) -> dict[str, str]:
    variables = documented_environment()
    variables["SECRET_KEY"] = secrets.token_urlsafe(50)
    # The check needs no database server: the documented PostgreSQL URL is never connected to,
    # but use a file so nothing can reach a real server from a test.
    variables["DATABASE_URL"] = f"sqlite:///{tmp_path / 'check.sqlite3'}"
    for name in ("HOSHIN_CACHE_DIR", "HOSHIN_DOWNLOAD_CACHE_DIR", "MEDIA_ROOT"):
        variables[name] = str(tmp_path / name.lower())
    return variables


def test_the_documented_production_configuration_passes_check_deploy_with_no_warning(tmp_path):
    result = check_deploy(production(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_without_the_https_settings_check_deploy_warns(tmp_path):
    """The test above would catch a regression: drop the HTTPS lines and the warnings return."""
    variables = production(tmp_path)
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "HOSHIN_PROXY_SSL_HEADER"):
        del variables[name]
    result = check_deploy(variables)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W008" in result.stderr + result.stdout
