#!/usr/bin/env bash
# Installs headless Chromium for the HTML report's browser test (HtmlReportBrowserTests) on a
# Debian/Ubuntu host: Debian's chromium package. A browser already in PATH (chromium,
# chromium-browser, google-chrome, as GitHub's runners have) or named by HARNESS_CHROMIUM is kept.
# Runs as root, or as a user with passwordless sudo.
# Exits 0 when a browser is there, 2 when it is not and cannot be installed here.
set -uo pipefail
found() {
  if [[ -n ${HARNESS_CHROMIUM:-} ]]; then [[ -x $HARNESS_CHROMIUM ]]; return; fi
  command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
    || command -v google-chrome >/dev/null || command -v google-chrome-stable >/dev/null
}
found && exit 0

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "setup-chromium: no Chromium in PATH, and this user is neither root nor allowed passwordless sudo" >&2
    exit 2
  fi
fi
if ! command -v apt-get >/dev/null; then
  echo "setup-chromium: no Chromium in PATH and no apt-get to install it with" >&2
  exit 2
fi
# Ubuntu's chromium-browser package is only a way into a snap, which needs snapd: Debian's package or nothing.
if [[ -r /etc/os-release ]] && ! grep -q '^ID=debian' /etc/os-release; then
  echo "setup-chromium: no Chromium in PATH, and only Debian's chromium package is installed by this script" >&2
  exit 2
fi
("${as_root[@]}" apt-get update -qq && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1
if found; then exit 0; fi
echo "setup-chromium: apt-get could not install chromium" >&2
exit 2
