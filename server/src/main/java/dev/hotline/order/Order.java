package dev.hotline.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A customer's order (BIZ-4) as the API shows it: its number, customer, status, exact total (the sum of its lines'
 * amounts), the call it was taken on, who placed it and when.
 */
public record Order(long id, String orderNumber, long customerId, String customerName, String status, BigDecimal total, String callId,
                    String note, Long creatorId, String creator, Long submitterId, String submitter, Instant createdAt, Instant updatedAt) {

    /** One line: the product as it was when ordered, quantity × unit price = amount. */
    public record Line(int lineNo, Long productId, String productCode, String productName, int quantity, BigDecimal unitPrice, BigDecimal amount) {}

    /** One status change: from (null when placed) and to, by whom and when. */
    public record Event(long id, Instant at, Long userId, String user, String from, String to, String note) {}

    /** One edit while the order was not yet approved: the field (note, lines), its value before and after, by whom and when. */
    public record Change(long id, Instant at, Long userId, String user, String field, String oldValue, String newValue) {}

    /**
     * An order with its lines, its status history and its edits (oldest first), the moves allowed from its status and whether
     * its lines and note may still be edited.
     */
    public record Detail(Order order, List<Line> lines, List<Event> history, List<Change> changes, List<String> next, boolean editable) {}
}
