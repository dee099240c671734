#!/usr/bin/env bash
# Installs everything hoshin needs on a fresh Debian machine: system packages (a browser for the
# tests, a Japanese font), the Python environment from the lock file and the npm packages.
# Idempotent: each step checks before it installs, so a second run takes a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
UV_VERSION=0.13.8
SYSTEM_PACKAGES=(chromium fonts-noto-cjk gettext wrk)

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
if [ ! -x .venv/bin/uv ] || ! .venv/bin/uv --version 2>/dev/null | grep -q "$UV_VERSION"; then
  .venv/bin/python -m pip install -q "uv==$UV_VERSION"
fi
# uv installs exactly what uv.lock says (and removes anything else from .venv).
UV_PROJECT_ENVIRONMENT=.venv .venv/bin/uv sync --locked --quiet

if [ -f package-lock.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "setup: installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi

mkdir -p var/static

# Translations are compiled from the committed .po files.
if ls locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then
  .venv/bin/python manage.py compilemessages -v 0
fi
