package dev.hotline.order;

import java.math.BigDecimal;
import java.time.Instant;

/** A product of the enterprise's catalog (BIZ-4): a unique code, a name, a category, an exact price and whether it is on sale. */
public record Product(long id, String code, String name, String category, BigDecimal price, boolean onSale, Instant createdAt, Instant updatedAt) {}
