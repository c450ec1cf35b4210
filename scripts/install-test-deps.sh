#!/usr/bin/env bash
# Installs what the tests need besides a JDK 17+ and Maven: the testbed (testbed/) builds network namespaces with
# iproute2 ("ip"), NAT, loss and partitions with nftables ("nft"), and conntrack inspects NAT tables; the web page's
# test and the testbed's WebRTC test drive Debian's headless Chromium through chromedriver (chromium, chromium-driver);
# the STUN test checks the node's answers with coturn's independent client (coturn's turnutils_stunclient; the TURN
# server it also installs is not started). Idempotent: installs only what is missing, with apt-get (Debian/Ubuntu),
# which needs root; the testbed itself needs root too.
set -euo pipefail
need=()
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v nft >/dev/null 2>&1 || need+=(nftables)
command -v conntrack >/dev/null 2>&1 || need+=(conntrack)
[[ -x /usr/bin/chromium ]] || need+=(chromium)
[[ -x /usr/bin/chromedriver ]] || need+=(chromium-driver)
command -v turnutils_stunclient >/dev/null 2>&1 || need+=(coturn)
if ((${#need[@]} == 0)); then
  echo "install-test-deps: iproute2, nftables, conntrack, chromium, chromium-driver and coturn are installed"
  exit 0
fi
echo "install-test-deps: the tests need ${need[*]}; installing"
if [[ "$(id -u)" != 0 ]]; then
  echo "install-test-deps: run as root to apt-get install ${need[*]} (the testbed's tests need root anyway)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps: no apt-get here; install ${need[*]} with this system's package manager" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${need[@]}"
