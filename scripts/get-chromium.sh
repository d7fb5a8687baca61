#!/usr/bin/env bash
# Make sure a Chromium is there for the browser tests (tests/e2e), which Playwright drives.
# Playwright's own browser download does not work here, so we use Debian's `chromium`:
#   - $CHROMIUM_BIN, when set, must be a working Chromium (nothing is installed then);
#   - else /usr/bin/chromium, when it runs, is used as it is;
#   - else, as root on Debian/Ubuntu, `apt-get install chromium`;
#   - else explain how to install it (the browser tests are then skipped, or fail under CI).
set -euo pipefail

works() { "$1" --headless --no-sandbox --disable-gpu --version >/dev/null 2>&1; }

if [ -n "${CHROMIUM_BIN:-}" ]; then
  works "$CHROMIUM_BIN" || { echo "CHROMIUM_BIN=$CHROMIUM_BIN does not run (\`$CHROMIUM_BIN --version\` failed)" >&2; exit 1; }
  exit 0
fi
if [ -x /usr/bin/chromium ] && works /usr/bin/chromium; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
  works /usr/bin/chromium || { echo "chromium was installed but /usr/bin/chromium does not run" >&2; exit 1; }
  /usr/bin/chromium --version
  exit 0
fi
cat >&2 <<MSG
No Chromium for the browser tests (tests/e2e). Either
  - on Debian/Ubuntu: sudo apt-get install chromium   (gives /usr/bin/chromium), or
  - set CHROMIUM_BIN=/path/to/chromium (any recent Chromium or Chrome).
Without one the browser tests are skipped (and fail when CI is set).
MSG
# not an error on a laptop: the tests themselves skip (or fail under CI) with the reason
if [ -n "${CI:-}" ]; then exit 1; fi
exit 0
