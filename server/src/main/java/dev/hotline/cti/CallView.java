package dev.hotline.cti;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.hotline.acd.Acd;
import dev.hotline.report.CallRecordStore;
import java.time.Instant;
import java.util.List;

/**
 * A call as the agent desk sees it (docs/cti.md "Call"): one per agent leg. {@code startedAt}: when the leg began
 * (offered to the agent or dialled); {@code answeredAt}: when the agent and the other party started talking (for a queue
 * call, when the caller was bridged), null before. Both are the server's instants, so the desk's call timer is the same
 * after a reload and in another browser.
 */
public record CallView(@JsonIgnore long enterpriseId, @JsonIgnore long userId, String callId, String legId, String direction, String state,
                       String caller, String callerName, String queue, long waitedSeconds, boolean internal, boolean muted,
                       Customer customer, Acd.Transfer transfer, String notes, Consultation consult, Path path, Instant startedAt,
                       Instant answeredAt) {

    public CallView(long enterpriseId, long userId, String callId, String legId, String direction, String state, String caller,
                    String callerName, String queue, long waitedSeconds, boolean internal, boolean muted, Customer customer,
                    Acd.Transfer transfer, String notes, Instant startedAt) {
        this(enterpriseId, userId, callId, legId, direction, state, caller, callerName, queue, waitedSeconds, internal, muted, customer,
                transfer, notes, null, Path.NONE, startedAt, null);
    }

    /**
     * How the caller got here (issue 13 item 7): the number they dialled and the IVR nodes and keys on the way; for a call from
     * the "call us" widget (API-3), the web page the visitor called from.
     */
    public record Path(String dialled, String ivrPath, String page) {
        public static final Path NONE = new Path(null, null, null);
    }

    /** A consultation in progress from this call: the consulted number, its leg, and whether it rings or talks. */
    public record Consultation(String to, String legId, String state) {}

    /** AGENT-4: what the call records say about the number. */
    public record Customer(boolean known, long calls, List<CallRecordStore.PastCall> lastCalls) {
        public static final Customer UNKNOWN = new Customer(false, 0, List.of());
    }

    CallView with(String newState) {
        return new CallView(enterpriseId, userId, callId, legId, direction, newState, caller, callerName, queue, waitedSeconds, internal,
                muted, customer, transfer, notes, consult, path, startedAt, answeredAt);
    }

    CallView withMuted(boolean m) {
        return new CallView(enterpriseId, userId, callId, legId, direction, state, caller, callerName, queue, waitedSeconds, internal,
                m, customer, transfer, notes, consult, path, startedAt, answeredAt);
    }

    CallView withNotes(String n) {
        return new CallView(enterpriseId, userId, callId, legId, direction, state, caller, callerName, queue, waitedSeconds, internal,
                muted, customer, transfer, n, consult, path, startedAt, answeredAt);
    }

    CallView withConsult(Consultation k) {
        return new CallView(enterpriseId, userId, callId, legId, direction, state, caller, callerName, queue, waitedSeconds, internal,
                muted, customer, transfer, notes, k, path, startedAt, answeredAt);
    }

    /** The same call on another leg of the agent (AGENT-3: moved to another device). */
    CallView onLeg(String newLeg) {
        return new CallView(enterpriseId, userId, callId, newLeg, direction, state, caller, callerName, queue, waitedSeconds, internal,
                muted, customer, transfer, notes, consult, path, startedAt, answeredAt);
    }

    /**
     * Talking since {@code at} (the engine's instant of the answer or of the bridge). A phone answering within
     * milliseconds of being dialled may be answered before the desk was told of the leg: the leg began no later.
     */
    CallView answered(Instant at) {
        Instant began = startedAt == null || at.isBefore(startedAt) ? at : startedAt;
        return new CallView(enterpriseId, userId, callId, legId, direction, "talking", caller, callerName, queue, waitedSeconds, internal,
                muted, customer, transfer, notes, consult, path, began, at);
    }
}
