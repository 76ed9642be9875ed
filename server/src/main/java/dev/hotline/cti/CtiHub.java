package dev.hotline.cti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.acd.Acd;
import dev.hotline.acd.AgentState;
import dev.hotline.acd.AgentView;
import dev.hotline.acd.Device;
import dev.hotline.acd.QueueStore;
import dev.hotline.login.Auth;
import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsHandlerType;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CTI channel (API-2, docs/cti.md): one authenticated WebSocket per agent carrying agent state
 * and call events out, and commands in. Events are sent from one thread of its own, so neither the
 * dispatcher nor the engine ever waits for a browser; every command gets exactly one reply.
 */
public final class CtiHub implements Acd.Listener {
    private static final Logger log = LoggerFactory.getLogger(CtiHub.class);
    public static final String PATH = "/api/v1/cti";
    private static final String PRINCIPAL = "hotline.cti.principal";
    static final int VERSION = 1;

    /** What the hub needs of the call router to control calls. */
    public interface Calls {
        Optional<Channel> channel(String id);

        /** The caller's leg bridged with {@code agentLeg}, if any. */
        Optional<Channel> peer(String agentLeg);

        /** The enterprise's music on hold. */
        java.nio.file.Path musicFolder(long enterpriseId);

        /** Blind transfer of the party talking to {@code agentLeg} to an extension or an outside number. */
        void transfer(long enterpriseId, String agentLeg, String to);

        /** Click-to-dial: rings the agent's device, then {@code number}; returns the agent's leg id. */
        String dial(long enterpriseId, long userId, Device device, String number);

        /** The user behind a job number or extension of the enterprise, if any. */
        Optional<Long> userOf(long enterpriseId, String jobOrExtension);

        /** Opens (or replaces, after a reload) the browser's persistent connection; returns the SDP answer. */
        String webRtcConnect(String key, String offerSdp);

        boolean webRtcConnected(String key);

        void webRtcDisconnect(String key);

        /** Holds or resumes the party talking to the agent's leg (logged in the call). */
        void hold(String agentLeg, boolean held);

        /** Puts the customer on hold and calls {@code to} for the agent; returns the consulted leg's id. */
        String consult(long enterpriseId, long userId, String agentLeg, String to);

        void completeConsult(String agentLeg);

        void conferenceConsult(String agentLeg);

        void cancelConsult(String agentLeg);
    }

    private final Jdbi jdbi;
    private final Auth auth;
    private final Acd acd;
    private final Clock clock;
    private volatile Calls calls;
    private final ExecutorService out = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hotline-cti");
        t.setDaemon(true);
        return t;
    });
    /** user id → the agent's connection. */
    private final Map<Long, WsContext> sessions = new ConcurrentHashMap<>();
    private final Map<String, Principal> bySession = new ConcurrentHashMap<>();
    /** agent leg id → the call as the desk sees it. */
    private final Map<String, CallView> legs = new ConcurrentHashMap<>();
    /** call id → notes (AGENT-5: they travel with a transfer). */
    private final Map<String, String> notes = new ConcurrentHashMap<>();

    public CtiHub(Jdbi jdbi, Auth auth, Acd acd, Clock clock) {
        this.jdbi = jdbi;
        this.auth = auth;
        this.acd = acd;
        this.clock = clock;
        acd.addListener(this);
    }

    public void attach(Calls calls) {
        this.calls = calls;
    }

    /** Mounts the WebSocket: the upgrade is refused (401/403) without a session or token of a user with agent.desk. */
    public void mount(RoutesConfig routes) {
        routes.addHttpHandler(HandlerType.WEBSOCKET_BEFORE_UPGRADE, PATH, ctx -> {
            Principal p = resolve(ctx.header("Authorization"), ctx.cookie(dev.hotline.web.WebServer.SESSION_COOKIE))
                    .orElseThrow(ApiException::unauthenticated);
            if (!p.can(Permission.AGENT_DESK)) throw new ApiException(403, "forbidden", "the CTI channel needs agent.desk");
            ctx.attribute(PRINCIPAL, p);
        });
        routes.addWsHandler(WsHandlerType.WEBSOCKET, PATH, ws -> {
            ws.onConnect(ctx -> {
                Principal p = ctx.attribute(PRINCIPAL);
                if (p == null) {
                    ctx.closeSession(4401, "unauthenticated");
                    return;
                }
                ctx.enableAutomaticPings();
                bySession.put(ctx.sessionId(), p);
                WsContext old = sessions.put(p.userId(), ctx);
                if (old != null && !old.sessionId().equals(ctx.sessionId())) {
                    bySession.remove(old.sessionId());
                    out.execute(() -> {
                        send(old, message("replaced"));
                        try {
                            old.closeSession(4001, "replaced by a newer connection");
                        } catch (RuntimeException e) {
                            log.debug("closing replaced CTI session: {}", e.toString());
                        }
                    });
                }
                out.execute(() -> hello(ctx, p));
            });
            ws.onMessage(ctx -> {
                Principal p = bySession.get(ctx.sessionId());
                if (p == null) return;
                String text = ctx.message();
                // Commands run off the Jetty thread, in order per hub: telephony actions never block the socket.
                out.execute(() -> command(ctx, p, text));
            });
            ws.onClose(ctx -> {
                Principal p = bySession.remove(ctx.sessionId());
                if (p != null) sessions.remove(p.userId(), ctx);
            });
            ws.onError(ctx -> {
                Principal p = bySession.remove(ctx.sessionId());
                if (p != null) sessions.remove(p.userId(), ctx);
            });
        });
    }

    private Optional<Principal> resolve(String authorization, String cookie) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.byToken(authorization.substring(7).strip());
        }
        return cookie == null || cookie.isBlank() ? Optional.empty() : auth.bySession(cookie);
    }

    // ================================================================ events out

    @Override
    public void agentChanged(long enterpriseId, AgentView agent) {
        out.execute(() -> toUser(agent.userId(), message("agent.state").set("agent", Json.MAPPER.valueToTree(agent))));
    }

    @Override
    public void offered(long enterpriseId, long userId, Acd.Offered o) {
        out.execute(() -> {
            // The call records are read only for an agent whose desk is open (no query per call otherwise).
            CallView.Customer who = watching(userId) ? customer(enterpriseId, o.caller()) : CallView.Customer.UNKNOWN;
            announce(new CallView(enterpriseId, userId, o.callId(), o.legId(), "inbound", "ringing", o.caller(), null,
                    o.queue(), o.waitedSeconds(), false, false, who, o.transfer(), notes.get(o.callId())));
        });
    }

    /** Consulted leg → the agent's leg consulting it. */
    private final Map<String, String> consultedBy = new ConcurrentHashMap<>();

    /** Called before a consulted leg is placed, so that its answer or end reaches the consulting agent's desk. */
    public void consulting(String consultedLeg, String agentLeg) {
        consultedBy.put(consultedLeg, agentLeg);
    }

    /** Queue offer legs the agent answered whose caller is not connected yet (CTI thread only). */
    private final java.util.Set<String> answeredLegs = new java.util.HashSet<>();

    /** Legs announced by {@link #expectLeg} whose call.offered is not sent yet → their events so far. */
    private final Map<String, List<CallEvent>> early = new ConcurrentHashMap<>();

    /**
     * Called before an agent's leg is placed, so that its events (a phone may answer within
     * milliseconds) are kept until the desk has been told of the call.
     */
    public void expectLeg(String legId) {
        early.put(legId, new java.util.ArrayList<>());
        expectedAt.put(legId, System.nanoTime());
        // Legs no desk was ever told of (an outside party consulted) are forgotten after a minute.
        long old = System.nanoTime() - java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        if (expectedAt.size() > 64) {
            expectedAt.entrySet().removeIf(en -> {
                boolean stale = en.getValue() < old;
                if (stale) early.remove(en.getKey());
                return stale;
            });
        }
    }

    private final Map<String, Long> expectedAt = new ConcurrentHashMap<>();

    /** Engine events of the legs the desk knows: answered, hold, hang-up. */
    public void onEvent(CallEvent e) {
        if (e instanceof CallEvent.WebRtcConnectionChanged w) {
            String key = w.key();
            if (key.startsWith("agent-")) {
                long user = Long.parseLong(key.substring(6));
                // The connection's state now: a replaced connection going down after its successor came up is no news.
                out.execute(() -> toUser(user, message("webrtc.state").put("connected", calls.webRtcConnected(key))));
            }
            return;
        }
        String id = e.channelId();
        if (e instanceof CallEvent.ChannelBridged b) {
            // A queue call is "talking" once the caller is connected with the agent (after any agent announce).
            out.execute(() -> {
                for (String leg : List.of(b.channelId(), b.otherChannelId())) {
                    CallView v = legs.get(leg);
                    if (v != null && v.queue() != null && "ringing".equals(v.state()) && answeredLegs.remove(leg)) {
                        update(v.with("talking"), "call.answered");
                    }
                }
            });
            return;
        }
        String consulting = consultedBy.get(id);
        if (consulting != null && (e instanceof CallEvent.ChannelAnswered || e instanceof CallEvent.ChannelHungUp)) {
            // The consulted party of an agent's consultation answered or left.
            out.execute(() -> {
                CallView v = legs.get(consulting);
                if (v == null || v.consult() == null || !v.consult().legId().equals(id)) return;
                if (e instanceof CallEvent.ChannelAnswered) {
                    update(v.withConsult(new CallView.Consultation(v.consult().to(), id, "talking")), "call.updated");
                } else {
                    consultedBy.remove(id);
                    update(v.withConsult(null).with("talking"), "call.updated");
                }
            });
        }
        if (!legs.containsKey(id) && !early.containsKey(id)) return;
        out.execute(() -> {
            CallView cur = legs.get(id);
            if (cur == null) {
                List<CallEvent> buffered = early.get(id);
                if (buffered != null) buffered.add(e);
                return;
            }
            apply(cur, e);
        });
    }

    /** Registers the desk's view of a leg and replays what happened to it before (on the CTI thread). */
    private void announce(CallView c) {
        legs.put(c.legId(), c);
        toUser(c.userId(), callMessage("call.offered", c));
        expectedAt.remove(c.legId());
        List<CallEvent> before = early.remove(c.legId());
        if (before != null) {
            for (CallEvent e : before) {
                CallView cur = legs.get(c.legId());
                if (cur != null) apply(cur, e);
            }
        }
    }

    private void apply(CallView cur, CallEvent e) {
        if (e instanceof CallEvent.ChannelAnswered) {
            if (cur.queue() != null) {
                answeredLegs.add(cur.legId()); // announced when the queue connects the caller (ChannelBridged)
                return;
            }
            update(cur.with("talking"), "call.answered");
        } else if (e instanceof CallEvent.ChannelHold h) {
            update(cur.with(h.held() ? "held" : "talking"), h.held() ? "call.held" : "call.resumed");
        } else if (e instanceof CallEvent.ChannelHungUp h) {
            legs.remove(cur.legId());
            answeredLegs.remove(cur.legId());
            consultedBy.values().removeIf(cur.legId()::equals);
            ObjectNode m = callMessage("call.ended", cur.with("ended"));
            m.put("cause", h.cause().name().toLowerCase());
            toUser(cur.userId(), m);
        }
    }

    private void update(CallView c, String type) {
        legs.put(c.legId(), c);
        toUser(c.userId(), callMessage(type, c));
    }

    private void hello(WsContext ctx, Principal p) {
        ObjectNode m = message("hello");
        m.set("agent", Json.MAPPER.valueToTree(acd.agentView(p.enterpriseId(), p.userId()).orElse(null)));
        var list = m.putArray("calls");
        for (CallView c : legs.values()) if (c.userId() == p.userId()) list.add(Json.MAPPER.valueToTree(c));
        var reasons = m.putArray("reasons");
        jdbi.withHandle(h -> QueueStore.reasons(h, p.enterpriseId())).forEach(r -> reasons.addObject().put("code", r.code()).put("name", r.name()));
        m.putObject("webrtc").put("connected", calls != null && calls.webRtcConnected(Acd.webRtcKey(p.userId())));
        send(ctx, m);
    }

    /** AGENT-4: is this a known customer, how often have they called, and the last calls (from the call records). */
    private CallView.Customer customer(long enterpriseId, String number) {
        if (number == null || number.isBlank()) return new CallView.Customer(false, 0, List.of());
        try {
            return jdbi.withHandle(h -> {
                long count = h.createQuery("SELECT COUNT(*) FROM call_record WHERE enterprise_id = :e AND caller = :n")
                        .bind("e", enterpriseId).bind("n", number).mapTo(Long.class).one();
                List<CallView.PastCall> last = h.createQuery("""
                        SELECT call_id, started_at, outcome, agent_job, queue, talk_seconds FROM call_record
                        WHERE enterprise_id = :e AND (caller = :n OR callee = :n) ORDER BY started_at DESC LIMIT 5""")
                        .bind("e", enterpriseId).bind("n", number)
                        .map((rs, x) -> new CallView.PastCall(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getInt(6))).list();
                return new CallView.Customer(count > 0, count, last);
            });
        } catch (RuntimeException e) {
            log.warn("customer lookup for {} failed: {}", number, e.toString());
            return new CallView.Customer(false, 0, List.of());
        }
    }

    // ================================================================ commands in

    private void command(WsContext ctx, Principal p, String text) {
        JsonNode in;
        try {
            in = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            send(ctx, error(null, "bad_request", "not JSON: " + e.getMessage()));
            return;
        }
        String id = in.path("id").isMissingNode() || in.path("id").isNull() ? null : in.path("id").asText();
        if (!in.isObject()) {
            send(ctx, error(id, "bad_request", "a JSON object is expected"));
            return;
        }
        if (in.path("v").asInt(0) != VERSION) {
            send(ctx, error(id, "unsupported_version", "this server speaks version " + VERSION));
            return;
        }
        String type = in.path("type").asText("");
        try {
            JsonNode result = run(p, type, in);
            ObjectNode ok = message("ok");
            if (id != null) ok.put("id", id);
            if (result != null) ok.set("result", result);
            send(ctx, ok);
        } catch (ApiException e) {
            send(ctx, error(id, codeOf(e), e.getMessage()));
        } catch (dev.hotline.domain.DomainException e) {
            send(ctx, error(id, codeOf(e), e.getMessage()));
        } catch (IllegalArgumentException e) {
            send(ctx, error(id, "bad_request", e.getMessage()));
        } catch (RuntimeException e) {
            log.warn("CTI command {} of user {} failed", type, p.userId(), e);
            send(ctx, error(id, "failed", e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    /** The CTI error code of a domain refusal (docs/cti.md lists them). */
    private static String codeOf(dev.hotline.domain.DomainException e) {
        return switch (e.kind()) {
            case BAD_REQUEST, INVALID -> "bad_request";
            case FORBIDDEN, UNAUTHENTICATED -> "forbidden";
            case NOT_FOUND -> "not_found";
            case CONFLICT -> "conflict";
            case TOO_MANY, UNAVAILABLE -> "failed";
        };
    }

    private static String codeOf(ApiException e) {
        if (java.util.List.of("unknown_type", "unsupported_version").contains(e.code())) return e.code();
        return switch (e.status()) {
            case 400 -> "bad_request";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 409 -> "conflict";
            default -> "failed";
        };
    }

    private JsonNode run(Principal p, String type, JsonNode in) {
        long e = p.enterpriseId();
        long u = p.userId();
        switch (type) {
            case "login" -> {
                Device.Kind kind = Device.Kind.parse(text(in, "device")).orElseThrow(() -> new IllegalArgumentException("device: sip, webrtc or external"));
                return Json.MAPPER.valueToTree(acd.login(e, u, new Device(kind, in.path("number").asText(null)), "agent"));
            }
            case "logout" -> {
                AgentView v = acd.logout(e, u, "agent");
                calls.webRtcDisconnect(Acd.webRtcKey(u));
                return Json.MAPPER.valueToTree(v);
            }
            case "webrtc.offer" -> {
                String sdp = text(in, "sdp");
                if (sdp.length() > 20_000) throw new IllegalArgumentException("sdp: too long");
                String answer = calls.webRtcConnect(Acd.webRtcKey(u), sdp);
                // The answer goes out once, as the webrtc.answer event of docs/cti.md.
                ObjectNode m = message("webrtc.answer");
                m.put("sdp", answer);
                toUser(u, m);
                return null;
            }
            case "state" -> {
                AgentState s = AgentState.parse(text(in, "state")).orElseThrow(() -> new IllegalArgumentException("state: ready or not_ready"));
                String reason = in.path("reason").asText(null);
                if (s == AgentState.NOT_READY) {
                    boolean known = jdbi.withHandle(h -> QueueStore.reasons(h, e)).stream().anyMatch(r -> r.code().equals(reason));
                    if (!known) throw new IllegalArgumentException("reason: one of the enterprise's reason codes");
                }
                return Json.MAPPER.valueToTree(acd.setState(e, u, s, reason, "agent"));
            }
            case "answer" -> {
                CallView c = own(u, in);
                if (!"ringing".equals(c.state())) throw new ApiException(409, "conflict", "the call is not ringing");
                AgentView a = acd.agentView(e, u).orElseThrow();
                if (!"webrtc".equals(a.device())) throw new ApiException(409, "conflict", "answer on your " + a.device() + " phone");
                leg(c).answer();
                return null;
            }
            case "reject" -> {
                CallView c = own(u, in);
                if (!"ringing".equals(c.state())) throw new ApiException(409, "conflict", "the call is not ringing");
                leg(c).hangup(HangupCause.CALL_REJECTED);
                return null;
            }
            case "hangup" -> {
                leg(own(u, in)).hangup(HangupCause.NORMAL_CLEARING);
                return null;
            }
            case "hold", "resume" -> {
                CallView c = talking(u, in);
                if (c.internal()) throw new ApiException(409, "conflict", "internal calls cannot be held");
                calls.hold(c.legId(), type.equals("hold"));
                update(c.with(type.equals("hold") ? "held" : "talking"), type.equals("hold") ? "call.held" : "call.resumed");
                return null;
            }
            case "mute" -> {
                CallView c = talking(u, in);
                if (c.internal()) throw new ApiException(409, "conflict", "internal calls cannot be muted");
                boolean m = in.path("muted").asBoolean(true);
                leg(c).mute(m);
                update(c.withMuted(m), "call.updated");
                return null;
            }
            case "dtmf" -> {
                CallView c = talking(u, in);
                String digits = text(in, "digits");
                if (!digits.matches("[0-9*#]{1,32}")) throw new IllegalArgumentException("digits: 0-9 * #, up to 32");
                calls.peer(c.legId()).orElseThrow(() -> new ApiException(409, "conflict", "no one to send keys to")).sendDtmf(digits);
                return null;
            }
            case "notes" -> {
                CallView c = own(u, in);
                String n = in.path("notes").asText("");
                if (n.length() > 2000) throw new IllegalArgumentException("notes: at most 2000 characters");
                notes.put(c.callId(), n);
                update(c.withNotes(n), "call.updated");
                return null;
            }
            case "transfer" -> {
                CallView c = talking(u, in);
                if (c.internal()) throw new ApiException(409, "conflict", "internal calls cannot be transferred");
                String to = text(in, "to");
                Channel caller = calls.peer(c.legId()).orElseThrow(() -> new ApiException(409, "conflict", "no one to transfer"));
                Optional<Long> colleague = calls.userOf(e, to);
                AgentView me = acd.agentView(e, u).orElseThrow();
                if (colleague.isPresent() && acd.agentView(e, colleague.get()).map(a -> a.state().signedIn()).orElse(false)) {
                    // AGENT-5: to a signed-in colleague through the ACD, with my job number and notes.
                    calls.transfer(e, c.legId(), null); // unbridges and ends my leg, keeps the caller
                    acd.transferToAgent(e, c.callId(), caller, c.caller(), colleague.get(),
                            new Acd.Transfer(u, me.jobNumber(), me.name(), notes.get(c.callId())));
                } else {
                    calls.transfer(e, c.legId(), to);
                }
                return null;
            }
            case "consult" -> {
                CallView c = talking(u, in);
                if (c.internal()) throw new ApiException(409, "conflict", "internal calls cannot be transferred");
                String other = calls.consult(e, u, c.legId(), text(in, "to"));
                update(c.withConsult(new CallView.Consultation(text(in, "to"), other, "ringing")).with("held"), "call.updated");
                ObjectNode r = Json.MAPPER.createObjectNode();
                r.put("consultLegId", other);
                return r;
            }
            case "complete", "conference", "cancel" -> {
                CallView c = own(u, in);
                if (c.consult() == null) throw new ApiException(409, "conflict", "no consultation in progress");
                if (type.equals("complete")) calls.completeConsult(c.legId());
                else if (type.equals("conference")) calls.conferenceConsult(c.legId());
                else calls.cancelConsult(c.legId());
                if (!type.equals("complete")) update(c.withConsult(null).with("talking"), "call.updated");
                return null;
            }
            case "dial" -> {
                String number = text(in, "number");
                if (!number.matches("\\+?[0-9*#]{2,32}")) throw new IllegalArgumentException("number: a phone number, extension or job number");
                AgentView a = acd.agentView(e, u).orElseThrow();
                if (a.device() == null) throw new ApiException(409, "conflict", "log in with a device first");
                Device d = new Device(Device.Kind.parse(a.device()).orElseThrow(), a.deviceNumber());
                String leg = calls.dial(e, u, d, number);
                ObjectNode r = Json.MAPPER.createObjectNode();
                r.put("legId", leg);
                return r;
            }
            default -> throw new ApiException(400, "unknown_type", "unknown message type '" + type + "'");
        }
    }

    /** Registers a leg of the agent's own call (click-to-dial) so that the desk follows it. */
    public void ownCall(long enterpriseId, long userId, String callId, String legId, String direction, String number) {
        out.execute(() -> {
            CallView.Customer who = watching(userId) ? customer(enterpriseId, number) : CallView.Customer.UNKNOWN;
            announce(new CallView(enterpriseId, userId, callId, legId, direction, "ringing", number, null, null, 0,
                    "internal".equals(direction), false, who, null, null));
        });
    }

    private CallView own(long userId, JsonNode in) {
        String leg = text(in, "legId");
        CallView c = legs.get(leg);
        if (c == null || c.userId() != userId) throw ApiException.notFound("call");
        return c;
    }

    private CallView talking(long userId, JsonNode in) {
        CallView c = own(userId, in);
        if (!"talking".equals(c.state()) && !"held".equals(c.state())) throw new ApiException(409, "conflict", "the call is not answered");
        return c;
    }

    private Channel leg(CallView c) {
        return calls.channel(c.legId()).orElseThrow(() -> ApiException.notFound("call"));
    }

    private static String text(JsonNode in, String field) {
        JsonNode n = in.get(field);
        if (n == null || n.isNull() || n.asText().isBlank()) throw new IllegalArgumentException(field + " is required");
        return n.asText();
    }

    // ================================================================ plumbing

    private static ObjectNode message(String type) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("v", VERSION);
        m.put("type", type);
        return m;
    }

    private static ObjectNode callMessage(String type, CallView c) {
        ObjectNode m = message(type);
        m.set("call", Json.MAPPER.valueToTree(c));
        return m;
    }

    private static ObjectNode error(String id, String code, String text) {
        ObjectNode m = message("error");
        if (id != null) m.put("id", id);
        m.put("code", code);
        m.put("message", text);
        return m;
    }

    private void toUser(long userId, ObjectNode m) {
        WsContext ctx = sessions.get(userId);
        if (ctx != null) send(ctx, m);
    }

    private static void send(WsContext ctx, ObjectNode m) {
        try {
            if (ctx.session.isOpen()) ctx.send(Json.MAPPER.writeValueAsString(m));
        } catch (Exception e) {
            log.debug("CTI send failed: {}", e.toString());
        }
    }

    /** Connected agents (tests, monitoring). */
    public int connected() {
        return sessions.size();
    }

    /** True while the user has a desk (CTI connection) open: only then is a call of theirs worth following. */
    public boolean watching(long userId) {
        return sessions.containsKey(userId);
    }

    public void close() {
        out.shutdownNow();
    }
}
