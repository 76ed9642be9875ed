package dev.hotline.order;

import dev.hotline.auth.Permission;
import dev.hotline.domain.Validator;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import org.jdbi.v3.core.Jdbi;

/**
 * Orders (BIZ-4) over HTTP: the product catalog (order.read to read, product.manage to change) and customers' orders
 * (order.read to read, order.write to place, move and delete). Orders honour the customer's ownership (CRM-3): an order of
 * a customer the caller may not see is 404 and in no list or export. The enterprise is always the caller's.
 */
public final class OrderRoutes {
    private OrderRoutes() {}

    public static void register(Api root, Jdbi jdbi, Orders orders) {
        Api api = root.tagged("orders");
        api.get("/products", "The product catalog by category and code, with stock. Parameters: q (code or name), category, onSale (true,"
                + " false), lowStock (true: only the products at or under their low-stock threshold)")
                .returnsList(Product.class).handle(Permission.ORDER_READ, (ctx, me) -> {
                    var f = productFilter(ctx);
                    ctx.json(jdbi.withHandle(h -> orders.products(h, me.enterpriseId(), f)));
                });
        api.get("/products/export", "The catalog as a file: format (csv (default), xlsx), lang (en, zh: the headers) and the filters of the list")
                .handle(Permission.ORDER_READ, (ctx, me) -> {
                    var f = productFilter(ctx);
                    String format = format(ctx);
                    String lang = lang(ctx);
                    var out = new ByteArrayOutputStream();
                    jdbi.useHandle(h -> orders.exportProducts(h, me.enterpriseId(), f, format, lang, out));
                    send(ctx, out, format, "products");
                });
        api.get("/products/{id}", "One product").returns(Product.class).handle(Permission.ORDER_READ, (ctx, me) -> {
            long id = WebServer.id(ctx);
            ctx.json(jdbi.withHandle(h -> orders.product(h, me.enterpriseId(), id)));
        });
        api.post("/products", "Add a product: code (unique), name, category, price (exact, two decimals at most), onSale (default true)")
                .body(Orders.ProductInput.class).returns(Product.class).handle(Permission.PRODUCT_MANAGE, (ctx, me) -> {
                    var in = Json.body(ctx, Orders.ProductInput.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> orders.saveProduct(h, me.enterpriseId(), null, in)));
                });
        api.put("/products/{id}", "Change a product (orders placed keep the name and price they were placed with)")
                .body(Orders.ProductInput.class).returns(Product.class).handle(Permission.PRODUCT_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        orders.product(h, me.enterpriseId(), id);
                        return orders.saveProduct(h, me.enterpriseId(), id, Json.body(ctx, Orders.ProductInput.class));
                    }));
                });
        api.delete("/products/{id}", "Remove a product from the catalog (orders keep their lines)").handle(Permission.PRODUCT_MANAGE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> orders.deleteProduct(h, me.enterpriseId(), id));
            ctx.status(204);
        });

        api.get("/products/{id}/stock", "A product's stock: on hand (null: not tracked), the low-stock threshold and flag, the latest 200"
                + " movements (receive, adjust, reserve when an order is confirmed, release when it is cancelled or returned)")
                .returns(Product.Stock.class).handle(Permission.ORDER_READ, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.withHandle(h -> orders.stock(h, me.enterpriseId(), id)));
                });
        api.post("/products/{id}/stock", "Receive (delta > 0) or write off (delta < 0) stock: delta, reason (receive, adjust), note;"
                + " below zero is a 409. The first movement starts tracking the product's stock")
                .body(Orders.StockInput.class).returns(Product.Stock.class).handle(Permission.PRODUCT_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> orders.adjust(h, me.enterpriseId(), me.userId(), id, Json.body(ctx, Orders.StockInput.class))));
                });
        api.put("/products/{id}/stock", "Set the low-stock threshold: lowStock (null: none); a product at or under it is flagged lowOnStock")
                .body(Orders.ThresholdInput.class).returns(Product.Stock.class).handle(Permission.PRODUCT_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> orders.threshold(h, me.enterpriseId(), id, Json.body(ctx, Orders.ThresholdInput.class))));
                });

        api.get("/orders", "Orders of the customers the caller may see, newest first. Parameters: status, customerId, callId, q (order number"
                + " or customer name), from, to (ISO instants, placed in [from, to)), limit (1..500, default 50), offset")
                .returns(Orders.Page.class).handle(Permission.ORDER_READ, (ctx, me) -> {
                    var f = orderFilter(ctx);
                    ctx.json(jdbi.withHandle(h -> orders.list(h, OrderScope.of(h, me), f)));
                });
        api.get("/orders/export", "The orders of the list's filters as a file: format (csv (default), xlsx), lang (en, zh)")
                .handle(Permission.ORDER_READ, (ctx, me) -> {
                    var f = orderFilter(ctx);
                    String format = format(ctx);
                    String lang = lang(ctx);
                    var out = new ByteArrayOutputStream();
                    jdbi.useHandle(h -> orders.exportOrders(h, OrderScope.of(h, me), f, format, lang, out));
                    send(ctx, out, format, "orders");
                });
        api.post("/orders", "Place an order: customerId, callId (the call it is taken on), note, lines (productId, quantity, unitPrice"
                + " optional: the catalog's price). Returns it with its number, exact total and history")
                .body(Orders.PlaceInput.class).returns(Order.Detail.class).handle(Permission.ORDER_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, Orders.PlaceInput.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> orders.place(h, OrderScope.of(h, me), me.userId(), in)));
                });
        api.get("/orders/{id}", "An order with its lines and status history (who, when)").returns(Order.Detail.class)
                .handle(Permission.ORDER_READ, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.withHandle(h -> orders.detail(h, OrderScope.of(h, me), id)));
                });
        api.post("/orders/{id}/status", "Move an order: new → confirmed → shipped → completed, cancelled (from new or confirmed), returned"
                + " (from shipped or completed); an illegal move is a 409").body(Orders.MoveInput.class).returns(Order.Detail.class)
                .handle(Permission.ORDER_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        OrderScope scope = OrderScope.of(h, me);
                        orders.get(h, scope, id);
                        return orders.move(h, scope, me.userId(), id, Json.body(ctx, Orders.MoveInput.class));
                    }));
                });
        api.put("/orders/{id}", "Edit an order not yet approved (new, submitted, rejected): note and lines replace the order's; the total is"
                + " recomputed and each change logged (changes). An approved order is a 409").body(Orders.EditInput.class).returns(Order.Detail.class)
                .handle(Permission.ORDER_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> orders.edit(h, OrderScope.of(h, me), me.userId(), id, Json.body(ctx, Orders.EditInput.class))));
                });
        decision(api, jdbi, orders, "submit", OrderStatus.SUBMITTED, Permission.ORDER_WRITE,
                "Submit a new or rejected order to the team leader for approval (the leaders of one's department are notified)");
        decision(api, jdbi, orders, "approve", OrderStatus.CONFIRMED, Permission.ORDER_APPROVE,
                "Approve a submitted order (team leaders, order.approve): it is confirmed and its products taken out of stock (409 naming the line short of stock)");
        decision(api, jdbi, orders, "reject", OrderStatus.REJECTED, Permission.ORDER_APPROVE,
                "Reject a submitted order with a note (required): the submitter is notified and may edit and submit it again");
        api.delete("/orders/{id}", "Delete an order that is new or cancelled (others are a 409)").handle(Permission.ORDER_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> orders.delete(h, OrderScope.of(h, me), id));
            ctx.status(204);
        });
    }

    /** POST /orders/{id}/{name}: a move of the approval flow with a note, through {@link Orders#move}. */
    private static void decision(Api api, Jdbi jdbi, Orders orders, String name, OrderStatus to, Permission permission, String summary) {
        api.post("/orders/{id}/" + name, summary + ". Body: note").body(Orders.NoteInput.class).returns(Order.Detail.class)
                .handle(permission, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    var in = ctx.body().isBlank() ? new Orders.NoteInput(null) : Json.body(ctx, Orders.NoteInput.class);
                    ctx.json(jdbi.inTransaction(h -> orders.move(h, OrderScope.of(h, me), me.userId(), id, new Orders.MoveInput(to.key(), in.note()))));
                });
    }

    private static OrderStore.ProductFilter productFilter(Context ctx) {
        String onSale = Validator.clean(ctx.queryParam("onSale"));
        String low = Validator.clean(ctx.queryParam("lowStock"));
        Validator.of().check(onSale == null || onSale.equals("true") || onSale.equals("false"), "onSale", "true or false")
                .check(low == null || low.equals("true") || low.equals("false"), "lowStock", "true or false").throwIfInvalid();
        return new OrderStore.ProductFilter(Validator.clean(ctx.queryParam("q")), Validator.clean(ctx.queryParam("category")),
                onSale == null ? null : Boolean.valueOf(onSale), "true".equals(low));
    }

    private static OrderStore.OrderFilter orderFilter(Context ctx) {
        String status = Validator.clean(ctx.queryParam("status"));
        Long limit = WebServer.longParam(ctx, "limit");
        Long offset = WebServer.longParam(ctx, "offset");
        var from = WebServer.instantParam(ctx, "from");
        var to = WebServer.instantParam(ctx, "to");
        Validator.of().check(status == null || OrderStatus.parse(status).isPresent(), "status", "an order status")
                .check(limit == null || (limit >= 1 && limit <= 500), "limit", "1..500")
                .check(offset == null || (offset >= 0 && offset <= 1_000_000), "offset", "0..1000000")
                .check(from == null || to == null || from.isBefore(to), "to", "after from").throwIfInvalid();
        return new OrderStore.OrderFilter(status == null ? null : OrderStatus.parse(status).get(), WebServer.longParam(ctx, "customerId"),
                Validator.clean(ctx.queryParam("callId")), Validator.clean(ctx.queryParam("q")), from, to,
                limit == null ? 50 : limit.intValue(), offset == null ? 0 : offset.intValue());
    }

    private static String format(Context ctx) {
        String format = Validator.clean(ctx.queryParam("format"));
        Validator.of().check(format == null || format.matches("csv|xlsx"), "format", "csv or xlsx").throwIfInvalid();
        return format == null ? "csv" : format;
    }

    private static String lang(Context ctx) {
        String lang = Validator.clean(ctx.queryParam("lang"));
        Validator.of().check(lang == null || lang.matches("en|zh"), "lang", "en or zh").throwIfInvalid();
        return lang == null ? "en" : lang;
    }

    private static void send(Context ctx, ByteArrayOutputStream out, String format, String name) {
        ctx.header("Content-Disposition", "attachment; filename=\"hotline-" + name + "." + format + "\"");
        ctx.contentType(format.equals("csv") ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        ctx.result(out.toByteArray());
    }
}
