package dev.hotline.order;

import dev.hotline.auth.Permission;
import dev.hotline.crm.Scope;
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
        api.get("/products", "The product catalog by category and code. Parameters: q (code or name), category, onSale (true, false)")
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

        api.get("/orders", "Orders of the customers the caller may see, newest first. Parameters: status, customerId, callId, q (order number"
                + " or customer name), from, to (ISO instants, placed in [from, to)), limit (1..500, default 50), offset")
                .returns(Orders.Page.class).handle(Permission.ORDER_READ, (ctx, me) -> {
                    var f = orderFilter(ctx);
                    ctx.json(jdbi.withHandle(h -> orders.list(h, Scope.of(h, me), f)));
                });
        api.get("/orders/export", "The orders of the list's filters as a file: format (csv (default), xlsx), lang (en, zh)")
                .handle(Permission.ORDER_READ, (ctx, me) -> {
                    var f = orderFilter(ctx);
                    String format = format(ctx);
                    String lang = lang(ctx);
                    var out = new ByteArrayOutputStream();
                    jdbi.useHandle(h -> orders.exportOrders(h, Scope.of(h, me), f, format, lang, out));
                    send(ctx, out, format, "orders");
                });
        api.post("/orders", "Place an order: customerId, callId (the call it is taken on), note, lines (productId, quantity, unitPrice"
                + " optional: the catalog's price). Returns it with its number, exact total and history")
                .body(Orders.PlaceInput.class).returns(Order.Detail.class).handle(Permission.ORDER_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, Orders.PlaceInput.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> orders.place(h, Scope.of(h, me), me.userId(), in)));
                });
        api.get("/orders/{id}", "An order with its lines and status history (who, when)").returns(Order.Detail.class)
                .handle(Permission.ORDER_READ, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.withHandle(h -> orders.detail(h, Scope.of(h, me), id)));
                });
        api.post("/orders/{id}/status", "Move an order: new → confirmed → shipped → completed, cancelled (from new or confirmed), returned"
                + " (from shipped or completed); an illegal move is a 409").body(Orders.MoveInput.class).returns(Order.Detail.class)
                .handle(Permission.ORDER_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        Scope scope = Scope.of(h, me);
                        orders.get(h, scope, id);
                        return orders.move(h, scope, me.userId(), id, Json.body(ctx, Orders.MoveInput.class));
                    }));
                });
        api.delete("/orders/{id}", "Delete an order that is new or cancelled (others are a 409)").handle(Permission.ORDER_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> orders.delete(h, Scope.of(h, me), id));
            ctx.status(204);
        });
    }

    private static OrderStore.ProductFilter productFilter(Context ctx) {
        String onSale = Validator.clean(ctx.queryParam("onSale"));
        Validator.of().check(onSale == null || onSale.equals("true") || onSale.equals("false"), "onSale", "true or false").throwIfInvalid();
        return new OrderStore.ProductFilter(Validator.clean(ctx.queryParam("q")), Validator.clean(ctx.queryParam("category")),
                onSale == null ? null : Boolean.valueOf(onSale));
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
