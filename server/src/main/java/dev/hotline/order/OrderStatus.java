package dev.hotline.order;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.hotline.domain.DomainException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * An order's state (BIZ-4): new → confirmed → shipped → completed, cancelled before it ships, returned once shipped or
 * completed. An agent submits a new order to the team leader (submitted), who approves it (confirmed) or rejects it
 * (rejected: edited and submitted again, or cancelled). {@link #moveTo} is the one place a state changes and it refuses
 * illegal moves; {@link #byApprover} names the moves only an approver makes, {@link #holdsStock} the states that hold
 * the ordered quantities out of stock.
 */
public enum OrderStatus {
    NEW("new"), SUBMITTED("submitted"), REJECTED("rejected"), CONFIRMED("confirmed"), SHIPPED("shipped"), COMPLETED("completed"),
    CANCELLED("cancelled"), RETURNED("returned");

    private final String key;

    OrderStatus(String key) {
        this.key = key;
    }

    @JsonValue
    public String key() {
        return key;
    }

    /** The states one may move to from this one; cancelled and returned are final. */
    public Set<OrderStatus> next() {
        return switch (this) {
            case NEW -> EnumSet.of(SUBMITTED, CONFIRMED, CANCELLED);
            case SUBMITTED -> EnumSet.of(CONFIRMED, REJECTED, CANCELLED);
            case REJECTED -> EnumSet.of(SUBMITTED, CANCELLED);
            case CONFIRMED -> EnumSet.of(SHIPPED, CANCELLED);
            case SHIPPED -> EnumSet.of(COMPLETED, RETURNED);
            case COMPLETED -> EnumSet.of(RETURNED);
            case CANCELLED, RETURNED -> EnumSet.noneOf(OrderStatus.class);
        };
    }

    /** The state after a move to {@code to}, or a CONFLICT naming both states. */
    public OrderStatus moveTo(OrderStatus to) {
        if (!next().contains(to)) {
            throw DomainException.conflict("an order cannot go from " + key + " to " + to.key, "status", "not allowed from " + key);
        }
        return to;
    }

    /** Whether moving here is an approver's decision (order.approve): confirming an order, or rejecting a submitted one. */
    public boolean byApprover() {
        return this == CONFIRMED || this == REJECTED;
    }

    /** Whether an order in this state holds its quantities out of stock (reserved when confirmed, released when cancelled or returned). */
    public boolean holdsStock() {
        return this == CONFIRMED || this == SHIPPED || this == COMPLETED;
    }

    /** Whether its lines and note may still change: not yet approved. */
    public boolean editable() {
        return this == NEW || this == SUBMITTED || this == REJECTED;
    }

    /** Whether the order may still be deleted: nothing has happened to it yet, or it was cancelled. */
    public boolean deletable() {
        return this == NEW || this == CANCELLED;
    }

    public static Optional<OrderStatus> parse(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
