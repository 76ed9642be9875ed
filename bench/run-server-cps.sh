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
server_bench_begin

# run_one NAME TARGET_PORT RATE CPU_PID -> JSON object
run_one() {
  local name=$1 target=$2 rate=$3 cpupid=$4 c0 c1 j0 j1 k0 k1
  c0=$(cpu_ticks "$cpupid"); j0=$(jit_seconds "$cpupid"); k0=$(compiler_ticks "$cpupid")
  sipp_calls "$name-$rate" "$target" "$rate" $((rate * DURATION)) $((DURATION + 40)) -sn uac -s 4010 -d 0
  c1=$(cpu_ticks "$cpupid"); j1=$(jit_seconds "$cpupid"); k1=$(compiler_ticks "$cpupid")
  python3 - "$(sipp_stats "$OUT/$name-$rate.csv")" "$name" "$rate" "$c0" "$c1" "$(getconf CLK_TCK)" "$(rss_kb "$cpupid")" \
    "$j0" "$j1" "$k0" "$k1" <<'PY'
import json, sys
st, name, rate, c0, c1, hz, rss, j0, j1, k0, k1 = sys.argv[1:]
st = json.loads(st)
succ, fail, secs = st["successful"], st["failed"], st["elapsed_s"]
cpu = (int(c1) - int(c0)) / int(hz)
print(json.dumps({"target": name, "rate": int(rate), "calls": succ + fail, "successful": succ, "failed": fail,
                  "retransmissions": st["retransmissions"], "achieved_cps": round(succ / secs, 1) if secs else 0,
                  "elapsed_s": round(secs, 2), "cpu_s_of_system_under_test": round(cpu, 2),
                  "jit_s_during_run": round(float(j1) - float(j0), 2),
                  "jit_cpu_s": round((int(k1) - int(k0)) / int(hz), 2),
                  "cpu_ms_per_completed_call": round(cpu * 1000 / succ, 3) if succ else None,
                  "rss_mb_of_system_under_test": round(int(rss) / 1024, 1),
                  "setup_ms_mean": st["setup_ms_mean"]}))
PY
}

RESULTS=()
for r in $RATES; do
  log "baseline sipp->sipp at $r cps for ${DURATION}s"
  RESULTS+=("$(run_one sipp-direct "$UAS_PORT" "$r" "$UAS_PID")")
done

start_warm_hotline bench-pass-123
for r in $RATES; do
  log "hotline server at $r cps for ${DURATION}s"
  RESULTS+=("$(run_one hotline-server "$SIP_PORT" "$r" "$HOT_PID")")
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
