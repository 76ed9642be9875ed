#!/usr/bin/env bash
# Packet-loss concealment (MEDIA-3, issue 20 item 2): the shipped zh and en prompts (engine/src/main/resources/prompts,
# 262 files, ~237 s) as 20 ms RTP streams through the engine's jitter buffer with LOSS random packet loss (fixed SEED),
# concealed three ways: none (silence), frame_repeat (the engine's concealment before: last frame at 75/50/25 %) and
# pitch (the default: G.711 Appendix I style). One JSON document on stdout: segmental SNR, log-spectral distance and
# Bark spectral distortion over the lost frames (and the frame after each) and over all speech frames. The measures
# and their limits: docs/media.md "Packet-loss concealment". No network, no tools beyond Maven; about a minute.
#   bench/run-plc.sh > plc.json
#   LOSS=0.05 SEED=7 bench/run-plc.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LOSS=${LOSS:-0.03}
SEED=${SEED:-20}
OUT=$(mktemp -d /tmp/hotline-plc-bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
echo "[bench] building the engine's test classes" >&2
mvn -o -q -B -pl engine test-compile >&2
cp -r engine/target/classes "$OUT/classes" && cp -r engine/target/test-classes "$OUT/test-classes"
# The measurement needs the engine and commons-math3 (its FFT) only; test-compile has put the jar in the local repository.
M2=${M2_REPO:-$HOME/.m2/repository}
MATH="$M2/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar"
[ -f "$MATH" ] || { echo "commons-math3 not in $M2 (set M2_REPO)" >&2; exit 2; }
echo "[bench] loss $LOSS, seed $SEED" >&2
java -Xmx512m -cp "$OUT/classes:$OUT/test-classes:$MATH" dev.hotline.engine.media.PlcBenchMain \
  engine/src/main/resources/prompts "$LOSS" "$SEED"
