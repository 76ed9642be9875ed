package dev.hotline.order;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A product of the enterprise's catalog (BIZ-4): a unique code, a name, a category, an exact price, whether it is on sale,
 * and its stock: the quantity on hand (null: not tracked), the threshold at or under which it is low, and that flag.
 */
public record Product(long id, String code, String name, String category, BigDecimal price, boolean onSale, Integer stock, Integer lowStock,
                      boolean lowOnStock, Instant createdAt, Instant updatedAt) {

    public Product(long id, String code, String name, String category, BigDecimal price, boolean onSale, Integer stock, Integer lowStock,
                   Instant createdAt, Instant updatedAt) {
        this(id, code, name, category, price, onSale, stock, lowStock, stock != null && lowStock != null && stock <= lowStock, createdAt, updatedAt);
    }

    /** One change of the stock: +/- quantity, the balance after it, why (receive, adjust, reserve, release), the order, who and when. */
    public record Movement(long id, Instant at, int delta, int balance, String reason, Long orderId, String orderNumber, Long userId, String user,
                           String note) {}

    /** A product's stock with its latest movements, newest first. */
    public record Stock(Product product, java.util.List<Movement> movements) {}
}
