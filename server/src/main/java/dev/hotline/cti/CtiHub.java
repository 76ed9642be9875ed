package dev.hotline.cti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.acd.Acd;
import dev.hotline.acd.AgentDesk;
import dev.hotline.acd.AgentView;
import dev.hotline.acd.Device;
import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import dev.hotline.domain.DomainException;
import dev.hotline.ice.WebRtcSettings;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.login.Auth;
import dev.hotline.masking.Masking;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsHandlerType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CTI channel (API-2, docs/cti.md): one authenticated WebSocket per agent carrying agent state
 * and call events out, and commands in. This class is the transport only: authentication, JSON in
 * and out, and the CTI error code of a refusal. What a command does is {@link AgentCommands}; the
 * calls a desk shows are {@link DeskCalls}. Events are sent from one thread of its own, so neither
 * the dispatcher nor the engine ever waits for a browser; every command gets exactly one reply.
 */
public final class CtiHub implements Acd.Listener, DeskCalls.Out {
    private static final Logger log = LoggerFactory.getLogger(CtiHub.class);
    public static final String PATH = "/api/v1/cti";
    private static final String PRINCIPAL = "hotline.cti.principal";
    static final int VERSION = 1;

    /** What the hub needs of the call router to control calls. */
    public interface Calls {
        Optional<Channel> channel(String id);

        /** The number the caller of call {@code callId} dialled and their IVR path so far (issue 13 item 7). */
        CallView.Path path(String callId);

        /** The caller's leg bridged with {@code agentLeg}, if any. */
        Optional<Channel> peer(String agentLeg);

        /** The enterprise's music on hold. */
        Path musicFolder(long enterpriseId);

        /** Blind transfer of the party talking to {@code agentLeg} to an extension or an outside number. */
        void transfer(long enterpriseId, String agentLeg, String to);

        /** Click-to-dial: rings the agent's device, then {@code number}; returns the agent's leg id. */
        String dial(long enterpriseId, long userId, Device device, String number);

        /**
         * PBX-4 pickup for user {@code userId}: rings their {@code device} (null: their extension's phone) and gives it the call
         * ringing {@code extension} once answered, or with {@code extension} null the longest-ringing one of their extension's
         * pickup group; returns the user's leg id.
         */
        String pickup(long enterpriseId, long userId, Device device, String extension);

        /** The user behind a job number or extension of the enterprise, if any. */
        Optional<Long> userOf(long enterpriseId, String jobOrExtension);

        /**
         * Opens (or replaces, after a reload) the browser's persistent connection; returns the SDP answer. {@code opus}:
         * Opus when the browser offers it, else G.711 (MEDIA-6 switch).
         */
        String webRtcConnect(String key, String offerSdp, boolean opus);

        /** The audio format of the browser's connection ({@code opus}, {@code PCMU}, {@code PCMA}), if one is open. */
        Optional<String> webRtcCodec(String key);

        boolean webRtcConnected(String key);

        void webRtcDisconnect(String key);

        /** Holds or resumes the party talking to the agent's leg (logged in the call). */
        void hold(String agentLeg, boolean held);

        /** Puts the customer on hold and calls {@code to} for the agent; returns the consulted leg's id. */
        String consult(long enterpriseId, long userId, String agentLeg, String to);

        void completeConsult(String agentLeg);

        void conferenceConsult(String agentLeg);

        void cancelConsult(String agentLeg);

        /**
         * AGENT-3: moves the call on {@code agentLeg} to the agent's {@code device} (the customer stays; the old leg ends
         * once the new device answers); returns the new device's leg id.
         */
        String switchDevice(long enterpriseId, long userId, String agentLeg, Device device);

        /** IVR-4: the enterprise's flows an agent may send a caller into for verification. */
        List<String> verificationFlows(long enterpriseId);

        /** IVR-4: sends the caller talking to {@code agentLeg} into verification flow {@code flow}. */
        void verify(long enterpriseId, long userId, String agentLeg, String flow);
    }

    /**
     * IVR-4 news of a verification for the agent's desk (event {@code call.verification}): {@code status} started,
     * returned (the caller is back, with the flow's {@code result} and {@code variables}) or caller_left.
     */
    public record VerificationNews(String legId, String callId, String flow, String status, String result, Map<String, String> variables) {}

    private final Jdbi jdbi;
    private final Auth auth;
    private final DeskCalls deskCalls;
    private final Masking masking;
    private final AgentCommands commands;
    private volatile Calls calls;
    private final ExecutorService out = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hotline-cti");
        t.setDaemon(true);
        return t;
    });
    /** user id → the agent's connection. */
    private final Map<Long, WsContext> sessions = new ConcurrentHashMap<>();
    private final Map<String, Principal> bySession = new ConcurrentHashMap<>();
    /** agent's leg id → the supervision mode the agent was told of (SUP-2), so that a reloaded desk is told again. */
    private final Map<String, String> supervisedLegs = new ConcurrentHashMap<>();

    public CtiHub(Jdbi jdbi, Auth auth, Acd acd, AgentDesk desk, Masking masking) {
        this.jdbi = jdbi;
        this.auth = auth;
        this.masking = masking;
        this.deskCalls = new DeskCalls(jdbi, out, this);
        this.commands = new AgentCommands(desk, acd, deskCalls, masking);
        acd.addListener(this);
    }

    public void attach(Calls calls) {
        this.calls = calls;
        commands.attach(calls);
    }

    /** Mounts the WebSocket: the upgrade is refused (401/403) without a session or token of a user with agent.desk. */
    public void mount(RoutesConfig routes) {
        routes.addHttpHandler(HandlerType.WEBSOCKET_BEFORE_UPGRADE, PATH, ctx -> {
            Principal p = resolve(ctx.header("Authorization"), ctx.cookie(WebServer.SESSION_COOKIE))
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
        deskCalls.offered(enterpriseId, userId, o);
    }

    @Override
    public void call(long userId, String type, CallView call, String cause) {
        ObjectNode m = message(type);
        m.set("call", Json.MAPPER.valueToTree(call));
        if (cause != null) m.put("cause", cause);
        toUser(userId, m);
    }

    @Override
    public void moved(long userId, String fromLeg, CallView call, String device) {
        ObjectNode m = message("call.moved");
        m.set("call", Json.MAPPER.valueToTree(call));
        m.put("from", fromLeg).put("device", device);
        toUser(userId, m);
    }

    @Override
    public void moveFailed(long userId, CallView call, String device, String why) {
        ObjectNode m = message("call.moveFailed");
        m.set("call", Json.MAPPER.valueToTree(call));
        m.put("device", device).put("reason", why);
        toUser(userId, m);
    }

    /**
     * MEDIA-6: the enterprise switched Opus on or off. Each of its desks whose browser phone is connected with the other
     * codec is told {@code webrtc.reoffer}: the phone offers again when it has no call, so its next call has the codec
     * now in force (a call in progress keeps its own).
     */
    public void webRtcSettingsChanged(long enterpriseId) {
        boolean opus = jdbi.withHandle(h -> WebRtcSettings.load(h, enterpriseId)).opus();
        out.execute(() -> {
            Calls c = calls;
            if (c == null) return;
            for (Principal p : java.util.Set.copyOf(bySession.values())) {
                if (p.enterpriseId() != enterpriseId) continue;
                boolean stale = c.webRtcCodec(Acd.webRtcKey(p.userId())).map(codec -> codec.equals("opus") != opus).orElse(false);
                if (stale) toUser(p.userId(), message("webrtc.reoffer").put("opus", opus));
            }
        });
    }

    @Override
    public void webRtcState(long userId, String key) {
        toUser(userId, message("webrtc.state").put("connected", calls.webRtcConnected(key)));
    }

    /**
     * SUP-2, where the enterprise tells agents: a supervisor is on the agent's call {@code legId} in {@code mode}
     * (listen, whisper, barge), or left it ({@code mode} null).
     */
    public void supervised(long userId, String legId, String mode) {
        if (mode == null) supervisedLegs.remove(legId);
        else supervisedLegs.put(legId, mode);
        ObjectNode m = message("call.supervised").put("legId", legId);
        if (mode == null) m.putNull("mode");
        else m.put("mode", mode);
        out.execute(() -> toUser(userId, m));
    }

    /** A connected desk: its connection's key, enterprise and user. */
    public record Connection(String key, long enterpriseId, long userId) {}

    /** The desks connected now whose user holds {@code permission}. */
    public List<Connection> connectedWith(Permission permission) {
        List<Connection> out = new ArrayList<>();
        bySession.forEach((key, p) -> {
            if (p.can(permission)) out.add(new Connection(key, p.enterpriseId(), p.userId()));
        });
        return out;
    }

    /** Sends the connection {@code key} a message of {@code type} with {@code fields} (each value as JSON). */
    public void sendTo(String key, String type, Map<String, Object> fields) {
        ObjectNode m = message(type);
        fields.forEach((f, v) -> m.set(f, Json.MAPPER.valueToTree(v)));
        out.execute(() -> {
            Principal p = bySession.get(key);
            WsContext ctx = p == null ? null : sessions.get(p.userId());
            if (ctx != null && ctx.sessionId().equals(key)) send(ctx, m);
        });
    }

    /**
     * MSG-4: the caller of the agent's call {@code callId} answered the satisfaction survey, or left it ({@code result}
     * answered, partial, no_input or hangup; {@code score} and {@code reason} the keys pressed, null when none): the desk
     * shows it in its call history.
     */
    public void surveyed(long userId, String callId, String result, Integer score, Integer reason) {
        ObjectNode m = message("call.surveyed").put("callId", callId).put("result", result);
        if (score == null) m.putNull("score");
        else m.put("score", score);
        if (reason == null) m.putNull("reason");
        else m.put("reason", reason);
        out.execute(() -> toUser(userId, m));
    }

    /**
     * IVR-4: the desk's call shows "verifying" while the caller is in the flow and "talking" once they are back; the desk
     * is sent {@code call.verification} with the news.
     */
    public void verification(long userId, VerificationNews news) {
        ObjectNode m = message("call.verification");
        m.put("legId", news.legId()).put("callId", news.callId()).put("flow", news.flow()).put("status", news.status());
        if (news.result() == null) m.putNull("result");
        else m.put("result", news.result());
        m.set("variables", Json.MAPPER.valueToTree(news.variables()));
        out.execute(() -> {
            CallView v = deskCalls.get(news.legId());
            if (v != null && news.status().equals("started")) deskCalls.update(v.with("verifying"), "call.updated");
            else if (v != null && news.status().equals("returned")) deskCalls.update(v.with("talking"), "call.updated");
            toUser(userId, m);
        });
    }

    /** The call as the desk of the agent on leg {@code legId} sees it (an agent's leg of a queue call, a transfer, a consultation), if any. */
    public Optional<CallView> deskCall(String legId) {
        return deskCalls.deskCall(legId);
    }

    /** Called before a consulted leg is placed, so that its answer or end reaches the consulting agent's desk. */
    public void consulting(String consultedLeg, String agentLeg) {
        deskCalls.consulting(consultedLeg, agentLeg);
    }

    /** Called before an agent's leg is placed, so that its events are kept until the desk has been told of the call. */
    public void expectLeg(String legId) {
        deskCalls.expectLeg(legId);
    }

    /** Registers a leg of the agent's own call (click-to-dial) so that the desk follows it. */
    public void ownCall(long enterpriseId, long userId, String callId, String legId, String direction, String number) {
        deskCalls.ownCall(enterpriseId, userId, callId, legId, direction, number);
    }

    /** AGENT-3: the agent's call moved from {@code oldLeg} to {@code newLeg} on their {@code device}; the desk follows. */
    public void legMoved(String oldLeg, String newLeg, String device) {
        deskCalls.moved(oldLeg, newLeg, device);
    }

    /** AGENT-3: the other device did not take the call; it stays on {@code agentLeg}. */
    public void legMoveFailed(String agentLeg, String device, String why) {
        deskCalls.moveFailed(agentLeg, device, why);
    }

    /** Engine events: the desks' calls and browser phones follow them. */
    public void onEvent(CallEvent e) {
        if (e instanceof CallEvent.ChannelHungUp) supervisedLegs.remove(e.channelId());
        deskCalls.onEvent(e);
    }

    private void hello(WsContext ctx, Principal p) {
        AgentCommands.Hello h = commands.hello(p.enterpriseId(), p.userId());
        ObjectNode m = message("hello");
        m.set("agent", Json.MAPPER.valueToTree(h.agent()));
        var list = m.putArray("calls");
        ObjectNode supervised = m.putObject("supervised");
        for (CallView c : h.calls()) {
            list.add(Json.MAPPER.valueToTree(c));
            String mode = c.legId() == null ? null : supervisedLegs.get(c.legId());
            if (mode != null) supervised.put(c.legId(), mode);
        }
        var reasons = m.putArray("reasons");
        h.reasons().forEach(r -> reasons.addObject().put("code", r.code()).put("name", r.name()));
        m.putObject("webrtc").put("connected", h.webRtcConnected());
        m.put("serverTime", java.time.Instant.now().toString()); // the desk's call timers correct for its own clock by it
        send(ctx, m);
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
        } catch (DomainException e) {
            send(ctx, error(id, codeOf(e), e.getMessage()));
        } catch (IllegalArgumentException e) {
            send(ctx, error(id, "bad_request", e.getMessage()));
        } catch (RuntimeException e) {
            log.warn("CTI command {} of user {} failed", type, p.userId(), e);
            send(ctx, error(id, "failed", e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    /** The CTI error code of a domain refusal (docs/cti.md lists them). */
    private static String codeOf(DomainException e) {
        if (List.of(UNKNOWN_TYPE, "unsupported_version").contains(e.code())) return e.code();
        return switch (e.kind()) {
            case BAD_REQUEST, INVALID -> "bad_request";
            case FORBIDDEN, UNAUTHENTICATED -> "forbidden";
            case NOT_FOUND -> "not_found";
            case CONFLICT -> "conflict";
            case TOO_MANY, UNAVAILABLE -> "failed";
        };
    }

    private static final String UNKNOWN_TYPE = "unknown_type";
    private static final Pattern OFFER_UFRAG = Pattern.compile("(?m)^a=ice-ufrag:(\\S+)");

    /** Runs one command message; returns its result, if any. */
    private JsonNode run(Principal p, String type, JsonNode in) {
        long e = p.enterpriseId();
        long u = p.userId();
        switch (type) {
            case "login" -> {
                return Json.MAPPER.valueToTree(commands.login(e, u, in.path("device").asText(null), in.path("number").asText(null)));
            }
            case "logout" -> {
                return Json.MAPPER.valueToTree(commands.logout(e, u));
            }
            case "webrtc.offer" -> {
                String offer = text(in, "sdp");
                boolean opus = jdbi.withHandle(h -> WebRtcSettings.load(h, e)).opus();
                String answer = commands.webRtcOffer(u, offer, opus);
                // The answer goes out once, as the webrtc.answer event of docs/cti.md, naming the offer's ICE ufrag: a page
                // that made a newer offer meanwhile (a retry while this one was slow) knows the answer is not for it.
                Matcher ufrag = OFFER_UFRAG.matcher(offer);
                ObjectNode m = message("webrtc.answer").put("sdp", answer);
                if (ufrag.find()) m.put("offerUfrag", ufrag.group(1));
                toUser(u, m);
                return null;
            }
            case "state" -> {
                return Json.MAPPER.valueToTree(commands.state(e, u, in.path("state").asText(null), in.path("reason").asText(null)));
            }
            case "answer" -> commands.answer(e, u, text(in, "legId"));
            case "reject" -> commands.reject(u, text(in, "legId"));
            case "hangup" -> commands.hangup(u, text(in, "legId"));
            case "hold", "resume" -> commands.hold(u, text(in, "legId"), type.equals("hold"));
            case "mute" -> commands.mute(u, text(in, "legId"), in.path("muted").asBoolean(true));
            case "dtmf" -> commands.dtmf(u, text(in, "legId"), text(in, "digits"));
            case "notes" -> commands.notes(u, text(in, "legId"), in.path("notes").asText(""));
            case "transfer" -> commands.transfer(e, u, text(in, "legId"), text(in, "to"));
            case "consult" -> {
                ObjectNode r = Json.MAPPER.createObjectNode();
                r.put("consultLegId", commands.consult(e, u, text(in, "legId"), text(in, "to")));
                return r;
            }
            case "complete" -> commands.endConsult(u, text(in, "legId"), AgentCommands.ConsultEnd.COMPLETE);
            case "conference" -> commands.endConsult(u, text(in, "legId"), AgentCommands.ConsultEnd.CONFERENCE);
            case "cancel" -> commands.endConsult(u, text(in, "legId"), AgentCommands.ConsultEnd.CANCEL);
            case "verify" -> commands.verify(e, u, text(in, "legId"), text(in, "flow"));
            case "device.switch" -> {
                ObjectNode r = Json.MAPPER.createObjectNode();
                r.put("legId", commands.switchDevice(e, u, text(in, "legId"), text(in, "device"), in.path("number").asText("")));
                return r;
            }
            case "verification.flows" -> {
                return Json.MAPPER.valueToTree(commands.verificationFlows(e));
            }
            case "dial" -> {
                ObjectNode r = Json.MAPPER.createObjectNode();
                r.put("legId", commands.dial(e, u, text(in, "number")));
                return r;
            }
            default -> throw new DomainException(DomainException.Kind.BAD_REQUEST, UNKNOWN_TYPE, "unknown message type '" + type + "'");
        }
        return null;
    }

    private static String text(JsonNode in, String field) {
        JsonNode n = in.get(field);
        if (n == null || n.isNull() || n.asText().isBlank()) throw DomainException.badRequest(field + " is required");
        return n.asText();
    }

    // ================================================================ plumbing

    private static ObjectNode message(String type) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("v", VERSION);
        m.put("type", type);
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

    /** Every message to a desk goes out here, its numbers as the desk's user may see them (CRM-5). */
    private void send(WsContext ctx, ObjectNode m) {
        try {
            Principal p = bySession.get(ctx.sessionId());
            Object shown = p == null ? m : masking.forViewer(p).json(m);
            if (ctx.session.isOpen()) ctx.send(Json.MAPPER.writeValueAsString(shown));
        } catch (Exception e) {
            log.debug("CTI send failed: {}", e.toString());
        }
    }

    /**
     * API-1: runs a desk command for the HTTP call-control routes ({@link CallControlRoutes}) on the CTI thread, in order
     * with the desks' own commands, and returns its result. Refusals are the command's own {@link DomainException}s.
     */
    public <T> T run(Function<AgentCommands, T> command) {
        CompletableFuture<T> f = CompletableFuture.supplyAsync(() -> command.apply(commands), out);
        try {
            return f.get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw DomainException.unavailable("timeout", "the call control did not answer within " + COMMAND_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DomainException.unavailable("interrupted", "interrupted");
        }
    }

    static final int COMMAND_TIMEOUT_SECONDS = 15;

    /** Connected agents (tests, monitoring). */
    public int connected() {
        return sessions.size();
    }

    @Override
    public CallView.Path path(String callId) {
        Calls c = calls;
        return c == null ? CallView.Path.NONE : c.path(callId);
    }

    /** True while the user has a desk (CTI connection) open: only then is a call of theirs worth following. */
    @Override
    public boolean watching(long userId) {
        return sessions.containsKey(userId);
    }

    public void close() {
        out.shutdownNow();
    }
}
