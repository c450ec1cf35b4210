#!/usr/bin/env bash
# Installs what the tests need besides a JDK 17+ and Maven: the testbed (testbed/) builds network namespaces with
# iproute2 ("ip"), NAT, loss and partitions with nftables ("nft"), and conntrack inspects NAT tables; the web page's
# test and the testbed's WebRTC test drive Debian's headless Chromium through chromedriver (chromium, chromium-driver);
# the STUN test checks the node's answers with coturn's independent client (coturn's turnutils_stunclient; the TURN
# server it also installs is not started); the Java agent that chats with browsers (agent-webrtc: webrtc-java's
# native libwebrtc) links PulseAudio's client library and a few X11 libraries even when headless (libpulse0 and the
# rest below, found with ldd on webrtc-java 0.14.0's linux-x86_64 library). Idempotent: installs only what is missing, with apt-get (Debian/Ubuntu),
# which needs root; the testbed itself needs root too.
set -euo pipefail
need=()
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v nft >/dev/null 2>&1 || need+=(nftables)
command -v conntrack >/dev/null 2>&1 || need+=(conntrack)
[[ -x /usr/bin/chromium ]] || need+=(chromium)
[[ -x /usr/bin/chromedriver ]] || need+=(chromium-driver)
command -v turnutils_stunclient >/dev/null 2>&1 || need+=(coturn)
# libwebrtc's shared libraries, each with the Debian package that has it
for lib in libpulse.so.0:libpulse0 libX11.so.6:libx11-6 libXfixes.so.3:libxfixes3 libXrandr.so.2:libxrandr2 \
    libXcomposite.so.1:libxcomposite1 libudev.so.1:libudev1 libdbus-1.so.3:libdbus-1-3; do
  ldconfig -p 2>/dev/null | grep -q "${lib%%:*} " || need+=("${lib##*:}")
done
if ((${#need[@]} == 0)); then
  echo "install-test-deps: iproute2, nftables, conntrack, chromium, chromium-driver, coturn and libwebrtc's libraries (libpulse0...) are installed"
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
