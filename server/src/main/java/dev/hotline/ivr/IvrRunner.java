package dev.hotline.ivr;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.Recording;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Runs flows on calls (IVR-1): one session per channel in a flow, fed with that channel's events. */
public final class IvrRunner {
    private final Ivr ivr;
    private final Clock clock;
    private final Map<String, IvrSession> sessions = new ConcurrentHashMap<>();
    /** Calls recording a prompt by phone (IVR-2), by channel. */
    private final Map<String, PhonePrompts.Session> recorders = new ConcurrentHashMap<>();

    public IvrRunner(Ivr ivr, Clock clock) {
        this.ivr = ivr;
        this.clock = clock;
    }

    /** Answers {@code channel} and runs {@code graph} on it. */
    public void start(long enterpriseId, String callId, Channel channel, String flowName, Flow.Graph graph, IvrHost host) {
        start(enterpriseId, callId, channel, flowName, graph, host, false);
    }

    /** Runs {@code graph} on {@code channel}, answering it first unless it is {@code answered} already. */
    public void start(long enterpriseId, String callId, Channel channel, String flowName, Flow.Graph graph, IvrHost host, boolean answered) {
        IvrSession[] self = new IvrSession[1];
        IvrHost forgetting = new IvrHost() {
            public void logNode(String c, String ch, String f, String n, String t) { host.logNode(c, ch, f, n, t); }
            public void logKey(String c, String ch, String f, String n, String k) { host.logKey(c, ch, f, n, k); }
            public boolean transfer(String c, Channel ch, String t, String v) { return host.transfer(c, ch, t, v); }
            public boolean transfer(String c, Channel ch, String t, String v, int p) { return host.transfer(c, ch, t, v, p); }
            public Flow.Graph publishedFlow(long e, String n) { return host.publishedFlow(e, n); }
            public boolean returnToAgent(String c, Channel ch, String r, Map<String, String> v) { return host.returnToAgent(c, ch, r, v); }
            public Path voicemailFile(String c, String bt, String b) { return host.voicemailFile(c, bt, b); }
            public void saveVoicemail(String c, String ch, String bt, String b, String caller, String cb, Recording r, Duration spoken) {
                host.saveVoicemail(c, ch, bt, b, caller, cb, r, spoken);
            }
            public void discardVoicemail(Recording r) { host.discardVoicemail(r); }
            public void ended(String ch) {
                // Only this session: the call may already be in a new one (a queue sending it on to voicemail).
                IvrSession mine = self[0];
                if (mine != null) sessions.remove(ch, mine);
                host.ended(ch);
            }
        };
        IvrSession s = new IvrSession(enterpriseId, callId, channel, flowName, graph, forgetting, ivr, clock);
        self[0] = s;
        sessions.put(channel.id(), s);
        if (answered) s.startAnswered();
        else s.start();
    }

    /**
     * Gives the event to the channel's session, if it is in a flow. True when the event belongs only
     * to the IVR (playback, digits); answers and hang-ups are the router's to log too.
     */
    public boolean onEvent(CallEvent e) {
        PhonePrompts.Session r = recorders.get(e.channelId());
        if (r != null) {
            if (r.onEvent(e)) recorders.remove(e.channelId());
            return e instanceof CallEvent.PlaybackFinished || e instanceof CallEvent.DigitsCollected || e instanceof CallEvent.DtmfReceived;
        }
        IvrSession s = sessions.get(e.channelId());
        if (s == null) return false;
        s.onEvent(e);
        return e instanceof CallEvent.PlaybackFinished || e instanceof CallEvent.DigitsCollected || e instanceof CallEvent.DtmfReceived;
    }

    /** Starts recording a prompt by phone on the session's channel. */
    void record(PhonePrompts.Session s) {
        recorders.put(s.channelId(), s);
        s.start();
    }

    Ivr ivr() {
        return ivr;
    }

    public int active() {
        return sessions.size() + recorders.size();
    }
}
