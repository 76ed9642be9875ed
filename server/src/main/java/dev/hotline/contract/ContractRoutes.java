package dev.hotline.contract;

import dev.hotline.auth.Permission;
import dev.hotline.crm.Scope;
import dev.hotline.domain.Validator;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.jdbi.v3.core.Jdbi;

/**
 * Contracts (BIZ-4) over HTTP: contract.read to read and export, contract.write to add, change, move, delete and attach a
 * file. Contracts honour the customer's ownership (CRM-3): one of a customer the caller may not see is 404 and in no list
 * or export. The enterprise is always the caller's.
 */
public final class ContractRoutes {
    private ContractRoutes() {}

    public static void register(Api root, Jdbi jdbi, Contracts contracts) {
        Api api = root.tagged("contracts");
        api.get("/contracts", "Contracts of the customers the caller may see, latest start first. Parameters: customerId, status (draft,"
                + " active, expired, terminated), q (number, title or customer), limit (1..500, default 50), offset")
                .returns(Contracts.Page.class).handle(Permission.CONTRACT_READ, (ctx, me) -> {
                    var f = filter(ctx);
                    ctx.json(jdbi.withHandle(h -> contracts.list(h, Scope.of(h, me), f)));
                });
        api.get("/contracts/export", "The contracts of the list's filters as a file: format (csv (default), xlsx), lang (en, zh)")
                .handle(Permission.CONTRACT_READ, (ctx, me) -> {
                    var f = filter(ctx);
                    String format = Validator.clean(ctx.queryParam("format"));
                    String lang = Validator.clean(ctx.queryParam("lang"));
                    Validator.of().check(format == null || format.matches("csv|xlsx"), "format", "csv or xlsx")
                            .check(lang == null || lang.matches("en|zh"), "lang", "en or zh").throwIfInvalid();
                    String fmt = format == null ? "csv" : format;
                    var out = new ByteArrayOutputStream();
                    jdbi.useHandle(h -> contracts.export(h, Scope.of(h, me), f, fmt, lang == null ? "en" : lang, out));
                    ctx.header("Content-Disposition", "attachment; filename=\"hotline-contracts." + fmt + "\"");
                    ctx.contentType(fmt.equals("csv") ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
                    ctx.result(out.toByteArray());
                });
        api.post("/contracts", "Add a draft contract: customerId, contractNumber (unique in the enterprise), title, amount (exact, two decimals"
                + " at most), startDate, endDate (ISO dates, end on or after start), note, orderIds (orders of the customer, each in one contract)")
                .body(Contracts.Input.class).returns(Contract.Detail.class).handle(Permission.CONTRACT_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, Contracts.Input.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> contracts.create(h, Scope.of(h, me), me.userId(), in)));
                });
        api.get("/contracts/{id}", "A contract with the orders it covers and its allowed moves").returns(Contract.Detail.class)
                .handle(Permission.CONTRACT_READ, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.withHandle(h -> contracts.detail(h, Scope.of(h, me), id)));
                });
        api.put("/contracts/{id}", "Change a draft or active contract (the fields of POST; the customer stays); expired or terminated is a 409")
                .body(Contracts.Input.class).returns(Contract.Detail.class).handle(Permission.CONTRACT_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        Scope scope = Scope.of(h, me);
                        contracts.get(h, scope, id);
                        return contracts.update(h, scope, id, Json.body(ctx, Contracts.Input.class));
                    }));
                });
        api.post("/contracts/{id}/status", "Move a contract: draft → active or terminated, active → expired or terminated; an illegal move is a 409")
                .body(Contracts.MoveInput.class).returns(Contract.Detail.class).handle(Permission.CONTRACT_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        Scope scope = Scope.of(h, me);
                        contracts.get(h, scope, id);
                        return contracts.move(h, scope, id, Json.body(ctx, Contracts.MoveInput.class));
                    }));
                });
        api.delete("/contracts/{id}", "Delete a draft contract (others are a 409: terminate them)").handle(Permission.CONTRACT_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> contracts.delete(h, Scope.of(h, me), id));
            ctx.status(204);
        });
        api.put("/contracts/{id}/file", "Attach the contract's file (multipart field 'file', at most 10 MB), replacing one attached before")
                .returns(Contract.Detail.class).handle(Permission.CONTRACT_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    jdbi.useHandle(h -> contracts.get(h, Scope.of(h, me), id)); // 404 before reading any upload
                    var upload = ctx.isMultipartFormData() ? ctx.uploadedFile("file") : null;
                    if (upload == null) throw ApiException.invalid("file", "required");
                    if (upload.size() > Contracts.MAX_FILE_BYTES) throw ApiException.invalid("file", "at most 10 MB");
                    byte[] content = upload.content().readAllBytes();
                    ctx.json(jdbi.inTransaction(h -> contracts.attach(h, Scope.of(h, me), id, upload.filename(), upload.contentType(), content)));
                });
        api.get("/contracts/{id}/file", "Download the contract's attached file (404 when it has none)").handle(Permission.CONTRACT_READ, (ctx, me) -> {
            long id = WebServer.id(ctx);
            var file = jdbi.withHandle(h -> contracts.file(h, Scope.of(h, me), id));
            String name = file.getKey().name();
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Content-Disposition", "attachment; filename=\"" + name.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_") + "\"; filename*=UTF-8''"
                    + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
            ctx.contentType(file.getKey().contentType()).result(Files.readAllBytes(file.getValue()));
        });
        api.delete("/contracts/{id}/file", "Remove the contract's attached file").returns(Contract.Detail.class)
                .handle(Permission.CONTRACT_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> contracts.detach(h, Scope.of(h, me), id)));
                });
    }

    private static ContractStore.Filter filter(Context ctx) {
        String status = Validator.clean(ctx.queryParam("status"));
        Long limit = WebServer.longParam(ctx, "limit");
        Long offset = WebServer.longParam(ctx, "offset");
        Validator.of().check(status == null || ContractStatus.parse(status).isPresent(), "status", "a contract status")
                .check(limit == null || (limit >= 1 && limit <= 500), "limit", "1..500")
                .check(offset == null || (offset >= 0 && offset <= 1_000_000), "offset", "0..1000000").throwIfInvalid();
        return new ContractStore.Filter(WebServer.longParam(ctx, "customerId"), status == null ? null : ContractStatus.parse(status).get(),
                Validator.clean(ctx.queryParam("q")), limit == null ? 50 : limit.intValue(), offset == null ? 0 : offset.intValue());
    }
}
