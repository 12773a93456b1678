#!/usr/bin/env bash
# Install the Debian packages the tests use for real servers (PostgreSQL) and a real browser
# (Chromium), where missing and
# where this user may install them.  Never fails the run: without them, those tests skip with a
# message saying what is missing.
set -uo pipefail
have_initdb() { command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; }
if ! have_initdb; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's postgresql for the store tests..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
      || echo "warning: could not install postgresql; PostgreSQL tests will skip" >&2
  else
    echo "warning: no PostgreSQL server binaries and no way to install them; PostgreSQL tests will skip" >&2
  fi
fi
# Debian's Chromium for the browser tests (Playwright drives it; `playwright install` cannot
# download browsers here)
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null) \
      || echo "warning: could not install chromium; browser tests will skip" >&2
  else
    echo "warning: no chromium and no way to install it; browser tests will skip" >&2
  fi
fi
exit 0
