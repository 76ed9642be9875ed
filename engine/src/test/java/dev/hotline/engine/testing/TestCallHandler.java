package dev.hotline.engine.testing;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny routing plan for tests: caller 666 is blacklisted (603); 2xxx → registered contact;
 * users in {@link #routes} → SIPp UAS at 127.0.0.1:port (8xxx with caller id 5551234); 95xx with a 1 s
 * ring timeout; anything else 404. Transfers go to {@link #routes} too.
 */
public final class TestCallHandler implements CallHandler {
    public volatile TelephonyEngine engine;
    private final String domain;
    public final Map<String, Integer> routes = new ConcurrentHashMap<>();
    /** Users dialled to a target of the test's own (a TLS carrier...), before any other rule. */
    public final Map<String, Target> targets = new ConcurrentHashMap<>();
    /** Users answered by the engine itself, as a queue or an IVR would (no bridge); the caller hangs up. */
    public final Set<String> answerLocally = ConcurrentHashMap.newKeySet();
    public final Map<String, Channel> channels = new ConcurrentHashMap<>();
    public final List<CallEvent> events = new CopyOnWriteArrayList<>();

    public TestCallHandler(String domain) {
        this.domain = domain;
    }

    @Override
    public void onIncomingCall(CallEvent.IncomingCall call) {
        events.add(call);
        Channel in = call.channel();
        channels.put(in.id(), in);
        String user = call.callee().user();
        if ("666".equals(call.caller().user())) {
            in.reject(603);
            return;
        }
        if (answerLocally.contains(user)) {
            in.answer();
            return;
        }
        DialRequest req;
        if (targets.containsKey(user)) {
            req = DialRequest.to(targets.get(user));
        } else if (user.startsWith("2")) {
            req = DialRequest.to(new Target.Registered(domain, user));
        } else if (routes.containsKey(user)) {
            req = DialRequest.to(Target.Uri.udp(user, "127.0.0.1", routes.get(user)));
            if (user.startsWith("8")) {
                req = req.withCallerId(new CallerId("5551234", "Hotline"));
            }
            if (user.startsWith("95")) {
                req = req.withTimeout(Duration.ofSeconds(1));
            }
        } else {
            in.reject(404);
            return;
        }
        Channel out = engine.dial(in, req);
        channels.put(out.id(), out);
    }

    @Override
    public void onEvent(CallEvent event) {
        events.add(event);
        if (event instanceof CallEvent.TransferRequested t && t.replacesChannelId().isPresent()) {
            t.transfer().acceptReplaces();
        } else if (event instanceof CallEvent.TransferRequested t) {
            Integer port = routes.get(t.referTo().user());
            if (port == null) {
                t.transfer().reject();
            } else {
                t.transfer().accept(DialRequest.to(Target.Uri.udp(t.referTo().user(), "127.0.0.1", port)));
            }
        }
        if (event instanceof CallEvent.ChannelBridged b) {
            engine.channel(b.otherChannelId()).ifPresent(c -> channels.put(c.id(), c));
        }
    }

    public <T extends CallEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public CallEvent.IncomingCall lastIncoming() {
        List<CallEvent.IncomingCall> l = events(CallEvent.IncomingCall.class);
        return l.get(l.size() - 1);
    }

    public List<CallEvent.ChannelHungUp> hangupsOf(String channelId) {
        return events(CallEvent.ChannelHungUp.class).stream().filter(h -> h.channelId().equals(channelId)).toList();
    }

    public void clear() {
        events.clear();
        channels.clear();
        routes.clear();
        targets.clear();
        answerLocally.clear();
    }
}
