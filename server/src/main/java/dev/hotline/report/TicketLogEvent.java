package dev.hotline.report;

import java.time.Instant;

/**
 * API-2: a ticket (BIZ-1) went through a change that integrators hear of, logged after the change committed. Not stored in a
 * table of the log (the ticket's own timeline keeps it); the log's projections (webhook deliveries, the event stream) write it
 * in their rows, so a ticket event reaches webhooks and the stream on the same path as a call's.
 *
 * @param action         created, assigned, status (any other status change), commented or closed
 * @param status         the ticket's status after the change; {@code previousStatus} before it (null when created)
 * @param userId         who made the change (null: the server)
 * @param text           a comment's text (commented), or the note given with a status change or assignment
 * @param forCustomer    commented: whether the comment is a reply for the customer
 */
public record TicketLogEvent(long enterpriseId, Instant at, String action, long ticketId, String trackingNumber, String ticketType,
                             String title, String status, String previousStatus, Long departmentId, Long assigneeId, Long userId,
                             Long customerId, String callerNumber, String callId, String text, Boolean forCustomer) implements LogEvent {

    /** The actions, as the event types {@code ticket.<action>} name them. */
    public static final java.util.List<String> ACTIONS = java.util.List.of("created", "assigned", "status", "commented", "closed");

    public TicketLogEvent {
        if (!ACTIONS.contains(action)) throw new IllegalArgumentException("unknown ticket action " + action);
    }
}
