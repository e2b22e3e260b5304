#!/usr/bin/env bash
# Installs what zonegen needs to build and test, from Debian 12's packages. Idempotent.
# Usage: deps.sh [--build-only]   (--build-only: what building zonegen needs, no test tools)
set -euo pipefail
pkgs=(
  build-essential cmake pkg-config clang-format
  libldns-dev libknot-dev libcpp-httplib-dev libcli11-dev libyaml-cpp-dev nlohmann-json3-dev
  libidn2-dev libpsl-dev publicsuffix libgtest-dev libssl-dev
  libkainjow-mustache-dev  # the customer texts and pages (templates/)
)
if [ "${1:-}" != --build-only ]; then
  # The real validators and servers the tests run.
  pkgs+=(bind9 bind9-utils bind9-dnsutils knot knot-dnssecutils knot-dnsutils ldnsutils nsd
         pdns-server pdns-backend-sqlite3 sqlite3 python3 curl time
         postgresql pdns-backend-pgsql  # PowerDNS on gpgsql, the tests' second backend
         unbound                    # the validating resolver of the DNSSEC world
         python3-dkim python3-nacl  # the DKIM acceptance test: a real signature verified
         clang libclang-rt-14-dev  # libFuzzer
         iproute2 util-linux        # the loopback-only namespace of the server tests
         stress-ng                  # scripts/load-proof.sh
         chromium poppler-utils fonts-noto-cjk)  # the customer's page rendered, printed to PDF
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "installing: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
