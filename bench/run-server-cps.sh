#!/usr/bin/env bash
# Full-server CPS benchmark: SIPp UAC (a carrier on the demo `loopback` trunk) -> Hotline (routing from the
# demo enterprise's DID 4010, blacklist check, call records through the event log into H2) -> SIPp UAS
# registered as extension 1001. No media: INVITE/100/180/200/ACK then BYE at once. Same rates SIPp -> SIPp
# directly as the baseline. One JSON document on stdout; progress on stderr.
#   RATES="500 1000 1500" DURATION=30 bench/run-server-cps.sh      JAR=path/to/hotline.jar: that build (an older commit's)
set -euo pipefail
cd "$(dirname "$0")/.."
RATES=${RATES:-"500 1000 1500"}
DURATION=${DURATION:-25}
OUT=$(mktemp -d /tmp/hotline-server-bench.XXXXXX)
. bench/lib.sh
need_sipp
if [ -n "${JAR:-}" ]; then cp "$JAR" "$OUT/hotline.jar"; else build_server_jar; fi
bench_begin

# run_one NAME TARGET_PORT RATE CPU_PID SERVICE -> JSON object
run_one() {
  local name=$1 target=$2 rate=$3 cpupid=$4 service=$5
  local calls=$((rate * DURATION)) stf="$OUT/$name-$rate.csv"
  local t0 c0 c1 t1
  t0=$(date +%s.%N); c0=$(cpu_ticks "$cpupid"); j0=$(jit_seconds "$cpupid"); k0=$(compiler_ticks "$cpupid")
  sipp "127.0.0.1:$target" -sn uac -s "$service" -i 127.0.0.1 -p "$(free_port)" -r "$rate" -m "$calls" -d 0 -l $((rate * 8)) \
    -buff_size $BUFF -nostdin -timeout $((DURATION + 40)) -trace_stat -stf "$stf" -fd 1 \
    -trace_rtt -rtt_freq 1000000 >"$OUT/$name-$rate.out" 2>&1 || true
  t1=$(date +%s.%N); c1=$(cpu_ticks "$cpupid"); j1=$(jit_seconds "$cpupid"); k1=$(compiler_ticks "$cpupid")
  python3 - "$stf" "$name" "$rate" "$t0" "$t1" "$c0" "$c1" "$(getconf CLK_TCK)" "$(rss_kb "$cpupid")" "$j0" "$j1" "$k0" "$k1" <<'PY'
import csv, json, sys
path, name, rate, t0, t1, c0, c1, hz, rss, j0, j1, k0, k1 = sys.argv[1:]
rows = list(csv.reader(open(path), delimiter=';'))
head, last = rows[0], rows[-1]
col = lambda n: last[head.index(n)]
succ, fail, retr = int(col("SuccessfulCall(C)")), int(col("FailedCall(C)")), int(col("Retransmissions(C)"))
parts = [int(x) for x in col("ElapsedTime(C)").split(":")]
secs = parts[0] * 3600 + parts[1] * 60 + parts[2] + (parts[3] / 1e6 if len(parts) > 3 else 0)
cpu = (int(c1) - int(c0)) / int(hz)
# SIPp's response time 1 (default: INVITE sent -> 200 received) averaged over the run, in ms.
rt = col("ResponseTime1(C)") if "ResponseTime1(C)" in head else None
def ms(v):
    try:
        h, m, s = v.split(":")[:3]; us = v.split(":")[3] if v.count(":") > 2 else "0"
        return round((int(h) * 3600 + int(m) * 60 + int(s)) * 1000 + int(us) / 1000, 2)
    except Exception:
        return None
print(json.dumps({"target": name, "rate": int(rate), "calls": succ + fail, "successful": succ, "failed": fail,
                  "retransmissions": retr, "achieved_cps": round(succ / secs, 1) if secs else 0,
                  "elapsed_s": round(secs, 2), "cpu_s_of_system_under_test": round(cpu, 2),
                  "jit_s_during_run": round(float(j1) - float(j0), 2),
                  "jit_cpu_s": round((int(k1) - int(k0)) / int(hz), 2),
                  "cpu_ms_per_completed_call": round(cpu * 1000 / succ, 3) if succ else None,
                  "rss_mb_of_system_under_test": round(int(rss) / 1024, 1),
                  "setup_ms_mean": ms(rt) if rt else None}))
PY
}

RESULTS=()
UAS_PORT=$(free_port)
sipp -sn uas -i 127.0.0.1 -p "$UAS_PORT" -buff_size $BUFF -nostdin >/dev/null 2>&1 &
UAS_PID=$!; PIDS+=("$UAS_PID")
for r in $RATES; do
  log "baseline sipp->sipp at $r cps for ${DURATION}s"
  RESULTS+=("$(run_one sipp-direct "$UAS_PORT" "$r" "$UAS_PID" 4010)")
done

start_hotline bench-pass-123

# Extension 1001 registers with its contact at the SIPp UAS, as a phone would.
register_1001 bench-pass-123 "$UAS_PORT"

warm_up_until_jit_settles "127.0.0.1:$SIP_PORT" 4010 "$HOT_PID"
for r in $RATES; do
  log "hotline server at $r cps for ${DURATION}s"
  RESULTS+=("$(run_one hotline-server "$SIP_PORT" "$r" "$HOT_PID" 4010)")
done
CALLS=$(api_login bench-pass-123 && api_get "calls?limit=1" | python3 -c 'import json,sys;print(json.load(sys.stdin)["total"])' || echo null)

python3 - "$DURATION" "$CALLS" "${RESULTS[@]}" <<'PY'
import json, sys, os, datetime
duration = int(sys.argv[1]); records = sys.argv[2]; runs = [json.loads(x) for x in sys.argv[3:]]
def best(target):
    ok = [r for r in runs if r["target"] == target and r["failed"] == 0 and r["retransmissions"] <= 0.01 * max(1, r["calls"])]
    return max((r["achieved_cps"] for r in ok), default=0)
base, hot = best("sipp-direct"), best("hotline-server")
print(json.dumps({"benchmark": "server-cps", "date": datetime.datetime.utcnow().isoformat() + "Z", "duration_s": duration,
                  "cores": os.cpu_count(), "runs": runs, "call_records_written": None if records == "null" else int(records),
                  "max_cps_passing": {"sipp-direct": base, "hotline-server": hot},
                  "ratio_to_baseline": round(hot / base, 3) if base else None}, indent=2))
PY
log "raw files in $OUT"
