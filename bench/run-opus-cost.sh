#!/usr/bin/env bash
# Opus cost per browser leg (MEDIA-6): one encode (the engine's: 8 kHz, 20 kbit/s, complexity 1, FEC) plus one decode of a
# browser-like packet (Concentus at 48 kHz, 32 kbit/s, complexity 9) per 20 ms frame, over the shipped prompts (~237 s,
# ~11 800 frames), ROUNDS rounds on one thread (median and best), with the load average before and after: a loaded machine
# (other builds and tests) inflates the figures. One JSON document on stdout; about a minute.
#   bench/run-opus-cost.sh > opus.json
#   ROUNDS=15 bench/run-opus-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-7}
OUT=$(mktemp -d /tmp/hotline-opus-bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
. bench/lib.sh
build_engine_test_classpath
echo "[bench] $ROUNDS rounds" >&2
java -Xmx512m -cp "$ENGINE_CP" dev.hotline.engine.codec.OpusCostBenchMain \
  engine/src/main/resources/prompts "$ROUNDS"
