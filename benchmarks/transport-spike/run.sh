#!/bin/bash
# The transport spike of issue 11: QUIC (Netty native) and WebRTC data channels (webrtc-java), 200 MiB each, on one
# machine. Needs root (a network namespace: libwebrtc gathers no loopback candidates, and the spike must not use the
# machine's real interfaces) and Debian's libpulse0 (webrtc-java's native library links it).
# Usage: benchmarks/transport-spike/run.sh [runs]   Results: printed and written to target/transport-spike.txt.
set -euo pipefail
cd "$(dirname "$0")"
RUNS=${1:-5}
if [ "$(id -u)" != 0 ]; then echo "run.sh: needs root for its network namespace" >&2; exit 2; fi
if ! ldconfig -p | grep -q libpulse.so.0; then echo "run.sh: needs Debian's libpulse0 (apt-get install libpulse0)" >&2; exit 2; fi
mvn -B -q -f pom.xml package -DskipTests
mvn -B -q -f pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="target/classes:$(cat target/classpath.txt)"
# A throwaway certificate: QUIC needs TLS 1.3; the agent's Ed25519 handshake on top proves who answers.
rm -f target/spike.p12
keytool -genkeypair -alias quic -keyalg EC -groupname secp256r1 -dname CN=dialtone-spike -validity 2 \
  -storetype PKCS12 -keystore target/spike.p12 -storepass spikepass -keypass spikepass >/dev/null 2>&1
NS="dtspike$$"
cleanup() { ip netns del "$NS" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$NS"
ip -n "$NS" link set lo up
# A veth pair with both ends inside the namespace: non-loopback addresses that route nowhere else.
ip -n "$NS" link add v0 type veth peer name v1
ip -n "$NS" addr add 10.201.0.1/24 dev v0
ip -n "$NS" addr add 10.201.0.2/24 dev v1
ip -n "$NS" link set v0 up
ip -n "$NS" link set v1 up
OUT=target/transport-spike.txt
{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  ip netns exec "$NS" java -Druns="$RUNS" -Dkeystore=target/spike.p12 -Drcvbuf=4194304 -cp "$CP" org.dialtone.spike.QuicSpike 2>&1 | grep -E '^quic'
  echo "# load $(cut -d' ' -f1-3 /proc/loadavg)"
  ip netns exec "$NS" java -Druns="$RUNS" -Dchunk=65536 -cp "$CP" org.dialtone.spike.RtcSpike 2>&1 | grep -E '^(webrtc|answer)'
  echo "# load $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT"
