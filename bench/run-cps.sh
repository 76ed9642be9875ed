#!/usr/bin/env bash
# CPS benchmark (DESIGN.md "Performance"): SIPp UAC -> Hotline engine B2BUA -> SIPp UAS over 127.0.0.1,
# no media, INVITE/100/180/200/ACK then BYE at once, and the same SIPp -> SIPp directly as the baseline.
# Prints one JSON document on stdout; progress goes to stderr.
#   RATES="500 1000 1500" DURATION=30 bench/run-cps.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RATES=${RATES:-"250 500 1000 1500"}
DURATION=${DURATION:-25}
BUFF=2097152
OUT=$(mktemp -d /tmp/hotline-bench.XXXXXX)
command -v sipp >/dev/null || { echo "sipp missing: apt-get install -y sip-tester" >&2; exit 2; }

log() { echo "[bench] $*" >&2; }

# Build the engine and its test classes (the bench main lives there), and get the class path.
mvn -o -q -B -pl engine test-compile >&2
mvn -o -q -B -pl engine org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/cp.txt" >&2
# Copy the classes away: another build (mvn clean) in the same tree must not pull them from under the JVM.
cp -r engine/target/classes "$OUT/classes" && cp -r engine/target/test-classes "$OUT/test-classes"
CP="$OUT/classes:$OUT/test-classes:$(cat "$OUT/cp.txt")"

# Raise the default socket receive buffer for the run, restore it after.
OLD_RMEM=$(sysctl -n net.core.rmem_default 2>/dev/null || echo "")
OLD_RMEM_MAX=$(sysctl -n net.core.rmem_max 2>/dev/null || echo "")
if [ -n "$OLD_RMEM" ]; then
  sysctl -qw net.core.rmem_max=8388608 net.core.rmem_default=4194304 2>/dev/null || log "cannot raise rmem_default (not root?)"
fi
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  if [ -n "$OLD_RMEM" ]; then sysctl -qw net.core.rmem_default="$OLD_RMEM" net.core.rmem_max="$OLD_RMEM_MAX" 2>/dev/null || true; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# run_one NAME TARGET_PORT RATE CPU_PID -> JSON object
run_one() {
  local name=$1 target=$2 rate=$3 cpupid=$4
  local calls=$((rate * DURATION)) stf="$OUT/$name-$rate.csv"
  local t0 c0 c1 t1
  t0=$(date +%s.%N); c0=$(cpu_ticks "$cpupid")
  sipp "127.0.0.1:$target" -sn uac -i 127.0.0.1 -p "$(free_port)" -r "$rate" -m "$calls" -d 0 -l $((rate * 8)) \
    -buff_size $BUFF -nostdin -timeout $((DURATION + 40)) -trace_stat -stf "$stf" -fd 1 \
    >"$OUT/$name-$rate.out" 2>&1 || true
  t1=$(date +%s.%N); c1=$(cpu_ticks "$cpupid")
  python3 - "$stf" "$name" "$rate" "$t0" "$t1" "$c0" "$c1" "$(getconf CLK_TCK)" <<'PY'
import csv, json, sys
path, name, rate, t0, t1, c0, c1, hz = sys.argv[1:]
rows = list(csv.reader(open(path), delimiter=';'))
head, last = rows[0], rows[-1]
col = lambda n: last[head.index(n)]
succ, fail, retr = int(col("SuccessfulCall(C)")), int(col("FailedCall(C)")), int(col("Retransmissions(C)"))
parts = [int(x) for x in col("ElapsedTime(C)").split(":")]  # HH:MM:SS[:micro]
secs = parts[0] * 3600 + parts[1] * 60 + parts[2] + (parts[3] / 1e6 if len(parts) > 3 else 0)
cpu = (int(c1) - int(c0)) / int(hz)
print(json.dumps({"target": name, "rate": int(rate), "calls": succ + fail, "successful": succ, "failed": fail,
                  "retransmissions": retr, "achieved_cps": round(succ / secs, 1) if secs else 0,
                  "elapsed_s": round(secs, 2), "cpu_s_of_system_under_test": round(cpu, 2)}))
PY
}

RESULTS=()
# Baseline: SIPp -> SIPp.
UAS_PORT=$(free_port)
sipp -sn uas -i 127.0.0.1 -p "$UAS_PORT" -buff_size $BUFF -nostdin >/dev/null 2>&1 &
UAS_PID=$!
PIDS+=("$UAS_PID")
for r in $RATES; do
  log "baseline sipp->sipp at $r cps for ${DURATION}s"
  RESULTS+=("$(run_one sipp-direct "$UAS_PORT" "$r" "$UAS_PID")")
done

# Hotline B2BUA.
ENGINE_PORT=$(free_port)
java -Xms512m -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml -cp "$CP" dev.hotline.engine.bench.B2buaBenchMain "$ENGINE_PORT" "$UAS_PORT" 20000 29999 \
  >"$OUT/engine.out" 2>&1 &
ENGINE_PID=$!
PIDS+=("$ENGINE_PID")
for i in $(seq 1 100); do grep -q READY "$OUT/engine.out" && break; sleep 0.2; done
grep -q READY "$OUT/engine.out" || { cat "$OUT/engine.out" >&2; exit 1; }
# Warm the JIT up a little before measuring.
sipp "127.0.0.1:$ENGINE_PORT" -sn uac -i 127.0.0.1 -p "$(free_port)" -r 200 -m 2000 -d 0 -buff_size $BUFF -nostdin \
  -timeout 60 >/dev/null 2>&1 || true
for r in $RATES; do
  log "hotline b2bua at $r cps for ${DURATION}s"
  RESULTS+=("$(run_one hotline-b2bua "$ENGINE_PORT" "$r" "$ENGINE_PID")")
done

python3 - "$DURATION" "${RESULTS[@]}" <<'PY'
import json, sys, os, datetime
duration = int(sys.argv[1]); runs = [json.loads(x) for x in sys.argv[2:]]
def best(target):
    ok = [r for r in runs if r["target"] == target and r["failed"] == 0
          and r["retransmissions"] <= 0.01 * max(1, r["calls"])]
    return max((r["achieved_cps"] for r in ok), default=0)
base, hot = best("sipp-direct"), best("hotline-b2bua")
print(json.dumps({"benchmark": "cps", "date": datetime.datetime.utcnow().isoformat() + "Z", "duration_s": duration,
                  "cores": os.cpu_count(), "runs": runs,
                  "max_cps_passing": {"sipp-direct": base, "hotline-b2bua": hot},
                  "ratio_to_baseline": round(hot / base, 3) if base else None}, indent=2))
PY
log "raw files in $OUT"
