#!/usr/bin/env bash
# ACD queue offer latency through the whole server (issue 6; DESIGN.md "Performance": queue offer to agent ringing
# p99 < 50 ms): AGENTS agents (users with job numbers, extensions 2001.., members of the queue `bench`, longest idle
# first) registered from one SIPp UAS that answers every offer and hangs up after TALK seconds; they log in and go
# ready from their phones with the feature codes *21 and *23. CALLERS callers from the demo `loopback` trunk to
# NUMBER (-> queue bench) at RATE calls/s: the first AGENTS are offered at once, the others wait and are offered as
# agents hang up. Latencies come from the server's event log (queue_join, queue_offer, the agent leg's hangup) and
# from the UAS's INVITE arrival times. One JSON document on stdout; progress on stderr.
#   bench/run-queue.sh > queue.json
#   AGENTS=50 CALLERS=150 RATE=50 TALK=5 bench/run-queue.sh
#   TRACE=1 bench/run-queue.sh        # also SIPp message traces of the callers and the agents' phone
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
AGENTS=${AGENTS:-50}
CALLERS_GIVEN=${CALLERS:-}
CALLERS=${CALLERS:-150}
RATE=${RATE:-50}
TALK=${TALK:-5}                  # seconds an agent talks before hanging up
NUMBER=${NUMBER:-4800}
TRACE=${TRACE:-0}
TRACE_ARGS=(); [ "$TRACE" = 1 ] && TRACE_ARGS=(-trace_msg)
PW=bench-pass-123                # demo admin, the agents' logins and their SIP passwords
OUT=$(mktemp -d /tmp/hotline-queue-bench.XXXXXX)
. bench/lib.sh
need_sipp
build_server_jar
bench_begin
start_hotline "$PW"
API="http://127.0.0.1:$HTTP_PORT"

# Agents, their extensions, the queue and its number through the HTTP API (as the console would). Writes agents.txt
# (their extensions) and setup.json. Without the members routes (GET and PUT /queues/{id}/members/..,
# ACD-2 API) no new user can join a queue: then the demo queue `sales` and its three demo agents (extensions
# 1001-1003) take the load instead, CALLERS scaled to 3 per agent, and the JSON says so (`degraded`).
python3 - "$API" "$PW" "$AGENTS" "$NUMBER" "$OUT" <<'PY' >&2
import json, sys, urllib.request, urllib.error, http.cookiejar
api, pw, n, number, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
http_ = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
csrf = None
def call(method, path, body=None, ok=(200, 201, 204)):
    req = urllib.request.Request(api + "/api/v1" + path, method=method, data=None if body is None else json.dumps(body).encode())
    if body is not None: req.add_header("Content-Type", "application/json")
    if csrf: req.add_header("X-CSRF-Token", csrf)
    try:
        with http_.open(req, timeout=20) as r:
            status, text = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read()
    data = json.loads(text) if text and text.strip()[:1] in (b"{", b"[") else text
    if ok and status not in ok: sys.exit(f"{method} {path} -> {status} {data}")
    return status, data
_, me = call("POST", "/auth/login", {"enterprise": "demo", "username": "admin", "password": pw})
csrf = me["csrfToken"]
role = next(r["id"] for r in call("GET", "/roles")[1] if r["name"] == "agent")
users = []
for i in range(1, n + 1):
    ext = str(2000 + i)
    _, u = call("POST", "/users", {"username": f"bench{i:03d}", "displayName": f"Bench agent {i}", "password": pw,
                                   "roleId": role, "jobNumber": f"B{i:03d}"})
    call("POST", "/extensions", {"number": ext, "userId": u["id"], "sipPassword": pw})
    users.append((u["id"], ext))
_, q = call("POST", "/queues", {"name": "bench", "strategy": "longest_idle", "settings": {"ringTimeoutSeconds": 15}})
status, _ = call("GET", f"/queues/{q['id']}/members", ok=None)   # 404 here: the route does not exist
setup = {"queue": "bench", "agents": n, "degraded": None}
if status == 404:
    print("[bench] GET /queues/{id}/members -> 404: no members route in this build; "
          "falling back to the demo queue sales and its agents 1001-1003", file=sys.stderr)
    sales = next(x for x in call("GET", "/queues")[1] if x["name"] == "sales")
    # The same behaviour as `bench`: longest idle, 15 s ring, no wrap-up, announcements, max wait or keys.
    call("PUT", f"/queues/{sales['id']}", {"name": "sales", "strategy": "longest_idle", "settings": {"ringTimeoutSeconds": 15}})
    users = [(None, x) for x in ("1001", "1002", "1003")]
    setup = {"queue": "sales", "agents": 3, "degraded": "members route missing (GET /api/v1/queues/{id}/members -> 404): "
             f"the demo queue sales with its 3 demo agents instead of {n} new ones"}
else:
    for uid, _ in users:
        call("PUT", f"/queues/{q['id']}/members/{uid}", {"penalty": 0})
    members = call("GET", f"/queues/{q['id']}/members")[1]
    if len(members) != n: sys.exit(f"queue bench has {len(members)} members, not {n}")
call("POST", "/numbers", {"number": number, "destinationType": "queue", "destination": setup["queue"]})
with open(out + "/agents.txt", "w") as f:
    f.write("".join(ext + "\n" for _, ext in users))
json.dump(setup, open(out + "/setup.json", "w"))
print(f"[bench] {len(users)} agents on queue {setup['queue']}, number {number}", file=sys.stderr)
PY
read -r N_AGENTS QUEUE < <(python3 -c 'import json,sys;s=json.load(open(sys.argv[1]));print(s["agents"],s["queue"])' "$OUT/setup.json")
[ "$N_AGENTS" != "$AGENTS" ] && [ -z "$CALLERS_GIVEN" ] && CALLERS=$((N_AGENTS * 3))
sleep 1   # API writes reload the routing and ACD configuration asynchronously

# The agents' phones: one UAS for all of them, logging INVITE arrivals (-trace_logs).
UAS_PORT=$(free_port)
sed -e "s/@TALK@/$((TALK * 1000))/" -e "s/@ENGINE@/127.0.0.1:$SIP_PORT/" bench/scenarios/uas_agent.xml > "$OUT/uas_agent.xml"
(cd "$OUT" && exec sipp -sf "$OUT/uas_agent.xml" -i 127.0.0.1 -p "$UAS_PORT" -mp "$(free_port)" -buff_size $BUFF -nostdin \
  -trace_logs -log_file "$OUT/uas_invites.log" -trace_stat -stf "$OUT/uas.csv" -fd 1 "${TRACE_ARGS[@]}" >"$OUT/uas.out" 2>&1) &
UAS_PID=$!; PIDS+=("$UAS_PID")
sleep 0.5
# each_agent NAME SIPP ARGS...: one SIPp per agent's extension (@EXT@ in ARGS), digest auth as that extension, 10 at a
# time (SIPp 3.6 takes no injected field inside [authentication]); exits when one failed.
each_agent() {
  local name=$1 ext bad=0 p; shift
  local pids=()
  for ext in $(cat "$OUT/agents.txt"); do
    (cd "$OUT" && exec sipp "127.0.0.1:$SIP_PORT" "${@//@EXT@/$ext}" -au "$ext" -ap "$PW" -i 127.0.0.1 -p "$(free_port)" \
       -mp "$(free_port)" -m 1 -nostdin -timeout 15 >"$OUT/$name-$ext.out" 2>&1) &
    pids+=("$!")
    if [ ${#pids[@]} -ge 10 ]; then
      for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
      pids=()
    fi
  done
  for p in "${pids[@]:-}"; do [ -n "$p" ] && { wait "$p" || bad=$((bad + 1)); }; done
  [ "$bad" = 0 ] || { log "$name: $bad agents failed (see $OUT/$name-*.out)"; exit 1; }
}
log "registering $N_AGENTS extensions to the UAS on port $UAS_PORT"
sed -e 's/@EXPECT@/200/' -e 's/@EXPIRES@/3600/' engine/src/test/resources/sipp/register.xml > "$OUT/register.xml"
each_agent register -sf "$OUT/register.xml" -s @EXT@ -set contactport "$UAS_PORT"
log "agents log in (*21) and go ready (*23) from their phones"
each_agent login -sf "$ROOT/bench/scenarios/uac_code.xml" -s '*21' -set ext @EXT@
each_agent ready -sf "$ROOT/bench/scenarios/uac_code.xml" -s '*23' -set ext @EXT@
sleep 0.5
api_login "$PW"
# queue_live: the queue's live figures (GET /queues/live, ACD-6), "null" on a build without them.
queue_live() {
  api_get queues/live 2>/dev/null | python3 -c 'import json,sys
q=[x for x in json.load(sys.stdin) if x["name"]==sys.argv[1]]
print(json.dumps(q[0] if q else None))' "$QUEUE" 2>/dev/null || echo null
}
LIVE_BEFORE=$(queue_live)
log "queue before the load: $LIVE_BEFORE"

log "$CALLERS callers to $NUMBER at $RATE cps; agents talk ${TALK}s"
sed -e "s/@PREFIX@/1391000/" bench/scenarios/uac_queue.xml > "$OUT/uac_queue.xml"
C0=$(cpu_ticks "$HOT_PID"); T0=$(date +%s.%N)
WAIT_MAX=$(( (CALLERS / N_AGENTS + 2) * (TALK + 2) + 30 ))
(cd "$OUT" && sipp "127.0.0.1:$SIP_PORT" -sf "$OUT/uac_queue.xml" -s "$NUMBER" -i 127.0.0.1 -p "$(free_port)" -mp "$(free_port)" \
   -r "$RATE" -m "$CALLERS" -l "$CALLERS" -buff_size $BUFF -nostdin -timeout "$WAIT_MAX" -trace_stat -stf "$OUT/callers.csv" -fd 1 \
   "${TRACE_ARGS[@]}" >"$OUT/callers.out" 2>&1) || log "callers: SIPp reported failed calls"
C1=$(cpu_ticks "$HOT_PID"); T1=$(date +%s.%N)
read -r SUCC FAIL RETR < <(python3 - "$OUT/callers.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1]), delimiter=';'))
h, l = rows[0], rows[-1]
print(l[h.index("SuccessfulCall(C)")], l[h.index("FailedCall(C)")], l[h.index("Retransmissions(C)")])
PY
)
sleep 1
LIVE_AFTER=$(queue_live)
log "queue after the load: $LIVE_AFTER"

log "reading the event log of the calls"
python3 - "$API" "$PW" "$NUMBER" "$CALLERS" "$OUT" "$SUCC" "$FAIL" "$RETR" "$RATE" "$TALK" "$T0" "$T1" "$C0" "$C1" "$(getconf CLK_TCK)" \
  "$(rss_kb "$HOT_PID")" "$LIVE_BEFORE" "$LIVE_AFTER" <<'PY'
import datetime, json, os, re, sys, time, urllib.request, urllib.error, http.cookiejar
api, pw, number, callers, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
succ, fail, retr, rate, talk = map(int, sys.argv[6:11])
t0, t1, c0, c1, hz, rss = float(sys.argv[11]), float(sys.argv[12]), int(sys.argv[13]), int(sys.argv[14]), int(sys.argv[15]), int(sys.argv[16])
live_before, live_after = json.loads(sys.argv[17]), json.loads(sys.argv[18])
setup = json.load(open(out + "/setup.json"))
http_ = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
def get(path):
    with http_.open(api + "/api/v1" + path, timeout=20) as r:
        return json.loads(r.read())
req = urllib.request.Request(api + "/api/v1/auth/login", method="POST", headers={"Content-Type": "application/json"},
                             data=json.dumps({"enterprise": "demo", "username": "admin", "password": pw}).encode())
http_.open(req, timeout=20).read()

def instant(v):  # ISO-8601 from the API (Jackson, dates not as timestamps) -> epoch seconds
    if isinstance(v, (int, float)): return v / 1000 if v > 1e11 else float(v)
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z", v)
    base = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()
    return base + float(m.group(2) or 0)

# Every caller's record is written when its call closes.
deadline = time.time() + 30
while True:
    records = [r for r in get(f"/calls?limit=500&number={number}")["items"] if r.get("callee") == number]
    if len(records) >= callers or time.time() > deadline: break
    time.sleep(0.5)
calls = []
for r in records:
    evs = get(f"/calls/{r['callId']}/events")
    for e in evs: e["t"] = instant(e["at"])
    calls.append({"record": r, "events": evs})

def field(data, k):
    m = re.search(r"(?:^| )" + k + r"=(\S+)", data or "")
    return m.group(1) if m else None

# Offers (every one, RONA included) and when each agent leg hung up.
offers = []                                     # (t_offer, agent, leg, call)
leg_end = {}
for c in calls:
    for e in c["events"]:
        if e["type"] == "queue_offer": offers.append((e["t"], field(e["data"], "agent"), e["channelId"], c))
        if e["type"] == "hangup" and e.get("channelId"): leg_end[e["channelId"]] = e["t"]
by_agent = {}
for t, a, leg, c in offers:
    by_agent.setdefault(a, []).append((t, leg_end.get(leg)))

invites = {}                                    # caller number -> INVITE arrival at the agent's phone
log = out + "/uas_invites.log"
if os.path.exists(log):
    for line in open(log):
        m = re.search(r"INVITE (\d+)(?:\.\d+)? (\d+)(?:\.\d+)? (\S+)", line)
        if m: invites.setdefault(m.group(3), int(m.group(1)) + int(m.group(2)) / 1e6)

imm, imm_wire, queued, queued_wire, offer_to_wire, wait = [], [], [], [], [], []
count = {"offered": 0, "offers_total": len(offers), "connected": 0, "abandoned": 0, "left_otherwise": 0, "never_offered": 0}
for c in calls:
    ev = c["events"]
    join = next((e["t"] for e in ev if e["type"] == "queue_join"), None)
    first = next((e for e in ev if e["type"] == "queue_offer"), None)
    if any(e["type"] == "queue_connect" for e in ev): count["connected"] += 1
    for e in ev:
        if e["type"] == "queue_leave":
            count["abandoned" if field(e["data"], "result") == "abandoned" else "left_otherwise"] += 1
    if join is None: continue
    if first is None:
        count["never_offered"] += 1
        continue
    count["offered"] += 1
    t_off, agent = first["t"], field(first["data"], "agent")
    wait.append(t_off - join)
    # What made this agent free: the end of their previous leg (the latest that ended before this offer).
    freed = max((end for t, end in by_agent.get(agent, []) if end is not None and t < t_off and end <= t_off), default=None)
    wire = invites.get(c["record"].get("caller"))
    if wire is not None and wire >= t_off - 1: offer_to_wire.append(wire - t_off)
    else: wire = None
    if freed is not None and freed > join:
        queued.append(t_off - freed)
        if wire is not None: queued_wire.append(wire - freed)
    else:
        imm.append(t_off - join)
        if wire is not None: imm_wire.append(wire - join)

def stats(v):
    v = sorted(x * 1000 for x in v)
    p = lambda q: round(v[min(len(v) - 1, int(q * len(v)))], 2) if v else None
    return {"samples": len(v), "p50_ms": p(0.50), "p95_ms": p(0.95), "p99_ms": p(0.99), "max_ms": round(v[-1], 2) if v else None}

per_agent = [len(x) for x in by_agent.values()]
print(json.dumps({
    "benchmark": "queue-offer-latency", "date": datetime.datetime.utcnow().isoformat() + "Z", "cores": os.cpu_count(),
    "degraded": setup["degraded"], "queue": setup["queue"], "strategy": "longest_idle", "agents": setup["agents"],
    "callers": callers, "rate_cps": rate, "talk_s": talk,
    "sipp_callers": {"successful": succ, "failed": fail, "retransmissions": retr},
    "call_records": len(calls), **count,
    "agents_offered": len(by_agent), "offers_per_agent_min_max": [min(per_agent, default=0), max(per_agent, default=0)],
    # The figures of issue 6. Event-log times: queue_offer is logged when the engine places the agent's leg.
    "offer_latency": {
        "immediate": {"what": "queue_join -> queue_offer, a free agent waiting", **stats(imm)},
        "queued": {"what": "agent's previous leg hangup -> queue_offer to that agent, caller waiting", **stats(queued)},
        "join_to_offer_all": {"what": "queue_join -> queue_offer, waiting for an agent included", **stats(wait)}},
    # The same to the INVITE's arrival at the agent's phone (SIPp UAS clock, same host).
    "invite_latency_on_wire": {
        "immediate": {"what": "queue_join -> INVITE received by the agent's phone", **stats(imm_wire)},
        "queued": {"what": "agent's previous leg hangup -> INVITE received by the agent's phone", **stats(queued_wire)},
        "offer_event_to_invite": {"what": "queue_offer logged -> INVITE received", **stats(offer_to_wire)}},
    # The ACD's own view (GET /queues/live): every agent ready before and again after (none stuck ringing or on a
    # call), its counters against the event log's.
    "queue_live_before": live_before, "queue_live_after": live_after,
    "cpu_s_of_server": round((c1 - c0) / hz, 2), "elapsed_s": round(t1 - t0, 1), "rss_mb_of_server": round(rss / 1024, 1),
}, indent=2))
PY
log "raw files in $OUT"
