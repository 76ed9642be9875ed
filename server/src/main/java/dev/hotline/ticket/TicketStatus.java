package dev.hotline.ticket;

import dev.hotline.domain.DomainException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** A ticket's state; {@link #moveTo} is the one place a state changes and it refuses illegal moves. */
public enum TicketStatus {
    NEW("new", true, "已受理", "received"), ASSIGNED("assigned", true, "已派单", "assigned"),
    IN_PROGRESS("in_progress", true, "处理中", "in progress"), WAITING_CUSTOMER("waiting_customer", false, "等待您的回复", "waiting for your reply"),
    RESOLVED("resolved", false, "已解决", "resolved"), CLOSED("closed", false, "已关闭", "closed"), REOPENED("reopened", true, "重新处理中", "reopened");

    private final String key;
    private final boolean slaRunning;
    private final String zh;
    private final String en;

    TicketStatus(String key, boolean slaRunning, String zh, String en) {
        this.key = key;
        this.slaRunning = slaRunning;
        this.zh = zh;
        this.en = en;
    }

    /** The state as a caller hears it (the IVR's ticket node), in Chinese or English. */
    public String words(boolean english) {
        return english ? en : zh;
    }

    public String key() {
        return key;
    }

    /** Still to be dealt with: not resolved and not closed (the screen pop lists a customer's open tickets). */
    public boolean open() {
        return this != RESOLVED && this != CLOSED;
    }

    /** Whether the SLA clock runs in this state (it pauses while waiting on the customer and stops once resolved). */
    public boolean slaRunning() {
        return slaRunning;
    }

    public Set<TicketStatus> next() {
        return switch (this) {
            case NEW, REOPENED -> EnumSet.of(ASSIGNED, IN_PROGRESS, WAITING_CUSTOMER, RESOLVED, CLOSED);
            case ASSIGNED -> EnumSet.of(ASSIGNED, IN_PROGRESS, WAITING_CUSTOMER, RESOLVED, CLOSED);
            case IN_PROGRESS -> EnumSet.of(ASSIGNED, WAITING_CUSTOMER, RESOLVED, CLOSED);
            case WAITING_CUSTOMER -> EnumSet.of(IN_PROGRESS, RESOLVED, CLOSED);
            case RESOLVED -> EnumSet.of(CLOSED, REOPENED);
            case CLOSED -> EnumSet.of(REOPENED);
        };
    }

    /** The state after a move to {@code to}, or a CONFLICT naming both states. */
    public TicketStatus moveTo(TicketStatus to) {
        if (!next().contains(to)) {
            throw DomainException.conflict("a ticket cannot go from " + key + " to " + to.key, "status", "not allowed from " + key);
        }
        return to;
    }

    public static Optional<TicketStatus> parse(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
