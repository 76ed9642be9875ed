#!/usr/bin/env bash
# CPU per call and a JFR profile of the full server on the run-server-cps.sh path (SIPp carrier -> DID 4010 ->
# extension 1001 registered at a SIPp UAS, no media), at a rate the server passes, so the figure does not depend on
# overload. CPU per call is process CPU time / completed calls: it holds on a loaded machine, unlike calls/s.
# One JSON document on stdout (with the hottest threads and frames); progress on stderr.
#   RATE=300 CALLS=9000 bench/run-server-profile.sh        JAR=path/to/hotline.jar skips the build
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-300}
CALLS=${CALLS:-9000}
OUT=$(mktemp -d /tmp/hotline-server-profile.XXXXXX)
. bench/lib.sh
command -v jfr >/dev/null || { echo "jfr (the JDK's tool) is needed: install a full JDK 17 (openjdk-17-jdk-headless)" >&2; exit 1; }
server_bench_begin
# Profiling wants every call completed: on a machine busy with other work the call threads' queue delay passes the
# overload guard's 500 ms and new calls get 503 (that is run-server-cps.sh's subject); here the guard waits 10 s.
export HOTLINE_SIP_OVERLOAD_MAX_DELAY_MS=${HOTLINE_SIP_OVERLOAD_MAX_DELAY_MS:-10000}

# The recording runs from the JVM's start and only the measured window is dumped: a recording started later through jcmd
# (JFR.start) made the JIT compile again 4 495 methods in the next 20 s (723 without it), whose CPU was counted as the calls'.
JAVA_OPTS="${JAVA_OPTS:-} -XX:StartFlightRecording=name=p,settings=profile,disk=true,maxage=30m,dumponexit=false"
start_warm_hotline bench-pass-123
log "measured: $CALLS calls at $RATE cps"
c0=$(cpu_ticks "$HOT_PID"); t0=$(date +%s.%N); j0=$(jit_seconds "$HOT_PID"); begin=$(date +%H:%M:%S)
thread_cpu_snapshot "$HOT_PID" "$OUT/threads0.json"
sipp_calls uac "$SIP_PORT" "$RATE" "$CALLS" $((CALLS / RATE + 40)) -sn uac -s 4010 -d 0 -trace_err -error_file "$OUT/errors.log"
t1=$(date +%s.%N); c1=$(cpu_ticks "$HOT_PID"); j1=$(jit_seconds "$HOT_PID");
thread_cpu_snapshot "$HOT_PID" "$OUT/threads1.json"
jcmd "$HOT_PID" JFR.dump name=p begin="$begin" filename="$OUT/rec.jfr" >/dev/null
# Why calls were refused, from the server's own counters (operator session).
curl -sf -c "$OUT/cj" -H 'Content-Type: application/json' \
  -d '{"enterprise":"system","username":"operator","password":"bench-pass-123"}' "http://127.0.0.1:$HTTP_PORT/api/v1/auth/login" >/dev/null \
  && curl -sf -b "$OUT/cj" "http://127.0.0.1:$HTTP_PORT/api/v1/metrics" > "$OUT/metrics.txt" || log "metrics not read"
jfr print --stack-depth 64 --events jdk.ExecutionSample "$OUT/rec.jfr" > "$OUT/samples.txt"
jfr print --stack-depth 24 --events jdk.ObjectAllocationSample "$OUT/rec.jfr" > "$OUT/alloc.txt"
python3 - "$(sipp_stats "$OUT/uac.csv")" "$OUT" "$RATE" "$t0" "$t1" "$c0" "$c1" "$(getconf CLK_TCK)" "$(rss_kb "$HOT_PID")" "$(git rev-parse --short HEAD)" "$j0" "$j1" "$begin" <<'PY'
import collections, json, os, re, sys
st, out, rate, t0, t1, c0, c1, hz, rss, commit, j0, j1, begin = sys.argv[1:]
st = json.loads(st)
succ, fail, retr = st["successful"], st["failed"], st["retransmissions"]
cpu = (int(c1) - int(c0)) / int(hz)
# CPU by thread from /proc (what each thread really used; JFR's samples count threads in Java code, runnable or not),
# by name with digits as N (Linux cuts names to 15 characters)
a, b = (collections.Counter(json.load(open(os.path.join(out, f)))) for f in ("threads0.json", "threads1.json"))
used = b - a
jit_cpu = (used["CN CompilerThre"]) / int(hz)  # the JIT's C1 and C2 compiler threads
writer_cpu = used["event-log-write"] / int(hz)  # the event log's writer thread ("event-log-writer")
threads, top, incl = collections.Counter(), collections.Counter(), collections.Counter()
for e in open(os.path.join(out, "samples.txt")).read().split("jdk.ExecutionSample")[1:]:
    at = re.search(r"startTime = (\d\d:\d\d:\d\d)", e)
    if at and at.group(1) < begin:
        continue  # the dump holds whole chunks: samples from before the measured window are left out
    m = re.search(r'sampledThread = "([^"]*)"', e)
    threads[re.sub(r"\d+", "N", m.group(1) if m else "?")] += 1
    frames = re.findall(r"^\s+([\w$.<>]+)\(", e, flags=re.M)
    if frames:
        top[frames[0]] += 1
    for f in set(frames):
        if f.startswith("dev.hotline"):
            incl[f] += 1
n = max(1, sum(threads.values()))
def refused():
    p = os.path.join(out, "metrics.txt")
    if not os.path.exists(p):
        return None
    return {m.group(1): float(m.group(2)) for m in re.finditer(r'^hotline_sip_overload_refused_total\{reason="(\w+)"[^}]*\} (\S+)', open(p).read(), flags=re.M)}
def first_errors():
    p = os.path.join(out, "errors.log")
    if not os.path.exists(p):
        return []
    firsts = re.findall(r"^(SIP/2\.0 \d{3} [^\r\n]*|Aborting call[^\r\n]*)", open(p, errors="replace").read(), flags=re.M)
    return [{"line": k, "count": v} for k, v in collections.Counter(firsts).most_common(5)]
pct = lambda c: [{"name": k, "pct": round(v * 100 / n, 1)} for k, v in c.most_common(20)]
thread_cpu = [{"name": k, "cpu_ms_per_call": round(v * 1000 / int(hz) / max(1, succ), 3)} for k, v in used.most_common(15)]
# Bytes allocated (JFR's weighted samples) by thread and by the innermost frame of Hotline, JAIN-SIP or H2 on the stack
UNIT = {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}
by_thread, by_frame, total = collections.Counter(), collections.Counter(), 0.0
for e in open(os.path.join(out, "alloc.txt")).read().split("jdk.ObjectAllocationSample")[1:]:
    at = re.search(r"startTime = (\d\d:\d\d:\d\d)", e)
    w = re.search(r"weight = ([\d.]+) (\w+)", e)
    if not w or (at and at.group(1) < begin):
        continue
    v = float(w.group(1)) * UNIT.get(w.group(2), 1)
    total += v
    m = re.search(r'eventThread = "([^"]*)"', e)
    by_thread[re.sub(r"\d+", "N", m.group(1) if m else "?")] += v
    own = [f for f in re.findall(r"^\s+([\w$.<>]+)\(", e, flags=re.M) if f.startswith(("dev.hotline", "gov.nist", "org.h2"))]
    by_frame[own[0] if own else "?"] += v
share = lambda c: [{"name": k, "pct": round(v * 100 / max(1.0, total), 1)} for k, v in c.most_common(12)]
print(json.dumps({"benchmark": "server-profile", "commit": commit, "cores": os.cpu_count(),
                  "load_avg_1m_at_end": os.getloadavg()[0], "rate": int(rate), "successful": succ, "failed": fail,
                  "retransmissions": retr, "refused": refused(), "first_errors": first_errors(), "elapsed_s": round(float(t1) - float(t0), 2), "cpu_s": round(cpu, 2), "jit_s_during_run": round(float(j1) - float(j0), 2),
                  "cpu_ms_per_call": round(cpu * 1000 / max(1, succ), 3),
                  "jit_cpu_s": round(jit_cpu, 2), "cpu_ms_per_call_without_jit": round((cpu - jit_cpu) * 1000 / max(1, succ), 3),
                  "event_log_writer_cpu_s": round(writer_cpu, 2), "event_log_writer_cpu_ms_per_call": round(writer_cpu * 1000 / max(1, succ), 3), "rss_mb": round(int(rss) / 1024, 1),
                  "thread_cpu": thread_cpu, "allocated_mb_per_call": round(total / 1e6 / max(1, succ), 3),
                  "allocation_by_thread": share(by_thread), "allocation_by_innermost_own_frame": share(by_frame),
                  "samples": n, "threads": pct(threads), "top_frames": pct(top), "hotline_inclusive": pct(incl),
                  "jfr": os.path.join(out, "rec.jfr")}, indent=1))
PY
log "raw files in $OUT"
