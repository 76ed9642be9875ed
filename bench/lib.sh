# Shell helpers shared by the benchmarks: the full-server ones (run-server-cps.sh, run-server-overload.sh,
# run-server-profile.sh, run-server-soak.sh, run-queue.sh) and the database ones (run-reports.sh, run-billing.sh).
# Every Maven build here is offline (-o): a fresh clone builds from the local repository, nothing is downloaded.
# Source it from the repository root after setting OUT (the run's scratch folder):
#   OUT=$(mktemp -d /tmp/hotline-xxx-bench.XXXXXX); . bench/lib.sh
BUFF=2097152                       # SIPp -buff_size on both sides (DESIGN.md "Performance")
PIDS=()                            # processes to stop on exit
OLD_RMEM=""; OLD_RMEM_MAX=""

log() { echo "[bench] $*" >&2; }
need_sipp() { command -v sipp >/dev/null || { echo "sipp missing: apt-get install -y sip-tester" >&2; exit 2; }; }
free_port() { python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
free_tcp_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# compiler_ticks PID: CPU ticks (utime+stime) of the JVM's JIT compiler threads (C1/C2 CompilerThreadN).
compiler_ticks() {
  local t n sum=0
  for t in /proc/"$1"/task/*; do
    n=$(cat "$t/comm" 2>/dev/null) || continue
    case "$n" in C1\ Compiler*|C2\ Compiler*) sum=$((sum + $(awk '{print $14+$15}' "$t/stat" 2>/dev/null || echo 0)));; esac
  done
  echo "$sum"
}
# thread_cpu_snapshot PID FILE: CPU ticks (utime+stime) of every thread of PID, summed by name with digits as N (JSON in FILE).
thread_cpu_snapshot() {
  python3 - "$1" "$2" <<'PY'
import collections, json, os, re, sys
pid, out = sys.argv[1:]
d = collections.Counter()
for tid in os.listdir(f"/proc/{pid}/task"):
    try:
        st = open(f"/proc/{pid}/task/{tid}/stat").read()
    except OSError:
        continue  # the thread ended meanwhile
    f = st[st.rindex(")") + 2:].split()
    d[re.sub(r"\d+", "N", st[st.index("(") + 1:st.rindex(")")])] += int(f[11]) + int(f[12])
json.dump(d, open(out, "w"))
PY
}
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

bench_cleanup() {
  local p _
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do   # the JVM takes a moment to stop: leave nothing behind
    for _ in $(seq 1 50); do [ -n "$p" ] && kill -0 "$p" 2>/dev/null && sleep 0.2 || break; done
  done
  [ -n "$OLD_RMEM" ] && { sysctl -qw net.core.rmem_default="$OLD_RMEM" net.core.rmem_max="$OLD_RMEM_MAX" 2>/dev/null || true; }
  return 0
}

# Raises net.core.rmem_default to 4 MiB for the run (restored on exit; needs root) and stops every process in PIDS on exit.
bench_begin() {
  OLD_RMEM=$(sysctl -n net.core.rmem_default 2>/dev/null || echo "")
  OLD_RMEM_MAX=$(sysctl -n net.core.rmem_max 2>/dev/null || echo "")
  [ -n "$OLD_RMEM" ] && { sysctl -qw net.core.rmem_max=8388608 net.core.rmem_default=4194304 2>/dev/null || log "cannot raise rmem_default (not root?)"; }
  trap bench_cleanup EXIT
}

# Builds the server jar and copies it to $OUT/hotline.jar (a later build in the tree cannot change the running one).
# Tests are compiled but not run: -DskipTests, not -Dmaven.test.skip, because the server links the engine's test-jar,
# which only a test compile makes (with -Dmaven.test.skip a fresh clone, with no engine/target yet, cannot build).
build_server_jar() {
  log "building the server jar"
  mvn -o -q -B -ntp -DskipTests package >&2
  cp server/target/hotline.jar "$OUT/hotline.jar"
}

# Builds engine and server with their test classes in one reactor (nothing installed: the engine is read from
# this tree, never from a stale ~/.m2 snapshot), copies the classes to $OUT (a later build in the tree cannot change the
# running JVM's) and sets CP to them and every dependency. Works on a fresh clone (no target/ yet).
build_test_classpath() {
  log "building engine and server with their test classes (the database benchmarks' mains live there)"
  mvn -o -q -B -ntp -pl server -am -DskipTests test-compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$OUT/cp.txt" >&2
  local m root; root=$(pwd)
  for m in engine server; do
    cp -r "$m/target/classes" "$OUT/$m-classes"
    [ -d "$m/target/test-classes" ] && cp -r "$m/target/test-classes" "$OUT/$m-test-classes"
  done
  # In the reactor the engine is its target folders: point at the copies.
  CP="$OUT/server-classes:$OUT/server-test-classes:$(sed -e "s#$root/engine/target/test-classes#$OUT/engine-test-classes#g" \
    -e "s#$root/engine/target/classes#$OUT/engine-classes#g" "$OUT/cp.txt")"
}

# Builds the engine with its test classes, copies them to $OUT and sets ENGINE_CP to them and every
# dependency the engine's tests see, as Maven resolves them (no jar path written by hand). Works on a fresh clone.
build_engine_test_classpath() {
  log "building the engine's test classes"
  mvn -o -q -B -ntp -pl engine test-compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/engine-cp.txt" >&2
  cp -r engine/target/classes "$OUT/engine-classes" && cp -r engine/target/test-classes "$OUT/engine-test-classes"
  ENGINE_CP="$OUT/engine-classes:$OUT/engine-test-classes:$(cat "$OUT/engine-cp.txt")"
}

# run_bench_main CLASS: a database benchmark's main (server test classes) with CALLS, REPEATS and URL (empty: an H2 file
# database in a temporary folder; a PostgreSQL JDBC URL without currentSchema: a fresh schema made in it and dropped at the
# end, KEEP=1 keeps it; with currentSchema, that schema as it is); its JSON lines on stdout, progress on stderr.
run_bench_main() {
  java -Xms1g -Xmx2g -Dlogback.configurationFile=bench/logback-bench.xml -Dcalls="$CALLS" -Drepeats="$REPEATS" -Durl="${URL:-}" \
    -Dkeep="${KEEP:-0}" -cp "$CP" "$1"
}

# start_hotline PASSWORD: Hotline with its demo enterprise (admin, agents and extensions with PASSWORD), H2 in
# $OUT/data, on free ports bound to 127.0.0.1, HTTPS off (its default port 8443 may be another server's on a shared box).
# Sets HTTP_PORT, SIP_PORT and HOT_PID; exits when it does not come up.
start_hotline() {
  HTTP_PORT=$(free_tcp_port); SIP_PORT=$(free_port)
  log "starting Hotline (SIP $SIP_PORT, HTTP $HTTP_PORT)"
  HOTLINE_HTTP_HOST=127.0.0.1 HOTLINE_HTTP_PORT=$HTTP_PORT HOTLINE_HTTPS_PORT=-1 HOTLINE_SIP_HOST=127.0.0.1 HOTLINE_SIP_PORT=$SIP_PORT \
  HOTLINE_DATA_DIR="$OUT/data" HOTLINE_DEMO_PASSWORD=$1 \
    java -Xms1g -Xmx1g ${JAVA_OPTS:-} -Dlogback.configurationFile=bench/logback-bench.xml -jar "$OUT/hotline.jar" >"$OUT/hotline.out" 2>&1 &
  HOT_PID=$!; PIDS+=("$HOT_PID")
  for _ in $(seq 1 600); do grep -q "Hotline is ready" "$OUT/hotline.out" && break; sleep 0.2; done
  grep -q "Hotline is ready" "$OUT/hotline.out" || { cat "$OUT/hotline.out" >&2; exit 1; }
}

# register_1001 PASSWORD UAS_PORT: demo extension 1001 registers with its contact at the SIPp UAS on UAS_PORT, as a phone
# would (the full-server benchmarks' calls to DID 4010 ring it there); exits when it does not.
register_1001() {
  sed -e 's/@EXPECT@/200/' -e 's/@EXPIRES@/3600/' engine/src/test/resources/sipp/register.xml > "$OUT/register.xml"
  sipp "127.0.0.1:$SIP_PORT" -sf "$OUT/register.xml" -s 1001 -au 1001 -ap "$1" -set contactport "$2" \
    -i 127.0.0.1 -p "$(free_port)" -m 1 -nostdin -timeout 10 >"$OUT/register.out" 2>&1 \
    || { log "extension 1001 did not register"; cat "$OUT/register.out" >&2; exit 1; }
}

# jit_seconds PID: the elapsed seconds of the JVM's JIT compilations so far (jstat -compiler; not CPU; 0 when it cannot tell).
jit_seconds() { jstat -compiler "$1" 2>/dev/null | awk 'NR==2{print $4}' | grep . || echo 0; }

# warm_up_until_jit_settles TARGET SERVICE PID: SIPp calls at WARM_RATE (default 200) cps in rounds of 3000 until one round costs the JIT under
# 1 s (at most WARM_ROUNDS, default 16). On this 2-core box the JIT compiled for ~15 s of every 15 s round for the first ~30 000
# calls (one C2 thread, always busy, recompiling large inlined methods such as the SIP parser and H2's MVMap.operate) and then
# settled within one round (2026-12-07, be0c9ad, jstat every 10 s through a 6-minute run at 200 cps): 4 rounds, the earlier
# limit, measured the compilers' CPU as the calls' (1.7 of 7.2 ms a call). Each run still reports jit_s_during_run.
warm_up_until_jit_settles() {
  local target=$1 service=$2 pid=$3 round j0 j1
  for round in $(seq 1 "${WARM_ROUNDS:-16}"); do
    j0=$(jit_seconds "$pid")
    sipp "$target" -sn uac -s "$service" -i 127.0.0.1 -p "$(free_port)" -r "${WARM_RATE:-200}" -m 3000 -d 0 -buff_size $BUFF -nostdin \
      -timeout 60 >/dev/null 2>&1 || true
    j1=$(jit_seconds "$pid")
    log "warm-up round $round: JIT $(python3 -c "print(round($j1 - $j0, 1))") s"
    python3 -c "import sys; sys.exit(0 if $j1 - $j0 < 1.0 else 1)" && return 0
  done
  log "the JIT did not settle in ${WARM_ROUNDS:-16} warm-up rounds (its CPU during each run is in jit_s_during_run)"
}

# api_login PASSWORD: a session of the demo admin in the cookie jar $OUT/cj (enough for GETs; writes need the CSRF header).
api_login() {
  curl -sf -c "$OUT/cj" -H 'Content-Type: application/json' \
    -d "{\"enterprise\":\"demo\",\"username\":\"admin\",\"password\":\"$1\"}" "http://127.0.0.1:$HTTP_PORT/api/v1/auth/login" >/dev/null
}
# api_get PATH: GET /api/v1/PATH with that session, the JSON on stdout.
api_get() { curl -sf -b "$OUT/cj" "http://127.0.0.1:$HTTP_PORT/api/v1/$1"; }

# --- The full-server benchmarks' common path (run-server-cps.sh, run-server-overload.sh, run-server-profile.sh,
# run-server-soak.sh): a SIPp carrier on the demo `loopback` trunk calls DID 4010, which rings extension 1001, registered
# with its contact at a SIPp UAS; no media; every call leaves a call record.

# start_sipp_uas: SIPp's built-in uas on a free port (extension 1001's phone, and the SIPp -> SIPp baseline's callee).
# Sets UAS_PORT and UAS_PID.
start_sipp_uas() {
  UAS_PORT=$(free_port)
  sipp -sn uas -i 127.0.0.1 -p "$UAS_PORT" -buff_size $BUFF -nostdin >/dev/null 2>&1 &
  UAS_PID=$!; PIDS+=("$UAS_PID")
}

# server_bench_begin: what comes before a full-server benchmark's first call: sipp present, the server jar in
# $OUT/hotline.jar (JAR=path/to/hotline.jar: that build, an older commit's; else built from this tree), rmem raised
# and everything stopped on exit (bench_begin), the SIPp UAS started (start_sipp_uas).
server_bench_begin() {
  need_sipp
  if [ -n "${JAR:-}" ]; then cp "$JAR" "$OUT/hotline.jar"; else build_server_jar; fi
  bench_begin
  start_sipp_uas
}

# start_warm_hotline PASSWORD: Hotline started with its demo enterprise (start_hotline), extension 1001 registered at
# the SIPp UAS, and warmed up with calls to DID 4010 until the JIT settles (warm_up_until_jit_settles, WARM_RATE).
start_warm_hotline() {
  start_hotline "$1"
  register_1001 "$1" "$UAS_PORT"
  warm_up_until_jit_settles "127.0.0.1:$SIP_PORT" 4010 "$HOT_PID"
}

# sipp_calls NAME TARGET_PORT RATE CALLS TIMEOUT_S SCENARIO_ARGS...: a SIPp caller to 127.0.0.1:TARGET_PORT at RATE calls/s
# until CALLS calls (at most RATE*8 open at once), SCENARIO_ARGS saying what it sends (`-sn uac -s 4010 -d 0`, or `-sf`
# with an absolute path). Its statistics every SIPP_FD s (default 1) go to $OUT/NAME.csv, its screen to $OUT/NAME.out. It
# runs in $OUT, where SIPp writes its trace files (-trace_rtt, -trace_err without a name). Never fails the script: the
# statistics say how the run went.
sipp_calls() {
  local name=$1 target=$2 rate=$3 calls=$4 timeout=$5; shift 5
  (cd "$OUT" && sipp "127.0.0.1:$target" "$@" -i 127.0.0.1 -p "$(free_port)" -r "$rate" -m "$calls" -l $((rate * 8)) \
    -buff_size $BUFF -nostdin -timeout "$timeout" -trace_stat -stf "$OUT/$name.csv" -fd "${SIPP_FD:-1}" \
    >"$OUT/$name.out" 2>&1) || true
}

# sipp_stats CSV: the totals of a SIPp -trace_stat file (its last row) as one JSON object: successful, failed,
# retransmissions, failed_timeout_on_recv (how bench/scenarios/uac_overload.xml counts an acknowledged 503), elapsed_s
# (SIPp's, not rounded) and setup_ms_mean (SIPp's response time 1, INVITE sent -> 200 received, over the run; null
# without one).
sipp_stats() {
  python3 - "$1" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1]), delimiter=';'))
head, last = rows[0], rows[-1]
count = lambda n: int(last[head.index(n)]) if n in head else 0
parts = [int(x) for x in last[head.index("ElapsedTime(C)")].split(":")]
secs = parts[0] * 3600 + parts[1] * 60 + parts[2] + (parts[3] / 1e6 if len(parts) > 3 else 0)
def ms(v):  # HH:MM:SS:uuuuuu
    try:
        h, m, s = v.split(":")[:3]; us = v.split(":")[3] if v.count(":") > 2 else "0"
        return round((int(h) * 3600 + int(m) * 60 + int(s)) * 1000 + int(us) / 1000, 2)
    except Exception:
        return None
print(json.dumps({"successful": count("SuccessfulCall(C)"), "failed": count("FailedCall(C)"),
                  "retransmissions": count("Retransmissions(C)"), "failed_timeout_on_recv": count("FailedTimeoutOnRecv(C)"),
                  "elapsed_s": secs,
                  "setup_ms_mean": ms(last[head.index("ResponseTime1(C)")]) if "ResponseTime1(C)" in head else None}))
PY
}
