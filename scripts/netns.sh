#!/usr/bin/env bash
# Runs COMMAND inside a new network namespace where only loopback is up, so that nothing a
# test starts (PowerDNS NOTIFYing its ALSO-NOTIFY targets, zonegen asking a secondary, a
# resolver lookup) can reach another machine: a packet to any address but 127.0.0.0/8 (or
# ::1) fails locally. As root (CI) it is `unshare --net`; otherwise a user namespace maps
# the caller to root inside it (`unshare --user --map-root-user --net`), where the kernel
# allows that. If neither is permitted it stops, loudly: the server tests never run outside.
# Usage: scripts/netns.sh COMMAND [ARG...]
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: scripts/netns.sh COMMAND [ARG...]" >&2; exit 2; }
command -v unshare >/dev/null && command -v ip >/dev/null || {
  echo "netns.sh: unshare (util-linux) and ip (iproute2) are needed to isolate the server tests" >&2; exit 1; }
if [ "$(id -u)" = 0 ]; then un=(unshare --net); else un=(unshare --user --map-root-user --net); fi
if ! err=$("${un[@]}" true 2>&1); then
  cat >&2 <<MSG
netns.sh: cannot create a network namespace (${un[*]}: ${err:-not permitted}).
The tests that start servers (PowerDNS, BIND, fake HTTP and DNS servers) run only inside a
namespace with nothing but loopback, so that no packet leaves this machine; they are not
run outside one. Run as root (CI does), in a container allowed to unshare (CAP_SYS_ADMIN),
or enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1).
MSG
  exit 1
fi
# Inside: loopback up, and proof that it is the only link.
exec "${un[@]}" sh -c '
  ip link set lo up || { echo "netns.sh: cannot bring loopback up" >&2; exit 1; }
  others=$(ip -o link show | grep -v ": lo:" || true)
  [ -z "$others" ] || { echo "netns.sh: the namespace has other links: $others" >&2; exit 1; }
  exec "$@"' netns "$@"
