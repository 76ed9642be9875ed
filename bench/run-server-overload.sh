#!/usr/bin/env bash
# Overload control (issue 19 item 2): Hotline rated at RATED calls/s (its rate cap, sip.overload.max.cps, set to RATED)
# is offered 1x, 2x and 4x that rate by a SIPp carrier on the demo `loopback` trunk (DID 4010 -> extension 1001, a SIPp
# UAS; no media), and SIPp -> SIPp at the same rates as the baseline. Each run: calls completed per second (goodput),
# refused (503, counted by bench/scenarios/uac_overload.xml), other failures, retransmissions, CPU per offered and per
# completed call, RSS. Passes when every level completes >= 90 % of RATED per second with no failure but refusals and
# retransmissions < 0.1 % of the calls. One JSON document on stdout; progress on stderr.
#   RATED=200 DURATION=20 bench/run-server-overload.sh        JAR=path/to/hotline.jar: that build
set -euo pipefail
cd "$(dirname "$0")/.."
RATED=${RATED:-200}
DURATION=${DURATION:-20}
LEVELS=${LEVELS:-"1 2 4"}
OUT=$(mktemp -d /tmp/hotline-overload-bench.XXXXXX)
. bench/lib.sh
server_bench_begin

# run_one NAME TARGET_PORT LEVEL CPU_PID -> JSON object
run_one() {
  local name=$1 target=$2 level=$3 cpupid=$4 c0 c1
  local rate=$((RATED * level))
  c0=$(cpu_ticks "$cpupid")
  sipp_calls "$name-$level" "$target" "$rate" $((rate * DURATION)) $((DURATION + 40)) \
    -sf "$PWD/bench/scenarios/uac_overload.xml" -s 4010
  c1=$(cpu_ticks "$cpupid")
  python3 - "$(sipp_stats "$OUT/$name-$level.csv")" "$name" "$level" "$rate" "$c0" "$c1" "$(getconf CLK_TCK)" \
    "$(rss_kb "$cpupid")" <<'PY'
import json, sys
st, name, level, rate, c0, c1, hz, rss = sys.argv[1:]
st = json.loads(st)
succ, fail, secs = st["successful"], st["failed"], st["elapsed_s"]
refused = st["failed_timeout_on_recv"]
cpu = (int(c1) - int(c0)) / int(hz)
calls = succ + fail
print(json.dumps({"target": name, "level": int(level), "offered_cps": int(rate), "calls": calls, "completed": succ,
                  "refused_503": refused, "other_failures": fail - refused, "retransmissions": st["retransmissions"],
                  "completed_cps": round(succ / secs, 1) if secs else 0, "elapsed_s": round(secs, 2),
                  "cpu_s_of_system_under_test": round(cpu, 2),
                  "cpu_ms_per_offered_call": round(cpu * 1000 / calls, 3) if calls else None,
                  "cpu_ms_per_completed_call": round(cpu * 1000 / succ, 3) if succ else None,
                  "rss_mb_of_system_under_test": round(int(rss) / 1024, 1)}))
PY
}

RESULTS=()
for l in $LEVELS; do
  log "baseline sipp->sipp at ${l}x $RATED cps for ${DURATION}s"
  RESULTS+=("$(run_one sipp-direct "$UAS_PORT" "$l" "$UAS_PID")")
done

# The rating is the cap (read at start); the JIT warm-up runs at the rated rate, under it.
export HOTLINE_SIP_OVERLOAD_MAX_CPS=$RATED
WARM_RATE=$RATED start_warm_hotline bench-pass-123
for l in $LEVELS; do
  log "hotline server at ${l}x $RATED cps for ${DURATION}s (cap $RATED)"
  RESULTS+=("$(run_one hotline-server "$SIP_PORT" "$l" "$HOT_PID")")
done

python3 - "$RATED" "$DURATION" "${RESULTS[@]}" <<'PY'
import json, sys, os, datetime
rated, duration = int(sys.argv[1]), int(sys.argv[2]); runs = [json.loads(x) for x in sys.argv[3:]]
def verdict(r):
    return (r["completed_cps"] >= 0.9 * rated and r["other_failures"] == 0
            and r["retransmissions"] < 0.001 * max(1, r["calls"]))
hot = [r for r in runs if r["target"] == "hotline-server"]
print(json.dumps({"benchmark": "server-overload", "date": datetime.datetime.utcnow().isoformat() + "Z", "rated_cps": rated,
                  "duration_s": duration, "cores": os.cpu_count(), "load_1m": os.getloadavg()[0], "runs": runs,
                  "levels_passing": [r["level"] for r in hot if verdict(r)],
                  "all_levels_pass": bool(hot) and all(verdict(r) for r in hot)}, indent=2))
PY
log "raw files in $OUT"
