#!/usr/bin/env bash
# Installs the system tools the tests use, when missing: headless chromium (browser test of the HTML
# report), nats-server (integration test of `vigie worker` against a real JetStream), xz (reading the
# shared corpora), /usr/bin/python3 (tests of the bench/ tools). Debian packages; needs root (or
# sudo). A no-op when everything is there.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)
command -v nats-server >/dev/null 2>&1 || need+=(nats-server)
command -v xz >/dev/null 2>&1 || need+=(xz-utils)
[ -x /usr/bin/python3 ] || need+=(python3)
[ ${#need[@]} -eq 0 ] && exit 0
echo "install-system-deps: installing ${need[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
		echo "install-system-deps: need root to install ${need[*]} (Debian: apt-get install -y ${need[*]})" >&2
		exit 1
	fi
fi
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${need[@]}"
