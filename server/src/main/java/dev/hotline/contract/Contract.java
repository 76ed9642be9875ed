package dev.hotline.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A customer's contract (BIZ-4, seed 002 4.2.13): a number unique in the enterprise, a title, an exact amount, the
 * dates it runs from and to, its status, a note, the attached file (null: none), who made it and when.
 */
public record Contract(long id, String contractNumber, long customerId, String customerName, String title, BigDecimal amount, LocalDate startDate,
                       LocalDate endDate, String status, String note, Attachment file, Long creatorId, String creator, Instant createdAt,
                       Instant updatedAt) {

    /** The attached file: its name as uploaded, content type and size in bytes. */
    public record Attachment(String name, String contentType, long size) {}

    /** An order the contract covers. */
    public record OrderRef(long id, String orderNumber, String status, BigDecimal total) {}

    /** A contract with the orders it covers and the moves allowed from its status. */
    public record Detail(Contract contract, List<OrderRef> orders, List<String> next) {}
}
