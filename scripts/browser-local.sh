#!/usr/bin/env bash
# Usage: scripts/browser-local.sh
# Installs what the Web UI browser suite (Tests/Browser/ui_suite.py) needs on Debian 12, as root:
#   - Debian's `chromium` and `chromium-driver` packages when /usr/bin/chromium or
#     /usr/bin/chromedriver is missing (apt-get update only when a plain install fails, e.g. empty
#     or stale lists);
#   - the `selenium` Python module from PyPI when `python3 -c "import selenium"` fails.
# Selenium then drives the system browser through /usr/bin/chromedriver; nothing is downloaded at
# test time. Idempotent: safe to run again. Everything is logged to stderr.
set -euo pipefail

exec 1>&2

log() { echo "browser-local: $*"; }
die() { echo "browser-local: error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (uses apt-get)"

# --- 1. Chromium and its WebDriver -----------------------------------------------------------
export DEBIAN_FRONTEND=noninteractive
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  log "installing Debian packages chromium chromium-driver"
  apt_opts=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  if ! apt-get install "${apt_opts[@]}" chromium chromium-driver </dev/null; then
    log "plain install failed; running apt-get update and retrying"
    apt-get update -q </dev/null
    apt-get install "${apt_opts[@]}" chromium chromium-driver </dev/null
  fi
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing after install"
[ -x /usr/bin/chromedriver ] || die "/usr/bin/chromedriver missing after install"
log "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium (version unknown)')"

# --- 2. Selenium for Python ------------------------------------------------------------------
if ! python3 -c "import selenium" >/dev/null 2>&1; then
  log "installing the selenium Python module"
  pip_opts=(install --quiet --disable-pip-version-check --root-user-action=ignore selenium)
  python3 -m pip "${pip_opts[@]}" </dev/null \
    || python3 -m pip "${pip_opts[@]}" --break-system-packages </dev/null
fi
python3 -c "import selenium; print('browser-local: selenium', selenium.__version__)" \
  || die "the selenium module cannot be imported after install"
log "browser suite prerequisites are installed"
