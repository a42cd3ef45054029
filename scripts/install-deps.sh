#!/usr/bin/env bash
# Installs what OpenMSO needs and is missing: the Debian packages in deps/debian-packages.txt
# and the npm packages of package-lock.json. Safe to run again; does nothing when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

mapfile -t wanted < <(grep -v '^\s*#' deps/debian-packages.txt | sed 's/\s*$//' | grep -v '^$')
missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then missing+=("$p"); fi
done
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages: reinstall only when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s <(sed -n '/"packages"/,$p' package-lock.json | md5sum) node_modules/.openmso-lock-hash 2>/dev/null; then
  echo "==> installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  sed -n '/"packages"/,$p' package-lock.json | md5sum > node_modules/.openmso-lock-hash
fi
