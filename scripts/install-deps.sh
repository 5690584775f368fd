#!/usr/bin/env bash
# Installs what Vitrine and its tests need on a Debian machine, and nothing that is already there.
#   scripts/install-deps.sh          ffmpeg (the media tool Vitrine runs) and curl (e-mail over SMTP)
#   scripts/install-deps.sh --test   plus PostgreSQL and the Python test tools
set -euo pipefail
want=()
command -v ffmpeg >/dev/null 2>&1 || want+=(ffmpeg)
command -v curl >/dev/null 2>&1 || want+=(curl)  # sends e-mail over SMTP
if [[ "${1:-}" == "--test" ]]; then
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || want+=(postgresql)
  python3 -m venv --help >/dev/null 2>&1 || want+=(python3-venv)
  command -v chromium >/dev/null 2>&1 || want+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || want+=(chromium-driver)
  command -v psql >/dev/null 2>&1 || want+=(postgresql-client)
  command -v openssl >/dev/null 2>&1 || want+=(openssl)  # a certificate for the STARTTLS test
  command -v pgrep >/dev/null 2>&1 || want+=(procps)  # the live video tests look for leftover ffmpeg processes
fi
if ((${#want[@]})); then
  echo "Installing with apt-get: ${want[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
fi
if [[ "${1:-}" == "--test" ]]; then
  venv="${VITRINE_TEST_VENV:-.build/test-venv}"
  # Installed again whenever the list changes (the list is kept beside the venv it made).
  if ! cmp -s scripts/test-requirements.txt "$venv/requirements.txt"; then
    echo "Installing Python test tools into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r scripts/test-requirements.txt
    cp scripts/test-requirements.txt "$venv/requirements.txt"
  fi
fi
