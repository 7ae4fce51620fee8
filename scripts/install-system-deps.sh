#!/usr/bin/env bash
# Debian packages the tests need: Chromium (browser tests, driven by Playwright through its
# executable path; browser downloads do not work offline), a CJK font (Chinese in figures) and
# HAProxy (the replicated office set-up, `make serve-office`, and its fault tests) and
# PostgreSQL (the store tests run against a throwaway cluster, `office/postgres.py`).
set -euo pipefail
need=()
[[ -x /usr/bin/chromium ]] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" || need+=(fonts-wqy-microhei)
command -v haproxy >/dev/null || [[ -x /usr/sbin/haproxy ]] || need+=(haproxy)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
((${#need[@]} == 0)) && exit 0
if [[ $(id -u) -ne 0 ]]; then
  echo "Missing system packages: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
