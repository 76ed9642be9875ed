package dev.hotline.order;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.report.ReportExport;
import dev.hotline.report.ReportTable.Column;
import dev.hotline.report.ReportTable.Kind;
import dev.hotline.ticket.TicketStore;
import dev.hotline.ticket.Tickets;
import dev.hotline.ticket.TrackingNumbers;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Orders (BIZ-4, seed 001 5.4 and seed 002 4.2.12): the enterprise's product catalog, and orders placed for a customer
 * (often during a call) with lines of product × quantity × unit price, an exact total, an order number like the tickets'
 * tracking numbers (prefix {@value #PREFIX}, the day in the enterprise's ticket calendar zone, the day's counter and a
 * check digit), and a status changed only through {@link #move}, each change logged with who and when. An order is seen
 * by whoever may see its customer (CRM-3) and by the team leaders of its submitter: the reader's {@link OrderScope} is in every
 * query. Agents submit orders to their team leader who approves or rejects them; approving takes the ordered quantities out of
 * stock.
 */
public final class Orders {
    public static final String PREFIX = "DD";
    static final int MAX_LINES = 100;
    static final int MAX_QUANTITY = 100_000;
    /** Prices below 10^10 with at most two decimals (DECIMAL(12,2)). */
    static final BigDecimal MAX_PRICE = new BigDecimal("9999999999.99");

    private final Clock clock;
    private final Tickets tickets;

    public Orders(Clock clock, Tickets tickets) {
        this.clock = clock;
        this.tickets = tickets;
    }

    public record ProductInput(String code, String name, String category, BigDecimal price, Boolean onSale) {}

    public record LineInput(Long productId, Integer quantity, BigDecimal unitPrice) {}

    public record PlaceInput(Long customerId, String callId, String note, List<LineInput> lines) {}

    /** An edit of an order not yet approved: its note and its lines (both replace what was there). */
    public record EditInput(String note, List<LineInput> lines) {}

    public record MoveInput(String status, String note) {}

    /** A note with a decision (submit, approve, reject: required to reject). */
    public record NoteInput(String note) {}

    /** A change of stock by hand: +received or -written off (reason receive or adjust), with a note. */
    public record StockInput(Integer delta, String reason, String note) {}

    /** The low-stock threshold (null: no alarm). */
    public record ThresholdInput(Integer lowStock) {}

    public record Page(long total, int limit, int offset, List<Order> items) {}

    /** A new enterprise's order-number counter. */
    public static void seedCounter(Handle h, long e) {
        OrderStore.createCounter(h, e);
    }

    // ---- catalog

    public List<Product> products(Handle h, long e, OrderStore.ProductFilter f) {
        return OrderStore.products(h, e, f);
    }

    public Product product(Handle h, long e, long id) {
        return OrderStore.product(h, e, id).orElseThrow(() -> DomainException.notFound("product"));
    }

    public Product saveProduct(Handle h, long e, Long id, ProductInput in) {
        String code = Validator.clean(in.code());
        Validator v = Validator.of().required("code", code).required("name", Validator.clean(in.name())).required("price", in.price())
                .matches("code", code, "[A-Za-z0-9][A-Za-z0-9_.-]{0,31}", "letters, digits, _ . - (at most 32)")
                .maxLength("name", in.name(), 100).maxLength("category", in.category(), 64);
        checkMoney(v, "price", in.price());
        v.throwIfInvalid();
        if (id != null) product(h, e, id);
        var same = OrderStore.productByCode(h, e, code);
        if (same.isPresent() && (id == null || same.get().id() != id)) throw DomainException.conflict("the product code exists", "code", "already used");
        Instant now = clock.instant();
        boolean onSale = in.onSale() == null || in.onSale();
        BigDecimal price = in.price().setScale(2, RoundingMode.UNNECESSARY);
        String name = in.name().strip();
        String category = Validator.clean(in.category());
        if (id == null) id = OrderStore.insertProduct(h, e, code, name, category, price, onSale, now);
        else OrderStore.updateProduct(h, e, id, code, name, category, price, onSale, now);
        return product(h, e, id);
    }

    public void deleteProduct(Handle h, long e, long id) {
        product(h, e, id);
        OrderStore.deleteProduct(h, e, id); // lines keep the product's code, name and price
    }

    private static void checkMoney(Validator v, String field, BigDecimal value) {
        if (value == null) return;
        v.check(value.signum() >= 0 && value.compareTo(MAX_PRICE) <= 0, field, "0 .. 9999999999.99");
        v.check(value.stripTrailingZeros().scale() <= 2, field, "at most two decimals");
    }

    // ---- orders

    public Order get(Handle h, OrderScope scope, long id) {
        return OrderStore.order(h, scope, id).orElseThrow(() -> DomainException.notFound("order"));
    }

    public Order.Detail detail(Handle h, OrderScope scope, long id) {
        Order o = get(h, scope, id);
        OrderStatus s = OrderStatus.parse(o.status()).orElseThrow();
        return new Order.Detail(o, OrderStore.lines(h, id), OrderStore.history(h, id), OrderStore.changes(h, id),
                s.next().stream().map(OrderStatus::key).toList(), s.editable());
    }

    public Page list(Handle h, OrderScope scope, OrderStore.OrderFilter f) {
        return new Page(OrderStore.count(h, scope, f), f.limit(), f.offset(), OrderStore.orders(h, scope, f));
    }

    /** Places an order for a customer the user may see: checked lines, the exact total, a new number, the first history entry. */
    public Order.Detail place(Handle h, OrderScope scope, long user, PlaceInput in) {
        long e = scope.enterpriseId();
        Validator v = Validator.of().required("customerId", in.customerId()).maxLength("callId", in.callId(), 64).maxLength("note", in.note(), 2000);
        if (in.customerId() != null) v.check(OrderStore.customerVisible(h, scope.customers(), in.customerId()), "customerId", "no such customer");
        List<Order.Line> checked = checkLines(h, e, in.lines(), v);
        v.throwIfInvalid();
        BigDecimal total = total(checked);
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, ZoneId.of(tickets.settings(h, e).zone()));
        String number = TrackingNumbers.format(PREFIX, day, OrderStore.nextCounter(h, e, day.format(TrackingNumbers.DAY)));
        String callId = Validator.clean(in.callId());
        long id = OrderStore.insertOrder(h, e, number, in.customerId(), OrderStatus.NEW, total, callId, Validator.clean(in.note()), user, now);
        for (Order.Line l : checked) OrderStore.insertLine(h, id, l);
        OrderStore.event(h, id, now, user, null, OrderStatus.NEW, callId == null ? null : "call " + callId);
        return detail(h, scope, id);
    }

    private static BigDecimal total(List<Order.Line> lines) {
        return lines.stream().map(Order.Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2, RoundingMode.UNNECESSARY);
    }

    /** The lines of an order checked field by field ({@code lines[i].field} in {@code v}): products of the catalog on sale, quantities, prices. */
    private List<Order.Line> checkLines(Handle h, long e, List<LineInput> in, Validator v) {
        List<LineInput> lines = in == null ? List.of() : in;
        v.check(!lines.isEmpty(), "lines", "at least one line");
        v.check(lines.size() <= MAX_LINES, "lines", "at most " + MAX_LINES + " lines");
        List<Order.Line> checked = new ArrayList<>();
        for (int i = 0; i < lines.size() && i < MAX_LINES; i++) {
            LineInput l = lines.get(i);
            String at = "lines[" + i + "].";
            if (l == null) {
                v.add(at + "productId", "required");
                continue;
            }
            Product p = l.productId() == null ? null : OrderStore.product(h, e, l.productId()).orElse(null);
            v.required(at + "productId", l.productId());
            if (l.productId() != null) v.check(p != null && p.onSale(), at + "productId", p == null ? "no such product" : "not on sale");
            v.required(at + "quantity", l.quantity());
            if (l.quantity() != null) v.check(l.quantity() >= 1 && l.quantity() <= MAX_QUANTITY, at + "quantity", "1.." + MAX_QUANTITY);
            checkMoney(v, at + "unitPrice", l.unitPrice());
            if (p == null || !p.onSale() || l.quantity() == null) continue;
            BigDecimal price = (l.unitPrice() != null ? l.unitPrice() : p.price()).setScale(2, RoundingMode.HALF_UP);
            checked.add(new Order.Line(i + 1, p.id(), p.code(), p.name(), l.quantity(), price, price.multiply(BigDecimal.valueOf(l.quantity()))));
        }
        return checked;
    }

    /**
     * Edits an order not yet approved (new, submitted, rejected): its note and its lines are replaced, the total recomputed,
     * and every changed field logged with its value before and after. An approved (or later) order is a 409; the update is
     * conditional on the status read, so an approval at the same moment makes the edit a 409 rather than changing an
     * approved order.
     */
    public Order.Detail edit(Handle h, OrderScope scope, long user, long id, EditInput in) {
        Order o = get(h, scope, id);
        OrderStatus s = OrderStatus.parse(o.status()).orElseThrow();
        if (!s.editable()) throw DomainException.conflict("an order that is " + s.key() + " cannot be edited", "status", "approved already");
        long e = scope.enterpriseId();
        Validator v = Validator.of().maxLength("note", in.note(), 2000);
        List<Order.Line> checked = checkLines(h, e, in.lines(), v);
        v.throwIfInvalid();
        List<Order.Line> before = OrderStore.lines(h, id);
        String note = Validator.clean(in.note());
        BigDecimal total = total(checked);
        Instant now = clock.instant();
        if (!OrderStore.updateContent(h, e, id, s, note, total, now)) throw DomainException.conflict("the order changed meanwhile", "status", "changed meanwhile");
        if (!java.util.Objects.equals(note, o.note())) OrderStore.change(h, id, now, user, "note", o.note(), note);
        String linesBefore = describe(before);
        String linesAfter = describe(checked);
        if (!linesBefore.equals(linesAfter)) {
            OrderStore.deleteLines(h, id);
            for (Order.Line l : checked) OrderStore.insertLine(h, id, l);
            OrderStore.change(h, id, now, user, "lines", linesBefore + " = " + o.total().setScale(2, RoundingMode.UNNECESSARY).toPlainString(),
                    linesAfter + " = " + total.toPlainString());
        }
        return detail(h, scope, id);
    }

    /** Lines as one text for the change log: {@code K-100 ×3 @199.90; C-7 ×7 @0.10}. */
    static String describe(List<Order.Line> lines) {
        return lines.stream().map(l -> l.productCode() + " ×" + l.quantity() + " @" + l.unitPrice().setScale(2, RoundingMode.UNNECESSARY).toPlainString())
                .collect(Collectors.joining("; "));
    }

    /**
     * The one way an order's status changes: the move is checked (409 naming both states), an approver's move (confirm,
     * reject) needs order.approve (403), a rejection needs its note, the stock is taken when the order comes to hold it
     * (confirmed: a line short of stock is a 409 naming it, the whole move undone) and given back when it stops holding
     * it (cancelled, returned); then the move is applied, logged, and the team leaders or the submitter notified.
     */
    public Order.Detail move(Handle h, OrderScope scope, long user, long id, MoveInput in) {
        Order o = get(h, scope, id);
        String status = Validator.clean(in.status());
        String note = Validator.clean(in.note());
        Validator.of().required("status", status)
                .check(status == null || OrderStatus.parse(status).isPresent(), "status", "one of " + String.join(", ", keys()))
                .maxLength("note", in.note(), 2000).throwIfInvalid();
        OrderStatus from = OrderStatus.parse(o.status()).orElseThrow();
        OrderStatus to = from.moveTo(OrderStatus.parse(status).orElseThrow());
        if (to.byApprover() && !scope.approver()) throw DomainException.forbidden("only a team leader (order.approve) may " + (to == OrderStatus.REJECTED ? "reject" : "confirm") + " an order");
        if (to == OrderStatus.REJECTED && note == null) throw DomainException.invalid("note", "required: why the order is rejected");
        long e = scope.enterpriseId();
        Instant now = clock.instant();
        if (!OrderStore.updateStatus(h, e, id, from, to, now)) {
            throw DomainException.conflict("the order changed meanwhile", "status", "changed meanwhile");
        }
        if (!from.holdsStock() && to.holdsStock()) reserve(h, e, user, o, now);
        if (from.holdsStock() && !to.holdsStock()) release(h, e, user, o, to, now);
        if (to == OrderStatus.SUBMITTED) OrderStore.setSubmitter(h, id, user);
        OrderStore.event(h, id, now, user, from, to, note);
        notifyMove(h, e, user, o, from, to, note, now);
        return detail(h, scope, id);
    }

    private static List<String> keys() {
        return java.util.Arrays.stream(OrderStatus.values()).map(OrderStatus::key).toList();
    }

    /** Takes every tracked product's quantity out of stock, products in id order (concurrent orders lock rows in one order). */
    private void reserve(Handle h, long e, long user, Order o, Instant now) {
        List<Order.Line> lines = OrderStore.lines(h, o.id());
        Map<Long, Integer> byProduct = new java.util.TreeMap<>();
        Map<Long, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Order.Line l = lines.get(i);
            if (l.productId() == null) continue;
            byProduct.merge(l.productId(), l.quantity(), Integer::sum);
            firstLine.putIfAbsent(l.productId(), i);
        }
        for (var en : byProduct.entrySet()) {
            var balance = OrderStore.take(h, e, en.getKey(), en.getValue());
            if (balance.isPresent()) {
                OrderStore.movement(h, e, en.getKey(), now, -en.getValue(), balance.get(), "reserve", o.id(), user, o.orderNumber());
                continue;
            }
            Integer onHand = OrderStore.stock(h, e, en.getKey());
            if (onHand == null) continue; // not tracked (or removed from the catalog)
            throw DomainException.conflict("not enough in stock for " + lines.get(firstLine.get(en.getKey())).productCode() + ": " + en.getValue()
                    + " ordered, " + onHand + " on hand", "lines[" + firstLine.get(en.getKey()) + "].quantity", "only " + onHand + " in stock");
        }
    }

    /** Gives back what the order holds (its reserve movements not yet released). */
    private void release(Handle h, long e, long user, Order o, OrderStatus to, Instant now) {
        for (var en : OrderStore.held(h, o.id()).entrySet()) {
            var balance = OrderStore.giveBack(h, e, en.getKey(), en.getValue());
            if (balance.isPresent()) OrderStore.movement(h, e, en.getKey(), now, en.getValue(), balance.get(), "release", o.id(), user, o.orderNumber() + " " + to.key());
        }
    }

    /**
     * Submitted: the team leaders are told (the order.approve holders of the submitter's department, else of the nearest
     * department above it, else every approver of the enterprise); approved or rejected: the submitter is, with the note.
     */
    private void notifyMove(Handle h, long e, long user, Order o, OrderStatus from, OrderStatus to, String note, Instant now) {
        String text = o.orderNumber() + " " + o.customerName() + " " + o.total().setScale(2, RoundingMode.UNNECESSARY).toPlainString()
                + (note == null ? "" : ": " + note);
        if (to == OrderStatus.SUBMITTED) {
            for (long leader : leaders(h, e, user)) if (leader != user) TicketStore.notify(h, e, leader, now, "order.submitted", null, text);
        } else if (from == OrderStatus.SUBMITTED && (to == OrderStatus.CONFIRMED || to == OrderStatus.REJECTED) && o.submitterId() != null
                && o.submitterId() != user) {
            TicketStore.notify(h, e, o.submitterId(), now, to == OrderStatus.CONFIRMED ? "order.approved" : "order.rejected", null, text);
        }
    }

    /** The team leaders of a user: approvers of their department, else of the nearest department above it, else all approvers. */
    static List<Long> leaders(Handle h, long e, long user) {
        Map<Long, Long> approvers = OrderStore.approvers(h, e);
        Map<Long, Long> parents = new HashMap<>();
        for (var d : dev.hotline.directory.DepartmentStore.list(h, e)) parents.put(d.id(), d.parentId());
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (Long dep = OrderStore.department(h, e, user); dep != null && seen.add(dep); dep = parents.get(dep)) {
            Long d = dep;
            List<Long> here = approvers.entrySet().stream().filter(a -> d.equals(a.getValue())).map(Map.Entry::getKey).toList();
            if (!here.isEmpty()) return here;
        }
        return List.copyOf(approvers.keySet());
    }

    // ---- stock (product.manage changes it by hand; orders move it when confirmed, cancelled or returned)

    public Product.Stock stock(Handle h, long e, long product) {
        return new Product.Stock(product(h, e, product), OrderStore.movements(h, e, product));
    }

    /** Receives or writes off stock: a negative result is a 409 naming {@code delta}; the first movement starts tracking at 0. */
    public Product.Stock adjust(Handle h, long e, long user, long product, StockInput in) {
        product(h, e, product);
        String reason = in.reason() == null ? (in.delta() != null && in.delta() > 0 ? "receive" : "adjust") : in.reason().strip();
        Validator.of().required("delta", in.delta())
                .check(in.delta() == null || (in.delta() != 0 && Math.abs((long) in.delta()) <= 10_000_000), "delta", "a non-zero quantity up to 10000000")
                .check(reason.equals("receive") || reason.equals("adjust"), "reason", "receive or adjust")
                .maxLength("note", in.note(), 500).throwIfInvalid();
        var balance = OrderStore.add(h, e, product, in.delta());
        if (balance.isEmpty()) {
            Integer onHand = OrderStore.stock(h, e, product);
            throw DomainException.conflict("the stock cannot go below zero", "delta", "only " + (onHand == null ? 0 : onHand) + " on hand");
        }
        OrderStore.movement(h, e, product, clock.instant(), in.delta(), balance.get(), reason, null, user, Validator.clean(in.note()));
        return stock(h, e, product);
    }

    public Product.Stock threshold(Handle h, long e, long product, ThresholdInput in) {
        product(h, e, product);
        Validator.of().check(in.lowStock() == null || (in.lowStock() >= 0 && in.lowStock() <= 10_000_000), "lowStock", "0..10000000 or null")
                .throwIfInvalid();
        OrderStore.setLowStock(h, e, product, in.lowStock(), clock.instant());
        return stock(h, e, product);
    }

    /** Deletes an order nothing has happened to yet, or a cancelled one; others are a 409 (they are cancelled or returned). */
    public void delete(Handle h, OrderScope scope, long id) {
        Order o = get(h, scope, id);
        OrderStatus s = OrderStatus.parse(o.status()).orElseThrow();
        if (!s.deletable()) throw DomainException.conflict("an order that is " + s.key() + " cannot be deleted", "status", "not new or cancelled");
        OrderStore.deleteOrder(h, scope.enterpriseId(), id);
    }

    // ---- exports (the call reports' writer: CSV with a BOM or xlsx, headers in en or zh)

    static final List<Column> ORDER_COLUMNS = List.of(
            new Column("orderNumber", Kind.TEXT, "Order number", "订单号"), new Column("customer", Kind.TEXT, "Customer", "客户"),
            new Column("status", Kind.TEXT, "Status", "状态"), new Column("total", Kind.MONEY, "Total", "金额"),
            new Column("items", Kind.TEXT, "Items", "商品"), new Column("callId", Kind.TEXT, "Call", "通话"),
            new Column("creator", Kind.TEXT, "Placed by", "下单人"), new Column("createdAt", Kind.TEXT, "Placed at", "下单时间"));

    static final List<Column> PRODUCT_COLUMNS = List.of(
            new Column("code", Kind.TEXT, "Code", "编码"), new Column("name", Kind.TEXT, "Name", "名称"),
            new Column("category", Kind.TEXT, "Category", "分类"), new Column("price", Kind.MONEY, "Price", "价格"),
            new Column("onSale", Kind.TEXT, "On sale", "在售"), new Column("stock", Kind.TEXT, "Stock", "库存"),
            new Column("lowStock", Kind.TEXT, "Low-stock threshold", "库存预警"));

    static final Map<String, String> STATUS_ZH = Map.of("new", "新建", "submitted", "待审批", "rejected", "已驳回", "confirmed", "已确认", "shipped", "已发货", "completed", "已完成",
            "cancelled", "已取消", "returned", "已退货");

    /** The orders of the filter (every page of it, up to 100 000), written as {@code format} onto {@code out}. */
    public void exportOrders(Handle h, OrderScope scope, OrderStore.OrderFilter f, String format, String lang, OutputStream out) throws IOException {
        try (ReportExport.RowWriter w = ReportExport.writer(format, "orders", ORDER_COLUMNS, lang, out)) {
            int chunk = 1000;
            for (int offset = 0; offset < 100_000; offset += chunk) {
                var page = OrderStore.orders(h, scope, new OrderStore.OrderFilter(f.status(), f.customerId(), f.callId(), f.q(), f.from(), f.to(), chunk, offset));
                Map<Long, List<Order.Line>> lines = OrderStore.lines(h, page.stream().map(Order::id).toList());
                for (Order o : page) {
                    Map<String, Object> row = new HashMap<>();
                    row.put("orderNumber", o.orderNumber());
                    row.put("customer", o.customerName());
                    row.put("status", "zh".equals(lang) ? STATUS_ZH.getOrDefault(o.status(), o.status()) : o.status());
                    row.put("total", o.total());
                    row.put("items", lines.getOrDefault(o.id(), List.of()).stream().map(l -> l.productName() + " ×" + l.quantity())
                            .collect(Collectors.joining("; ")));
                    row.put("callId", o.callId());
                    row.put("creator", o.creator());
                    row.put("createdAt", o.createdAt().toString());
                    w.row(row);
                }
                if (page.size() < chunk) break;
            }
        }
    }

    public void exportProducts(Handle h, long e, OrderStore.ProductFilter f, String format, String lang, OutputStream out) throws IOException {
        try (ReportExport.RowWriter w = ReportExport.writer(format, "products", PRODUCT_COLUMNS, lang, out)) {
            for (Product p : OrderStore.products(h, e, f)) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("code", p.code());
                row.put("name", p.name());
                row.put("category", p.category());
                row.put("price", p.price());
                row.put("onSale", "zh".equals(lang) ? (p.onSale() ? "是" : "否") : (p.onSale() ? "yes" : "no"));
                row.put("stock", p.stock() == null ? "" : p.stock() + (p.lowOnStock() ? ("zh".equals(lang) ? " (低)" : " (low)") : ""));
                row.put("lowStock", p.lowStock() == null ? "" : p.lowStock().toString());
                w.row(row);
            }
        }
    }
}
