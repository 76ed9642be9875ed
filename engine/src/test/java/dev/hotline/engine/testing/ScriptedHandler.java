package dev.hotline.engine.testing;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.TelephonyEngine;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A call handler whose behaviour each test sets, keeping every event it was given. */
public final class ScriptedHandler implements CallHandler {
    public volatile TelephonyEngine engine;
    public volatile Consumer<CallEvent.IncomingCall> onIncoming = c -> c.channel().reject(404);
    public volatile Consumer<CallEvent> onEvent = e -> { };
    public final List<CallEvent> events = new CopyOnWriteArrayList<>();

    /** Back to the start of a test: no events kept, calls refused with 404, events ignored. */
    public void reset() {
        events.clear();
        onEvent = e -> { };
        onIncoming = c -> c.channel().reject(404);
    }

    @Override
    public void onIncomingCall(CallEvent.IncomingCall call) {
        events.add(call);
        onIncoming.accept(call);
    }

    @Override
    public void onEvent(CallEvent event) {
        events.add(event);
        onEvent.accept(event);
    }

    public <T extends CallEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends CallEvent> List<T> events(Class<T> type, String channelId) {
        return events(type).stream().filter(e -> e.channelId().equals(channelId)).toList();
    }
}
