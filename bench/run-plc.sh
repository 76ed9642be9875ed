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
. bench/lib.sh
build_engine_test_classpath
echo "[bench] loss $LOSS, seed $SEED" >&2
java -Xmx512m -cp "$ENGINE_CP" dev.hotline.engine.media.PlcBenchMain \
  engine/src/main/resources/prompts "$LOSS" "$SEED"
