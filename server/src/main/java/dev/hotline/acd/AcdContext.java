package dev.hotline.acd;

import dev.hotline.ivr.Ivr;
import dev.hotline.report.AgentLogEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** What the parts of the ACD share: its thread, clock, host, listeners and the configuration in force. */
final class AcdContext {
    final AcdThread thread;
    final Clock clock;
    final Ivr ivr;
    final Consumer<AgentLogEvent> agentLog;
    final List<Acd.Listener> listeners = new CopyOnWriteArrayList<>();
    /** Set once by {@link Acd#start}. */
    volatile Acd.Host host;
    /** The configuration the dispatcher works with (dispatcher thread only). */
    AcdConfig config = AcdConfig.EMPTY;
    /** The snapshot other threads use to accept or refuse a queue at once. */
    volatile AcdConfig published = AcdConfig.EMPTY;

    AcdContext(AcdThread thread, Clock clock, Ivr ivr, Consumer<AgentLogEvent> agentLog) {
        this.thread = thread;
        this.clock = clock;
        this.ivr = ivr;
        this.agentLog = agentLog;
    }

    Instant now() {
        return clock.instant();
    }

    AcdConfig.Tenant tenant(long enterpriseId) {
        return config.tenant(enterpriseId);
    }

    /** The queue of that id, or null when it was deleted meanwhile. */
    Queue queue(long enterpriseId, long queueId) {
        return config.tenant(enterpriseId).queues().get(queueId);
    }
}
