#!/usr/bin/env bash
# Install the Debian packages the platform needs, when missing and when we may.
#   tools/system-packages.sh run    what `make run` needs
#   tools/system-packages.sh test   what `make test` needs as well (PostgreSQL server binaries, Chromium)
#   tools/system-packages.sh bench  what `make bench` needs as well (PostgreSQL, Redis, wrk)
set -euo pipefail

need_run=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)  # WeasyPrint renders certificates with Pango
# postgresql also brings postgresql-client-NN: pg_dump/pg_restore of the same major version (backup tests).
need_test=(postgresql poppler-utils chromium redis-server)  # chromium: the browser tests (Playwright, never a downloaded browser); redis-server: the shared rate-limit store across app servers

need_bench=(postgresql redis-server wrk)  # wrk: the load generator of bench/pages.py

case "${1:-run}" in
  run) wanted=("${need_run[@]}") ;;
  test) wanted=("${need_run[@]}" "${need_test[@]}") ;;
  bench) wanted=("${need_run[@]}" "${need_bench[@]}") ;;
  *) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "Please install these packages with your system's package manager: ${missing[*]}" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
