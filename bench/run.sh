#!/usr/bin/env bash
# The benchmark suite (issue 4 item 8, DESIGN.md "Performance"), SIPp over 127.0.0.1 against the engine's
# B2BUA (dev.hotline.engine.bench.B2buaBenchMain) and against SIPp directly (the machine's baseline).
# One JSON document on stdout; progress on stderr; raw SIPp files in the /tmp/hotline-bench.* folder named
# at the end.
#   bench/run.sh                                  # all suites, a few minutes each
#   SUITES="concurrency" LEVELS="500 1000 1500" bench/run.sh > conc.json
# Suites: concurrency (a), cps (b, bench/run-cps.sh), ivr (c), latency (d); the baseline (e) runs in each; queue
# (bench/run-queue.sh, the whole server: ACD queue offer latency, issue 6).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SUITES=${SUITES:-"concurrency ivr latency cps queue"}
LEVELS=${LEVELS:-"200 500 1000"}     # concurrent calls per concurrency step
HOLD=${HOLD:-30}                     # seconds of RTP per call
RAMP=${RAMP:-10}                     # seconds to reach a level
LAT_RATE=${LAT_RATE:-300}            # calls per second of the latency run
LAT_DURATION=${LAT_DURATION:-20}
IVR_RATE=${IVR_RATE:-40}
IVR_CALLS=${IVR_CALLS:-400}
CPS_RATES=${CPS_RATES:-"500 1000 1500"}
CPS_DURATION=${CPS_DURATION:-15}
QUEUE_AGENTS=${QUEUE_AGENTS:-50}
QUEUE_CALLERS=${QUEUE_CALLERS:-150}
BUFF=2097152
OUT=$(mktemp -d /tmp/hotline-bench.XXXXXX)
HZ=$(getconf CLK_TCK)
command -v sipp >/dev/null || { echo "sipp missing: apt-get install -y sip-tester" >&2; exit 2; }
command -v sox >/dev/null || { echo "sox missing: apt-get install -y sox" >&2; exit 2; }
log() { echo "[bench] $*" >&2; }

mvn -o -q -B -pl engine test-compile >&2
mvn -o -q -B -pl engine org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/cp.txt" >&2
cp -r engine/target/classes "$OUT/classes" && cp -r engine/target/test-classes "$OUT/test-classes"
CP="$OUT/classes:$OUT/test-classes:$(cat "$OUT/cp.txt")"
sox -n -r 8000 -c 1 -e a-law -t raw "$OUT/tone.alaw" synth 10 sine 440 vol 0.5
sed -e "s#@AUDIO@#$OUT/tone.alaw#" -e "s/@HOLD@/$((HOLD * 1000))/" bench/scenarios/uac_rtp.xml > "$OUT/uac_rtp.xml"

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
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
stats() { cat "$OUT/stats.json" 2>/dev/null || echo '{}'; }
# sipp_summary CSV -> "successful failed retransmissions"
sipp_summary() {
  python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1]), delimiter=';'))
h, l = rows[0], rows[-1]
print(l[h.index("SuccessfulCall(C)")], l[h.index("FailedCall(C)")], l[h.index("Retransmissions(C)")])
PY
}

# Peers: one echoing UAS shared by both targets, the engine bridging to it.
UAS_PORT=$(free_port)
(cd "$OUT" && exec sipp -sf "$ROOT/bench/scenarios/uas_echo.xml" -i 127.0.0.1 -p "$UAS_PORT" -rtp_echo -mp "$(free_port)" \
  -buff_size $BUFF -nostdin >"$OUT/uas.out" 2>&1) &
UAS_PID=$!
PIDS+=("$UAS_PID")
ENGINE_PORT=$(free_port)
java -Xms512m -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml -cp "$CP" dev.hotline.engine.bench.B2buaBenchMain \
  "$ENGINE_PORT" "$UAS_PORT" 20000 29999 "$OUT/stats.json" >"$OUT/engine.out" 2>&1 &
ENGINE_PID=$!
PIDS+=("$ENGINE_PID")
for i in $(seq 1 100); do grep -q READY "$OUT/engine.out" && break; sleep 0.2; done
grep -q READY "$OUT/engine.out" || { cat "$OUT/engine.out" >&2; exit 1; }
log "warm-up"
(cd "$OUT" && sipp "127.0.0.1:$ENGINE_PORT" -sn uac -i 127.0.0.1 -p "$(free_port)" -r 200 -m 2000 -d 0 -buff_size $BUFF \
  -nostdin -timeout 60 >/dev/null 2>&1) || true

RESULTS=()

# (a) concurrency: N calls ramped over RAMP s, each streaming HOLD s of A-law echoed back by the UAS.
conc_one() {
  local name=$1 target=$2 n=$3 cpupid=$4 stf="$OUT/conc-$1-$3.csv"
  local rate; rate=$(python3 -c "print(max(1, round($n / $RAMP)))")
  local rss0; rss0=$(rss_kb "$cpupid")
  (cd "$OUT" && exec sipp "127.0.0.1:$target" -sf "$OUT/uac_rtp.xml" -s conc -i 127.0.0.1 -p "$(free_port)" -mp "$(free_port)" \
     -r "$rate" -m "$n" -l "$n" -buff_size $BUFF -nostdin -timeout $((HOLD + RAMP + 60)) -trace_stat -stf "$stf" -fd 1 \
     >"$OUT/conc-$name-$n.out" 2>&1) &
  local upid=$!
  sleep $((RAMP + 3))
  local s1 c1 t1; s1=$(stats); c1=$(cpu_ticks "$cpupid"); t1=$(date +%s.%N)
  [ "$name" = sipp-direct ] && s1='{}' 
  local window=$((HOLD - RAMP - 6)); [ "$window" -lt 3 ] && window=3
  sleep "$window"
  local s2 c2 t2 rss; s2=$(stats); c2=$(cpu_ticks "$cpupid"); t2=$(date +%s.%N); rss=$(rss_kb "$cpupid")
  [ "$name" = sipp-direct ] && s2='{}' 
  wait "$upid" || true
  python3 - "$name" "$n" "$s1" "$s2" "$c1" "$c2" "$t1" "$t2" "$rss0" "$rss" "$HZ" $(sipp_summary "$stf") <<'PY'
import json, sys
name, n, s1, s2, c1, c2, t1, t2, rss0, rss, hz, succ, fail, retr = sys.argv[1:]
n = int(n); s1 = json.loads(s1); s2 = json.loads(s2)
window = float(t2) - float(t1)
cores = (int(c2) - int(c1)) / int(hz) / window
out = {"target": name, "calls": n, "successful": int(succ), "failed": int(fail), "retransmissions": int(retr),
       "window_s": round(window, 1), "cpu_cores_of_system_under_test": round(cores, 3),
       "cpu_pct_of_a_core_per_call": round(100 * cores / n, 4)}
if "caller_pkts_in" in s1 and "caller_pkts_in" in s2:
    rin = s2["caller_pkts_in"] - s1["caller_pkts_in"]
    rout = s2["caller_pkts_out"] - s1["caller_pkts_out"]
    lost = s2["caller_pkts_lost"] - s1["caller_pkts_lost"]
    sent = rin + lost
    out.update({"live_calls_at_plateau": s2.get("live_calls"), "rtp_packets_from_callers": sent,
                "rtp_packets_back_to_callers": rout,
                "rtp_loss_round_trip_pct": round(100 * (1 - rout / sent), 4) if sent else None,
                "rtp_pps_relayed": round((rin + rout) * 2 / window),
                "rss_mb": round(int(rss) / 1024, 1),
                "rss_kb_per_call": round((int(rss) - int(rss0)) / n, 1)})
    out["pass"] = out["failed"] == 0 and out["rtp_loss_round_trip_pct"] is not None and out["rtp_loss_round_trip_pct"] <= 0.1
else:
    out["rtp_loss_round_trip_pct"] = None  # SIPp does not count what it receives; no capture taken
    out["pass"] = out["failed"] == 0
print(json.dumps(out))
PY
}
if [[ " $SUITES " == *" concurrency "* ]]; then
  for n in $LEVELS; do
    log "concurrency: sipp->sipp $n calls"
    RESULTS+=("$(conc_one sipp-direct "$UAS_PORT" "$n" "$UAS_PID" | sed "s/^{/{\"suite\":\"concurrency\",/")")
  done
  for n in $LEVELS; do
    log "concurrency: hotline $n calls"
    r=$(conc_one hotline-b2bua "$ENGINE_PORT" "$n" "$ENGINE_PID")
    RESULTS+=("$(echo "$r" | sed 's/^{/{"suite":"concurrency",/')")
    echo "$r" | grep -q '"pass": true' || { log "hotline failed at $n calls: stopping the ramp"; break; }
  done
fi

# (c) IVR: answered by the engine, 1 s prompt, key 1 by RFC 4733 (SIPp pcap), BYE.
if [[ " $SUITES " == *" ivr "* ]]; then
  log "ivr: $IVR_CALLS calls at $IVR_RATE cps"
  s1=$(stats)
  (cd "$OUT" && sipp "127.0.0.1:$ENGINE_PORT" -sf "$ROOT/bench/scenarios/uac_ivr.xml" -s ivr -i 127.0.0.1 -p "$(free_port)" \
     -mp "$(free_port)" -r "$IVR_RATE" -m "$IVR_CALLS" -buff_size $BUFF -nostdin -timeout 120 -trace_stat -stf "$OUT/ivr.csv" -fd 1 \
     >"$OUT/ivr.out" 2>&1) || true
  sleep 1
  s2=$(stats)
  RESULTS+=("$(python3 - "$s1" "$s2" $(sipp_summary "$OUT/ivr.csv") <<'PY'
import json, sys
s1, s2 = json.loads(sys.argv[1]), json.loads(sys.argv[2])
succ, fail, retr = map(int, sys.argv[3:6])
d = lambda k: s2.get(k, 0) - s1.get(k, 0)
print(json.dumps({"suite": "ivr", "target": "hotline-b2bua", "calls": succ + fail, "successful": succ, "failed": fail,
                  "retransmissions": retr, "prompts_completed": d("ivr_prompts_completed"),
                  "digits_received_once": d("ivr_digits"),
                  "pass": fail == 0 and d("ivr_digits") == succ + fail}))
PY
)")
fi

# (d) call setup latency: INVITE -> 200 OK as SIPp measures it (rtd), both targets.
lat_one() {
  local name=$1 target=$2 dir="$OUT/lat-$1"
  mkdir -p "$dir"
  (cd "$dir" && sipp "127.0.0.1:$target" -sn uac -i 127.0.0.1 -p "$(free_port)" -r "$LAT_RATE" -m $((LAT_RATE * LAT_DURATION)) \
     -d 0 -buff_size $BUFF -nostdin -timeout $((LAT_DURATION + 60)) -trace_rtt -rtt_freq 1 -trace_stat -stf "$dir/stat.csv" \
     >"$dir/out.txt" 2>&1) || true
  python3 - "$name" "$dir" $(sipp_summary "$dir/stat.csv") <<'PY'
import glob, json, sys
name, d, succ, fail, retr = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
v = []
for f in glob.glob(d + "/*_rtt.csv"):
    for line in open(f).read().splitlines()[1:]:
        parts = line.split(";")
        if len(parts) >= 2:
            v.append(float(parts[1]))
v.sort()
p = lambda q: round(v[min(len(v) - 1, int(q * len(v)))], 2) if v else None
print(json.dumps({"suite": "latency", "target": name, "samples": len(v), "successful": succ, "failed": fail,
                  "p50_ms": p(0.50), "p95_ms": p(0.95), "p99_ms": p(0.99), "max_ms": v[-1] if v else None}))
PY
}
if [[ " $SUITES " == *" latency "* ]]; then
  log "latency at $LAT_RATE cps: sipp->sipp"
  RESULTS+=("$(lat_one sipp-direct "$UAS_PORT")")
  log "latency at $LAT_RATE cps: hotline"
  RESULTS+=("$(lat_one hotline-b2bua "$ENGINE_PORT")")
fi

kill "$ENGINE_PID" "$UAS_PID" 2>/dev/null || true
wait "$ENGINE_PID" "$UAS_PID" 2>/dev/null || true

CPS_JSON=null
if [[ " $SUITES " == *" cps "* ]]; then
  log "cps: bench/run-cps.sh RATES=\"$CPS_RATES\" DURATION=$CPS_DURATION"
  CPS_JSON=$(RATES="$CPS_RATES" DURATION="$CPS_DURATION" bench/run-cps.sh)
fi

QUEUE_JSON=null
if [[ " $SUITES " == *" queue "* ]]; then
  log "queue: bench/run-queue.sh AGENTS=$QUEUE_AGENTS CALLERS=$QUEUE_CALLERS"
  QUEUE_JSON=$(AGENTS="$QUEUE_AGENTS" CALLERS="$QUEUE_CALLERS" bench/run-queue.sh) || QUEUE_JSON=null
fi

python3 - "$CPS_JSON" "$QUEUE_JSON" "$HOLD" "$RAMP" "${RESULTS[@]}" <<'PY'
import json, sys, os, datetime
cps, queue = json.loads(sys.argv[1]), json.loads(sys.argv[2]); hold, ramp = int(sys.argv[3]), int(sys.argv[4])
runs = [json.loads(x) for x in sys.argv[5:]]
def best(target):
    ok = [r["calls"] for r in runs if r["suite"] == "concurrency" and r["target"] == target and r.get("pass")]
    return max(ok, default=0)
base, hot = best("sipp-direct"), best("hotline-b2bua")
lat = {r["target"]: r for r in runs if r["suite"] == "latency"}
summary = {"concurrent_calls_passing": {"sipp-direct": base, "hotline-b2bua": hot},
           "concurrency_ratio_to_baseline": round(hot / base, 3) if base else None}
if cps:
    summary["cps_passing"] = cps["max_cps_passing"]
    summary["cps_ratio_to_baseline"] = cps["ratio_to_baseline"]
if queue:
    summary["queue_offer_latency_ms"] = {k: {p: queue["offer_latency"][k][p] for p in ("p50_ms", "p99_ms")}
                                         for k in ("immediate", "queued")}
if "hotline-b2bua" in lat:
    summary["setup_latency_ms_hotline"] = {k: lat["hotline-b2bua"][k] for k in ("p50_ms", "p95_ms", "p99_ms")}
if "sipp-direct" in lat:
    summary["setup_latency_ms_sipp_direct"] = {k: lat["sipp-direct"][k] for k in ("p50_ms", "p95_ms", "p99_ms")}
print(json.dumps({"benchmark": "suite", "date": datetime.datetime.utcnow().isoformat() + "Z", "cores": os.cpu_count(),
                  "hold_s": hold, "ramp_s": ramp, "summary": summary, "runs": runs, "cps": cps, "queue": queue}, indent=2))
PY
log "raw files in $OUT"
