#!/usr/bin/env bash
# Soak (issue 19 item 1, "memory stays flat over a 10-minute run at rated load"): the whole server on the
# run-server-cps.sh path (SIPp carrier on the demo `loopback` trunk -> DID 4010 -> extension 1001 registered at a SIPp
# UAS; no media; call records written) at one fixed RATE for DURATION seconds, after the same JIT warm-up. Every
# INTERVAL seconds a sample of the server process: VmRSS, Java heap after the last GC (from the JVM's own GC log), OS
# threads, open file descriptors, CPU. SIPp's response-time trace gives call setup (INVITE sent -> 200 received)
# percentiles over the whole run and its steady part (after the first 10 %). One JSON document on stdout with a verdict
# on memory being flat (bench/README.md, "run-server-soak.sh"); progress on stderr.
#   RATE=200 DURATION=600 bench/run-server-soak.sh > soak.json       JAR=path/to/hotline.jar: that build
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-200}
DURATION=${DURATION:-600}
INTERVAL=${INTERVAL:-10}
MAX_MB_PER_MIN=${MAX_MB_PER_MIN:-2}     # the flatness threshold, bench/README.md says why
OUT=$(mktemp -d /tmp/hotline-soak-bench.XXXXXX)
. bench/lib.sh
# The heap after each collection comes from the GC log the JVM writes itself at the end of every pause (no attach, no
# safepoint of ours, no forced GC). The heap is touched at start (-Xms1g) so that RSS grows only with memory outside it.
# JAVA_OPTS come last: -XX:-AlwaysPreTouch there wins.
JAVA_OPTS="-XX:+AlwaysPreTouch -Xlog:gc:file=$OUT/gc.log:tm ${JAVA_OPTS:-}"
server_bench_begin
WARM_RATE=${WARM_RATE:-$RATE} start_warm_hotline bench-pass-123

# call_records: how many call records the demo enterprise has (read back through the API).
call_records() { api_get "calls?limit=1" | python3 -c 'import json,sys;print(json.load(sys.stdin)["total"])' || echo null; }
api_login bench-pass-123 || log "cannot log in: no call record count"
REC0=$(call_records)
LOAD0=$(cut -d' ' -f1 /proc/loadavg)

log "soak: $RATE calls/s for ${DURATION}s, a sample every ${INTERVAL}s"
# The sampler reads /proc and the GC log's new lines; it forks nothing. It stops when $OUT/stop appears.
python3 - "$HOT_PID" "$INTERVAL" "$OUT/samples.jsonl" "$OUT/stop" "$OUT/gc.log" <<'PY' &
import json, os, re, sys, time
pid, interval, path, stop, gclog = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
after = re.compile(r"Pause .*? \d+M->(\d+)M\(\d+M\)")
heap, gc_offset, first = None, 0, None
with open(path, "w") as out:
    while not os.path.exists(stop):
        now = time.time()
        first = first or now
        try:
            status = dict(l.split(":", 1) for l in open(f"/proc/{pid}/status"))
            stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            kinds = {}
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue  # closed meanwhile
                kind = "file" if target.startswith("/") else target.split(":")[0]  # socket, pipe, anon_inode
                kinds[kind] = kinds.get(kind, 0) + 1
            s = {"epoch_ms": int(now * 1000), "rss_kb": int(status["VmRSS"].split()[0]),
                 "threads": int(status["Threads"]), "fds": sum(kinds.values()), "fd_kinds": kinds,
                 "cpu_ticks": int(stat[11]) + int(stat[12])}  # utime + stime
        except (OSError, KeyError, ValueError) as e:
            print(f"[bench] the server is gone ({e}): sampling stops", file=sys.stderr)
            break
        try:
            with open(gclog) as g:
                g.seek(gc_offset); text = g.read(); gc_offset += len(text)
            for m in after.finditer(text):
                heap = int(m.group(1))
        except OSError:
            pass
        out.write(json.dumps(s) + "\n"); out.flush()
        print(f"[bench] soak {now - first:5.0f} s: RSS {s['rss_kb'] // 1024} MB, heap after last GC {heap} MB, "
              f"{s['threads']} threads, {s['fds']} fds", file=sys.stderr)
        n = round((now - first) / interval) + 1
        while time.time() < first + n * interval and not os.path.exists(stop):
            time.sleep(0.2)
PY
SAMPLER=$!; PIDS+=("$SAMPLER")
c0=$(cpu_ticks "$HOT_PID"); k0=$(compiler_ticks "$HOT_PID")
# -trace_rtt: SIPp's response time of every call (INVITE sent -> 200 received) in $OUT/uac_<pid>_rtt.csv; -rtt_freq 1
# writes each as it comes (SIPp writes only whole blocks of -rtt_freq rows, so a larger one loses the last block).
SIPP_FD=$INTERVAL sipp_calls soak "$SIP_PORT" "$RATE" $((RATE * DURATION)) $((DURATION + 60)) -sn uac -s 4010 -d 0 \
  -trace_rtt -rtt_freq 1
c1=$(cpu_ticks "$HOT_PID"); k1=$(compiler_ticks "$HOT_PID")
touch "$OUT/stop"; wait "$SAMPLER" || true

# The event log writes the records behind the calls: wait until the count stops moving (at most 30 s).
REC1=$(call_records); for _ in $(seq 1 30); do sleep 1; r=$(call_records); [ "$r" = "$REC1" ] && break; REC1=$r; done

python3 - "$(sipp_stats "$OUT/soak.csv")" "$OUT" "$RATE" "$DURATION" "$INTERVAL" "$MAX_MB_PER_MIN" "$c0" "$c1" "$k0" "$k1" \
  "$(getconf CLK_TCK)" "$REC0" "$REC1" "$LOAD0" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$JAVA_OPTS" <<'PY'
import datetime, glob, json, math, os, re, sys
(st, out, rate, duration, interval, limit, c0, c1, k0, k1, hz, rec0, rec1, load0, commit, java_opts) = sys.argv[1:]
st, rate, duration, interval, limit, hz = json.loads(st), int(rate), int(duration), int(interval), float(limit), int(hz)

# --- GC pauses, from the JVM's log: "[<epoch ms>ms] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 310M->42M(1024M) 3.1ms"
PAUSE = re.compile(r"^\[(\d+)ms\].* GC\(\d+\) (Pause .*?) (\d+)M->(\d+)M\(\d+M\) ([\d.]+)ms")
def kind(name):
    for k, key in (("full", "Full"), ("mixed", "(Mixed)"), ("concurrent_start", "Concurrent Start"),
                   ("prepare_mixed", "Prepare Mixed"), ("remark", "Remark"), ("cleanup", "Cleanup")):
        if key in name:
            return k
    return "young"
pauses = []
for f in sorted(glob.glob(os.path.join(out, "gc.log*"))):
    for line in open(f, errors="replace"):
        m = PAUSE.match(line)
        if m:
            pauses.append({"ms": int(m.group(1)), "kind": kind(m.group(2)), "after": int(m.group(4)), "pause_ms": float(m.group(5))})
pauses.sort(key=lambda p: p["ms"])
# G1 empties the old generation only after a marking cycle (Remark, Cleanup, then mixed collections): between cycles the
# heap after a young GC also holds every dead object already promoted, and climbs until the next cycle. So the live set is
# read where the old garbage is gone: the lowest heap after GC from a cycle's Cleanup to the end of its mixed collections
# (the first young-only GC after them, or the next cycle's start), and after a full GC.
floors, window = [], None
for p in pauses:
    if p["kind"] == "full":
        floors.append(p); window = None
    elif p["kind"] == "cleanup":
        window = []
    elif window is not None and p["kind"] in ("young", "concurrent_start", "prepare_mixed", "mixed"):
        window.append(p)
        if p["kind"] in ("young", "concurrent_start"):
            floors.append(min(window, key=lambda q: q["after"])); window = None

# --- Samples
raw = [json.loads(l) for l in open(os.path.join(out, "samples.jsonl"))]
t0 = raw[0]["epoch_ms"] if raw else 0
def last_before(items, ms):
    found = [i for i in items if i["ms"] <= ms]
    return found[-1] if found else None
samples, prev = [], None
for s in raw:
    gc = last_before(pauses, s["epoch_ms"]); fl = last_before(floors, s["epoch_ms"])
    dt = (s["epoch_ms"] - prev["epoch_ms"]) / 1000 if prev else 0
    samples.append({"t_s": round((s["epoch_ms"] - t0) / 1000, 1), "rss_mb": round(s["rss_kb"] / 1024, 1),
                    "heap_after_gc_mb": gc["after"] if gc else None,
                    "heap_after_marking_mb": fl["after"] if fl else None,
                    "threads": s["threads"], "fds": s["fds"], "fd_kinds": s.get("fd_kinds"),
                    "cpu_cores": round((s["cpu_ticks"] - prev["cpu_ticks"]) / hz / dt, 2) if prev and dt > 0 else None,
                    "gc_pauses": sum(1 for p in pauses if (prev["epoch_ms"] if prev else t0) < p["ms"] <= s["epoch_ms"])})
    prev = s
span = samples[-1]["t_s"] if samples else 0

def fit(points):  # least squares over (seconds, MB): (slope, its standard error), MB per minute; (None, None) under 3 points
    pts = [(t / 60, v) for t, v in points if v is not None]
    if len(pts) < 3:
        return None, None
    mt = sum(t for t, _ in pts) / len(pts); mv = sum(v for _, v in pts) / len(pts)
    sxx = sum((t - mt) ** 2 for t, _ in pts)
    if not sxx:
        return None, None
    b = sum((t - mt) * (v - mv) for t, v in pts) / sxx
    residual = sum((v - mv - b * (t - mt)) ** 2 for t, v in pts) / (len(pts) - 2)
    return round(b, 3), round(math.sqrt(residual / sxx), 3)
slope = lambda points: fit(points)[0]
def growth(key):  # mean of the last quarter's samples minus the first quarter's
    first = [s[key] for s in samples if s[key] is not None and s["t_s"] <= span / 4]
    last = [s[key] for s in samples if s[key] is not None and s["t_s"] >= span * 3 / 4]
    return round(sum(last) / len(last) - sum(first) / len(first), 1) if first and last else None
second = [s for s in samples if s["t_s"] >= span / 2]
in_second = lambda ms: (ms - t0) / 1000 >= span / 2 and ms <= (raw[-1]["epoch_ms"] if raw else 0)

rss_slope, rss_err = fit([(s["t_s"], s["rss_mb"]) for s in second])
heap_slope_every_gc = slope([(s["t_s"], s["heap_after_gc_mb"]) for s in second])
floor_second = [((f["ms"] - t0) / 1000, f["after"]) for f in floors if in_second(f["ms"])]
old_gen_work = any(in_second(p["ms"]) and p["kind"] != "young" for p in pauses)
floor_steady = [((f["ms"] - t0) / 1000, f["after"]) for f in floors if (f["ms"] - t0) / 1000 >= span / 10]
if len(floor_second) >= 3 or len(floor_steady) >= 3:
    # Fewer than 3 cycles in the second half: the steady part's (after the first 10 %), a longer base anyway.
    b, e = fit(floor_second if len(floor_second) >= 3 else floor_steady)
    heap = {"basis": "after_marking" if len(floor_second) >= 3 else "after_marking_steady_part",
            "slope_mb_per_min": b, "slope_stderr_mb_per_min": e, "pass": b <= limit}
elif not old_gen_work and heap_slope_every_gc is not None:
    # No marking cycle in the second half: the old generation only gained, so the climb of the heap after every GC bounds
    # the live set's from above: under the threshold it passes; over it, it could be garbage not yet collected.
    heap = {"basis": "every_gc_upper_bound", "slope_mb_per_min": heap_slope_every_gc}
    heap["pass"] = True if heap_slope_every_gc <= limit else None
else:
    heap = {"basis": "undetermined: fewer than 3 G1 marking cycles after the first 10 % (run longer)",
            "slope_mb_per_min": None, "pass": None}
heap.update({"marking_cycles_in_second_half": len(floor_second), "slope_every_gc_mb_per_min": heap_slope_every_gc,
             "growth_first_to_last_quarter_mb": growth("heap_after_gc_mb"),
             "growth_after_marking_first_to_last_quarter_mb": growth("heap_after_marking_mb")})
rss = {"slope_mb_per_min": rss_slope, "slope_stderr_mb_per_min": rss_err, "pass": rss_slope <= limit if rss_slope is not None else None,
       "growth_first_to_last_quarter_mb": growth("rss_mb")}
verdicts = [heap["pass"], rss["pass"]]
memory = {"threshold_mb_per_min": limit, "window": "second half of the run", "heap": heap, "rss": rss,
          "pass": None if None in verdicts else all(verdicts)}

# --- Call setup: SIPp's -trace_rtt rows "Date_ms;response_time_ms;rtd_no" (Date_ms from SIPp's start)
rtt = []
for f in glob.glob(os.path.join(out, "uac_*_rtt.csv")):
    for line in open(f).read().splitlines()[1:]:
        p = line.split(";")
        if len(p) >= 2:
            rtt.append((float(p[0]), float(p[1])))
def percentiles(values):
    v = sorted(values)
    rank = lambda q: v[max(0, math.ceil(q * len(v)) - 1)]  # nearest rank
    return {"samples": len(v), "p50_ms": rank(0.50), "p95_ms": rank(0.95), "p99_ms": rank(0.99), "max_ms": v[-1]} if v else {"samples": 0}
origin = min((d for d, _ in rtt), default=0)
steady = percentiles([r for d, r in rtt if d - origin >= duration * 100])  # after the first 10 % of the run
steady["from_s"] = duration / 10

run_pauses = [p for p in pauses if t0 <= p["ms"] <= (raw[-1]["epoch_ms"] if raw else 0)]
cpu = (int(c1) - int(c0)) / hz
succ, fail = st["successful"], st["failed"]
records = int(rec1) - int(rec0) if rec0.isdigit() and rec1.isdigit() else None
print(json.dumps({
    "benchmark": "server-soak", "date": datetime.datetime.utcnow().isoformat() + "Z", "commit": commit, "cores": os.cpu_count(),
    "load_1m_at_start": float(load0), "load_1m_at_end": os.getloadavg()[0], "java_opts": java_opts,
    "rate": rate, "duration_s": duration, "interval_s": interval, "elapsed_s": round(st["elapsed_s"], 1),
    "calls": {"successful": succ, "failed": fail, "retransmissions": st["retransmissions"]},
    "achieved_cps": round(succ / st["elapsed_s"], 1) if st["elapsed_s"] else 0,
    "cpu_s": round(cpu, 2), "cpu_ms_per_call": round(cpu * 1000 / succ, 3) if succ else None,
    "jit_cpu_s": round((int(k1) - int(k0)) / hz, 2),
    "call_records_written_during_run": records,
    "setup_ms": {"whole_run": percentiles([r for _, r in rtt]), "steady": steady, "mean_sipp": st["setup_ms_mean"]},
    "gc": {"pauses": len(run_pauses), "marking_cycles": sum(1 for p in run_pauses if p["kind"] == "cleanup"),
           "full": sum(1 for p in run_pauses if p["kind"] == "full"),
           "pause_ms_total": round(sum(p["pause_ms"] for p in run_pauses), 1),
           "pause_ms_max": max((p["pause_ms"] for p in run_pauses), default=None)},
    "memory_flat": memory,
    "threads": {"min": min((s["threads"] for s in samples), default=None), "max": max((s["threads"] for s in samples), default=None),
                "growth_first_to_last_quarter": growth("threads")},
    "fds": {"min": min((s["fds"] for s in samples), default=None), "max": max((s["fds"] for s in samples), default=None),
            "growth_first_to_last_quarter": growth("fds")},
    "samples": samples}, indent=1))
PY
log "raw files in $OUT"
