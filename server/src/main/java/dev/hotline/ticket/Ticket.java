package dev.hotline.ticket;

import java.time.Instant;
import java.util.Map;

/** A ticket (work order) as stored; {@code slaUsedSeconds} counts business seconds up to now while the clock runs. */
public record Ticket(long id, String trackingNumber, long typeId, String typeCode, String title, String description, String status,
                     Long customerId, String callerNumber, String callId, Long departmentId, Long assigneeId, Long creatorId,
                     Map<String, Object> form, Instant createdAt, Instant updatedAt, long slaSeconds, long slaUsedSeconds,
                     boolean slaRunning, Instant dueAt, boolean overdue, int escalated) {

    /** One entry of a ticket's timeline; {@code callId}: the call it is about (a call-back placed, its outcome), else null. */
    public record Event(long id, Instant at, Long userId, String user, String kind, String detail, String callId) {}

    /** A ticket with its timeline, oldest first. */
    public record Detail(Ticket ticket, java.util.List<Event> timeline) {}

    /** What an IVR node (or the caller's query) needs: the status by tracking number. */
    public record Status(String trackingNumber, String status, String type, Instant dueAt, Instant updatedAt) {}
}
