package dev.hotline.call;

import dev.hotline.cti.CtiHub;
import dev.hotline.domain.DomainException;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.Recording;
import dev.hotline.ivr.Flow;
import dev.hotline.ivr.Ivr;
import dev.hotline.ivr.IvrHost;
import dev.hotline.ivr.IvrRunner;
import dev.hotline.recording.MediaFiles;
import dev.hotline.report.CallLogEvent;
import dev.hotline.routing.CallBook;
import dev.hotline.routing.CallBook.Call;
import dev.hotline.routing.RoutingData;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IVR-4, agent-initiated verification: during a call the agent sends the caller into a flow of the enterprise that ends
 * in a {@code return} node (e.g. a PIN keyed and compared with a customer field, or an HTTP lookup). The agent's leg is
 * split from the caller's and hears music; the caller runs the flow; at the {@code return} node the two are bridged again
 * and the agent's desk is told the result and the flow's variables. A caller hanging up during the flow ends the agent's
 * leg (the agent's state follows as after any call); an agent hanging up ends the caller's. Every step is an event of the
 * call ({@link CallLogEvent.Verification}, and the flow's nodes and keys).
 */
final class Verifications {
    private static final Logger log = LoggerFactory.getLogger(Verifications.class);

    private record Verification(long enterpriseId, long userId, String callId, String flow, Channel agent, Channel caller) {}

    private final RoutingData data;
    private final CallBook book;
    private final CtiHub cti;
    private final MediaFiles files;
    private final LegSplitter splitter;
    private final IvrRunner runner;
    /** The caller's leg → its verification, while the caller is in the flow. */
    private final Map<String, Verification> byCaller = new ConcurrentHashMap<>();
    /** The agent's leg → the verification it started. */
    private final Map<String, Verification> byAgent = new ConcurrentHashMap<>();

    Verifications(RoutingData data, CallBook book, CtiHub cti, MediaFiles files, LegSplitter splitter, Ivr ivr, Clock clock) {
        this.data = data;
        this.book = book;
        this.cti = cti;
        this.files = files;
        this.splitter = splitter;
        this.runner = new IvrRunner(ivr, clock);
    }

    /** The names of the enterprise's published flows an agent may send a caller into (those with a return node), sorted. */
    List<String> flows(long enterpriseId) {
        return data.publishedFlows(enterpriseId).entrySet().stream().filter(e -> Flow.returnsToAgent(e.getValue()))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** Sends the caller talking to {@code agentLeg} into {@code flowName}; the agent hears music until the caller is back. */
    void start(long enterpriseId, long userId, String agentLeg, String flowName) {
        if (byAgent.containsKey(agentLeg)) throw DomainException.conflict("the caller is already in a verification");
        Flow.Graph graph = data.publishedFlows(enterpriseId).get(flowName);
        if (graph == null) throw DomainException.invalid("flow", "no published flow of that name");
        if (!Flow.returnsToAgent(graph)) throw DomainException.invalid("flow", "has no 'return to agent' node");
        Channel agent = data.engine().channel(agentLeg).orElseThrow(() -> DomainException.notFound("call"));
        Channel caller = agent.bridgedWith().orElseThrow(() -> DomainException.conflict("no one to verify"));
        Call c = book.find(caller.id()).orElseThrow(() -> DomainException.notFound("call"));
        Verification v = new Verification(enterpriseId, userId, c.callId(), flowName, agent, caller);
        byAgent.put(agentLeg, v);
        byCaller.put(caller.id(), v);
        try {
            splitter.split(agent, "the call could not be split for the verification");
        } catch (RuntimeException e) {
            byAgent.remove(agentLeg);
            byCaller.remove(caller.id());
            throw e;
        }
        agent.hold(files.musicFolder(enterpriseId));
        record(v, "started", null);
        cti.verification(userId, new CtiHub.VerificationNews(agentLeg, c.callId(), flowName, "started", null, Map.of()));
        caller.clearDigits(); // keys pressed while talking to the agent are no answer to the flow
        runner.start(enterpriseId, c.callId(), caller, flowName, graph, host(v), true);
    }

    /** The flow's host: its steps go into the call's record; it cannot transfer; its return brings the caller back. */
    private IvrHost host(Verification v) {
        return new IvrHost() {
            public void logNode(String callId, String channelId, String flow, String node, String type) {
                book.find(channelId).ifPresent(c -> book.record(c, new CallLogEvent.IvrNode(c.enterpriseId(), callId, book.now(), channelId,
                        flow, node, type)));
            }

            public void logKey(String callId, String channelId, String flow, String node, String key) {
                book.find(channelId).ifPresent(c -> book.record(c, new CallLogEvent.IvrKey(c.enterpriseId(), callId, book.now(), channelId,
                        flow, node, key)));
            }

            public boolean transfer(String callId, Channel channel, String target, String value) {
                return false; // a verification flow ends by returning to the agent
            }

            public Flow.Graph publishedFlow(long enterpriseId, String name) {
                return data.publishedFlows(enterpriseId).get(name);
            }

            public boolean returnToAgent(String callId, Channel channel, String result, Map<String, String> variables) {
                return back(v, result, variables);
            }

            public void ended(String channelId) {
                // the verification's own events end it
            }

            public Path voicemailFile(String callId, String boxType, String box) {
                return files.voicemailFile(v.enterpriseId(), boxType, box, callId);
            }

            public void saveVoicemail(String callId, String channelId, String boxType, String box, String caller, String callback,
                                      Recording recording, Duration spoken) {
                book.find(channelId).ifPresent(c -> book.log(new CallLogEvent.VoicemailLeft(c.enterpriseId(), callId, book.now(), channelId,
                        boxType, box, caller, callback, recording.path(), spoken.toMillis())));
            }

            public void discardVoicemail(Recording recording) {
                // left to the recording's retention
            }
        };
    }

    /** The flow reached its return node: the caller and the agent are bridged again and the desk is told the result. */
    private boolean back(Verification v, String result, Map<String, String> variables) {
        if (!byCaller.remove(v.caller().id(), v)) return false;
        byAgent.remove(v.agent().id(), v);
        if (v.agent().state().isFinal()) {
            v.caller().hangup(HangupCause.NORMAL_CLEARING);
            return true;
        }
        v.agent().unhold();
        data.engine().bridge(v.caller(), v.agent());
        record(v, "returned", result);
        cti.verification(v.userId(), new CtiHub.VerificationNews(v.agent().id(), v.callId(), v.flow(), "returned", result, variables));
        return true;
    }

    private void record(Verification v, String status, String result) {
        book.find(v.caller().id()).ifPresent(c -> book.record(c, new CallLogEvent.Verification(v.enterpriseId(), v.callId(), book.now(),
                v.caller().id(), v.agent().id(), v.flow(), status, result)));
    }

    /** Every call event: the flow's, and hang-ups of either side during a verification. */
    void onEvent(CallEvent e) {
        if (byCaller.containsKey(e.channelId())) runner.onEvent(e);
        if (!(e instanceof CallEvent.ChannelHungUp)) return;
        Verification v = byCaller.remove(e.channelId());
        if (v != null) {
            byAgent.remove(v.agent().id(), v);
            log.info("call {}: the caller hung up during verification flow {}", v.callId(), v.flow());
            record(v, "caller_left", null);
            cti.verification(v.userId(), new CtiHub.VerificationNews(v.agent().id(), v.callId(), v.flow(), "caller_left", null, Map.of()));
            if (!v.agent().state().isFinal()) v.agent().hangup(HangupCause.NORMAL_CLEARING);
            return;
        }
        v = byAgent.remove(e.channelId());
        if (v != null && byCaller.remove(v.caller().id(), v)) {
            record(v, "agent_left", null);
            if (!v.caller().state().isFinal()) v.caller().hangup(HangupCause.NORMAL_CLEARING);
        }
    }
}
