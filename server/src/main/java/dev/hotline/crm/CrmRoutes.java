package dev.hotline.crm;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import dev.hotline.domain.Validator;
import dev.hotline.masking.Masking;
import dev.hotline.masking.NumberMask;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import io.javalin.http.Context;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * HTTP routes of the CRM (docs/crm.md): customer fields, customers (search, lookup by number for the screen pop,
 * CRUD, transfer), import jobs, template and export, personal contacts and the staff directory. Every customer route
 * reads through the caller's {@link Scope}: what they may not see is not found.
 */
public final class CrmRoutes {
    private CrmRoutes() {}

    public record ImportsPage(List<CustomerImports.Job> items) {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, Masking masking, Customers customers, CustomerImports imports, AddressBook book) {
        Api fields = root.tagged("customer fields");
        fields.get("/customer-fields", "The enterprise's customer fields in display order").returnsList(CustomerField.class)
                .handle(Permission.CUSTOMER_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> FieldStore.list(h, me.enterpriseId()))));
        fields.post("/customer-fields", "Define a customer field (type text, single_choice, multiple_choice, datetime, number, phone, email)")
                .body(CustomerFields.Input.class).returns(CustomerField.class).handle(Permission.CUSTOMER_MANAGE, (ctx, me) -> {
                    var in = Json.body(ctx, CustomerFields.Input.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        CustomerField f = CustomerFields.save(h, me.enterpriseId(), null, in);
                        audit.record(h, me, ctx.ip(), "customer-field.create", f.key(), "type=" + f.type().key());
                        return f;
                    }));
                });
        fields.put("/customer-fields/{id}", "Change a customer field (its type only while no customer has a value in it)")
                .body(CustomerFields.Input.class).returns(CustomerField.class).handle(Permission.CUSTOMER_MANAGE, (ctx, me) -> {
                    var in = Json.body(ctx, CustomerFields.Input.class);
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        CustomerField f = CustomerFields.save(h, me.enterpriseId(), id, in);
                        audit.record(h, me, ctx.ip(), "customer-field.update", f.key(), "type=" + f.type().key());
                        return f;
                    }));
                });
        fields.delete("/customer-fields/{id}", "Delete a customer field and its values").handle(Permission.CUSTOMER_MANAGE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> audit.record(h, me, ctx.ip(), "customer-field.delete", CustomerFields.delete(h, me.enterpriseId(), id), null));
            ctx.status(204);
        });

        Api settings = root.tagged("crm settings");
        settings.get("/crm-settings", "The CRM's routing settings: tier field, tier → queue priority (ACD-3), per-queue external pop URL (AGENT-4)")
                .returns(CrmSettings.class).handle(Permission.CUSTOMER_READ, (ctx, me) ->
                        ctx.json(jdbi.withHandle(h -> CrmSettings.load(h, me.enterpriseId()))));
        settings.put("/crm-settings", "Change the CRM's routing settings (all replaced)").body(CrmSettings.class).returns(CrmSettings.class)
                .handle(Permission.CUSTOMER_MANAGE, (ctx, me) -> {
                    var in = Json.body(ctx, CrmSettings.class);
                    ctx.json(jdbi.inTransaction(h -> {
                        CrmSettings s = CrmSettings.save(h, me.enterpriseId(), in);
                        audit.record(h, me, ctx.ip(), "crm-settings.update", s.tierField(), "tiers=" + s.tierPriorities() + " pops=" + s.popUrls().keySet());
                        return s;
                    }));
                });

        Api api = root.tagged("customers");
        api.get("/customers", "Search the customers the caller may see: q (name, number or field value), number (partial), ownerId,"
                        + " field.<key> (a field's value contains), offset, limit (≤ 200)")
                .returns(Customer.Page.class).handle(Permission.CUSTOMER_READ, (ctx, me) ->
                        ctx.json(masking.forViewer(me).json(jdbi.withHandle(h -> customers.search(h, Scope.of(h, me), filter(ctx, h, me, true))))));
        api.get("/customers/lookup", "The customers the caller may see having this number, in any written form (screen pop): number")
                .returnsList(Customer.class).handle(Permission.CUSTOMER_READ, (ctx, me) -> {
                    String asked = Validator.clean(ctx.queryParam("number"));
                    if (asked == null) throw ApiException.invalid("number", "required");
                    String number = masking.real(me.enterpriseId(), asked, "number");
                    ctx.json(masking.forViewer(me).json(jdbi.withHandle(h -> customers.lookup(h, Scope.of(h, me), number))));
                });
        api.get("/customers/template", "An empty import file with the enterprise's columns: format (csv, xlsx)")
                .handle(Permission.CUSTOMER_IMPORT, (ctx, me) -> {
                    CustomerFiles.Format format = format(ctx);
                    var fieldList = jdbi.withHandle(h -> FieldStore.list(h, me.enterpriseId()));
                    attachment(ctx, format, "customers-template");
                    CustomerFiles.template(format, fieldList, ctx.outputStream());
                });
        api.get("/customers/export", "The customers the caller may see, as a file: format (csv, xlsx) and the filters of the search")
                .handle(Permission.CUSTOMER_EXPORT, (ctx, me) -> {
                    CustomerFiles.Format format = format(ctx);
                    try (Handle h = jdbi.open()) {
                        Scope scope = Scope.of(h, me);
                        CustomerStore.Filter f = filter(ctx, h, me, false);
                        var fieldList = FieldStore.list(h, me.enterpriseId());
                        attachment(ctx, format, "customers");
                        CustomerFiles.export(format, fieldList, masked(chunks(h, scope, f, fieldList), masking.forViewer(me), fieldList), ctx.outputStream());
                        audit.record(h, me, ctx.ip(), "customer.export", format.extension(), null);
                    }
                });
        api.post("/customers/transfer", "Hand customers over: ids, or (customer.manage) every customer of fromOwnerId, to ownerId; sharing optional")
                .body(Customers.BulkTransfer.class).returns(Customers.Transferred.class).handle(Permission.CUSTOMER_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, Customers.BulkTransfer.class);
                    ctx.json(jdbi.inTransaction(h -> {
                        var t = customers.transferMany(h, Scope.of(h, me), in);
                        audit.record(h, me, ctx.ip(), "customer.transfer", t.count() + " customers", "owner=" + t.ownerId());
                        return t;
                    }));
                });
        api.post("/customers", "Create a customer (owned by the caller unless customer.manage names ownerId)")
                .body(Customer.Input.class).returns(Customer.class).handle(Permission.CUSTOMER_WRITE, (ctx, me) -> {
                    var in = real(Json.body(ctx, Customer.Input.class), masking, me, null);
                    ctx.status(201).json(masking.forViewer(me).json(jdbi.inTransaction(h -> {
                        Customer c = customers.create(h, Scope.of(h, me), in);
                        audit.record(h, me, ctx.ip(), "customer.create", c.name(), "id=" + c.id() + " sharing=" + c.sharing().key());
                        return c;
                    })));
                });
        api.get("/customers/{id}", "One customer").returns(Customer.class).handle(Permission.CUSTOMER_READ, (ctx, me) -> {
            long id = WebServer.id(ctx);
            ctx.json(masking.forViewer(me).json(jdbi.withHandle(h -> customers.get(h, Scope.of(h, me), id))));
        });
        api.get("/customers/{id}/timeline", "The customer's contact history, newest first (CRM-4): calls with their recording, tickets, orders,"
                        + " memos, survey results, SMS; offset, limit (≤ 100)")
                .returns(CustomerTimeline.Page.class).handle(Permission.CUSTOMER_READ, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    Long offset = WebServer.longParam(ctx, "offset");
                    Long limit = WebServer.longParam(ctx, "limit");
                    var include = new CustomerTimeline.Include(me.can(Permission.TICKET_READ), me.can(Permission.TICKET_READ),
                            me.can(Permission.RECORDING_READ), me.can(Permission.ORDER_READ), me.can(Permission.SMS_SEND));
                    ctx.json(masking.forViewer(me).json(jdbi.withHandle(h -> CustomerTimeline.of(h, Scope.of(h, me), customers, id,
                            offset == null ? 0 : (int) Math.min(offset, Integer.MAX_VALUE), limit == null ? 20 : (int) Math.min(limit, Integer.MAX_VALUE), include))));
                });
        api.put("/customers/{id}", "Change a customer: name, phones, fields (all replaced), sharing (owner or customer.manage)")
                .body(Customer.Input.class).returns(Customer.class).handle(Permission.CUSTOMER_WRITE, (ctx, me) -> {
                    var body = Json.body(ctx, Customer.Input.class);
                    long id = WebServer.id(ctx);
                    ctx.json(masking.forViewer(me).json(jdbi.inTransaction(h -> {
                        Scope scope = Scope.of(h, me);
                        var in = real(body, masking, me, customers.get(h, scope, id));
                        Customer c = customers.update(h, scope, id, in);
                        audit.record(h, me, ctx.ip(), "customer.update", c.name(), "id=" + c.id());
                        return c;
                    })));
                });
        api.delete("/customers/{id}", "Delete a customer (owner or customer.manage)").handle(Permission.CUSTOMER_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> audit.record(h, me, ctx.ip(), "customer.delete", customers.delete(h, Scope.of(h, me), id), "id=" + id));
            ctx.status(204);
        });
        api.post("/customers/{id}/transfer", "Hand a customer over to ownerId (owner or customer.manage); sharing optional")
                .body(Customers.Transfer.class).returns(Customer.class).handle(Permission.CUSTOMER_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, Customers.Transfer.class);
                    long id = WebServer.id(ctx);
                    ctx.json(masking.forViewer(me).json(jdbi.inTransaction(h -> {
                        Customer c = customers.transfer(h, Scope.of(h, me), id, in);
                        audit.record(h, me, ctx.ip(), "customer.transfer", c.name(), "id=" + id + " owner=" + c.ownerId());
                        return c;
                    })));
                });

        Api imp = root.tagged("customer imports");
        imp.post("/customer-imports", "Import customers from a CSV or xlsx file (multipart 'file', ≤ 64 MB; form fields onDuplicate:"
                        + " skip, update or create; sharing of the new customers). Answers 202 at once; the job runs in the background")
                .returns(CustomerImports.Job.class).handle(Permission.CUSTOMER_IMPORT, (ctx, me) -> {
                    if (!ctx.isMultipartFormData()) throw ApiException.badRequest("send multipart/form-data with a 'file' field");
                    var upload = ctx.uploadedFile("file");
                    if (upload == null) throw ApiException.invalid("file", "required");
                    if (upload.size() > CustomerImports.MAX_BYTES) throw ApiException.invalid("file", "larger than 64 MB");
                    String name = upload.filename() == null ? "" : upload.filename().toLowerCase();
                    if (!name.endsWith(".csv") && !name.endsWith(".xlsx") && !name.endsWith(".txt")) throw ApiException.invalid("file", "a .csv or .xlsx file");
                    Scope scope = jdbi.withHandle(h -> Scope.of(h, me));
                    CustomerImports.Job job;
                    try (InputStream in = upload.content()) {
                        job = imports.submit(scope, upload.filename(), in, param(ctx, "onDuplicate"), param(ctx, "sharing"));
                    }
                    jdbi.useTransaction(h -> audit.record(h, me, ctx.ip(), "customer.import", job.fileName(), "id=" + job.id() + " onDuplicate=" + job.onDuplicate()));
                    ctx.status(202).json(job);
                });
        imp.get("/customer-imports", "The caller's import jobs (customer.manage: everyone's), newest first").returns(ImportsPage.class)
                .handle(Permission.CUSTOMER_IMPORT, (ctx, me) -> ctx.json(new ImportsPage(jdbi.withHandle(h -> imports.list(h, Scope.of(h, me))))));
        imp.get("/customer-imports/{id}", "An import job: state, progress and its row errors (row, column, reason); errors: how many (default 1000, ≤ 10000)")
                .returns(CustomerImports.Job.class).handle(Permission.CUSTOMER_IMPORT, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    Long n = WebServer.longParam(ctx, "errors");
                    int limit = n == null ? 1000 : (int) Math.max(0, Math.min(CustomerImports.MAX_ERRORS, n));
                    ctx.json(jdbi.withHandle(h -> imports.get(h, Scope.of(h, me), id, limit)));
                });

        Api contacts = root.tagged("address book");
        contacts.get("/contacts", "The caller's personal contacts (q: name, company or number)").returnsList(AddressBook.Contact.class)
                .handle(Permission.ADDRESS_BOOK, (ctx, me) -> ctx.json(jdbi.withHandle(h -> book.contacts(h, me.enterpriseId(), me.userId(), ctx.queryParam("q")))));
        contacts.post("/contacts", "Add a personal contact").body(AddressBook.ContactInput.class).returns(AddressBook.Contact.class)
                .handle(Permission.ADDRESS_BOOK, (ctx, me) -> {
                    var in = Json.body(ctx, AddressBook.ContactInput.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> book.save(h, me.enterpriseId(), me.userId(), null, in)));
                });
        contacts.get("/contacts/{id}", "One of the caller's personal contacts").returns(AddressBook.Contact.class)
                .handle(Permission.ADDRESS_BOOK, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.withHandle(h -> book.contact(h, me.enterpriseId(), me.userId(), id)));
                });
        contacts.put("/contacts/{id}", "Change one of the caller's personal contacts").body(AddressBook.ContactInput.class).returns(AddressBook.Contact.class)
                .handle(Permission.ADDRESS_BOOK, (ctx, me) -> {
                    var in = Json.body(ctx, AddressBook.ContactInput.class);
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> book.save(h, me.enterpriseId(), me.userId(), id, in)));
                });
        contacts.delete("/contacts/{id}", "Delete one of the caller's personal contacts").handle(Permission.ADDRESS_BOOK, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> book.delete(h, me.enterpriseId(), me.userId(), id));
            ctx.status(204);
        });
        contacts.get("/staff-directory", "The staff directory: enabled users with extension, department and job number (q, departmentId)")
                .returnsList(AddressBook.Staff.class).handle(Permission.ADDRESS_BOOK, (ctx, me) ->
                        ctx.json(jdbi.withHandle(h -> book.staff(h, me.enterpriseId(), ctx.queryParam("q"), WebServer.longParam(ctx, "departmentId")))));
    }

    /** A form field of a multipart request, or the query parameter of that name. */
    private static String param(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v != null ? v : ctx.queryParam(name);
    }

    private static CustomerFiles.Format format(Context ctx) {
        return CustomerFiles.Format.parse(ctx.queryParam("format")).orElseThrow(() -> ApiException.invalid("format", "csv or xlsx"));
    }

    private static void attachment(Context ctx, CustomerFiles.Format format, String name) {
        ctx.header("Content-Disposition", "attachment; filename=\"" + name + "." + format.extension() + "\"");
        ctx.contentType(format.contentType());
    }

    /** The search's filters from the query; a field filter names a field key, else 400 naming the parameter. */
    private static CustomerStore.Filter filter(Context ctx, Handle h, Principal me, boolean paged) {
        Map<Long, String> byField = new LinkedHashMap<>();
        List<CustomerField> fieldList = null;
        for (var e : ctx.queryParamMap().entrySet()) {
            if (!e.getKey().startsWith("field.")) continue;
            String value = e.getValue().isEmpty() ? null : Validator.clean(e.getValue().get(0));
            if (value == null) continue;
            if (fieldList == null) fieldList = FieldStore.list(h, me.enterpriseId());
            String key = e.getKey().substring(6);
            CustomerField f = fieldList.stream().filter(x -> x.key().equals(key)).findFirst()
                    .orElseThrow(() -> ApiException.invalid(e.getKey(), "no such field"));
            byField.put(f.id(), value);
        }
        Long offset = WebServer.longParam(ctx, "offset");
        Long limit = WebServer.longParam(ctx, "limit");
        if (offset != null && offset < 0) throw ApiException.invalid("offset", "0 or more");
        if (limit != null && (limit < 1 || limit > Customers.MAX_PAGE)) throw ApiException.invalid("limit", "1 to " + Customers.MAX_PAGE);
        String number = Validator.clean(ctx.queryParam("number"));
        if (number != null && PhoneNumbers.searchDigits(number).isEmpty()) throw ApiException.invalid("number", "digits of a phone number");
        return new CustomerStore.Filter(Validator.clean(ctx.queryParam("q")), number, WebServer.longParam(ctx, "ownerId"), byField,
                paged && offset != null ? offset.intValue() : 0, paged ? (limit == null ? 50 : limit.intValue()) : Integer.MAX_VALUE);
    }

    /**
     * CRM-5: what a masked viewer sends back as a number (a phone, a phone field's value) is its reference, opened to the
     * real number, or, on an edit of {@code current}, the masked form of one of its numbers sent back unchanged, which
     * keeps that number; any other masked number is refused (400), never stored. A real number typed in is taken.
     */
    private static Customer.Input real(Customer.Input in, Masking masking, Principal me, Customer current) {
        if (in == null) return null;
        long e = me.enterpriseId();
        NumberMask mask = masking.forViewer(me);
        List<String> shownPhones = new ArrayList<>();
        if (current != null) current.phones().forEach(p -> shownPhones.add(p.number()));
        List<Customer.PhoneInput> phones = in.phones() == null ? null : in.phones().stream()
                .map(p -> p == null ? null : new Customer.PhoneInput(masking.realOrKept(mask, e, p.number(), "phones", shownPhones), p.label())).toList();
        Map<String, Object> fields = null;
        if (in.fields() != null) {
            fields = new LinkedHashMap<>();
            for (var f : in.fields().entrySet()) {
                List<String> shown = new ArrayList<>();
                if (current != null && current.fields().get(f.getKey()) instanceof String was) shown.add(was);
                fields.put(f.getKey(), f.getValue() instanceof String s ? masking.realOrKept(mask, e, s, "fields." + f.getKey(), shown) : f.getValue());
            }
        }
        return new Customer.Input(in.name(), phones, fields, in.sharing(), in.ownerId());
    }

    /** CRM-5: the exported customers' numbers (phones and phone fields) as the viewer sees them. */
    private static Iterator<List<Customer>> masked(Iterator<List<Customer>> chunks, NumberMask mask, List<CustomerField> fields) {
        if (!mask.active()) return chunks;
        Set<String> phoneFields = new HashSet<>();
        for (CustomerField f : fields) if (f.type() == FieldType.PHONE) phoneFields.add(f.key());
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return chunks.hasNext();
            }

            @Override
            public List<Customer> next() {
                return chunks.next().stream().map(c -> {
                    List<Customer.Phone> phones = c.phones().stream().map(p -> new Customer.Phone(mask.number(p.number(), null),
                            mask.number(p.normalized(), null), p.extension(), p.label())).toList();
                    Map<String, Object> values = new LinkedHashMap<>(c.fields());
                    for (String k : phoneFields) if (values.get(k) instanceof String s) values.put(k, mask.number(s, null));
                    return new Customer(c.id(), c.name(), phones, values, c.ownerId(), c.ownerName(), c.sharing(), c.createdAt(), c.updatedAt());
                }).toList();
            }
        };
    }

    /** The whole result in chunks of 1000, read as the file is written. */
    private static Iterator<List<Customer>> chunks(Handle h, Scope scope, CustomerStore.Filter f, List<CustomerField> fields) {
        return new Iterator<>() {
            long after = 0;
            List<Customer> next;
            boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    List<CustomerStore.Row> rows = CustomerStore.after(h, scope, f, after, 1000);
                    if (rows.isEmpty()) {
                        done = true;
                    } else {
                        after = rows.get(rows.size() - 1).id();
                        next = CustomerStore.load(h, scope.enterpriseId(), rows, fields);
                    }
                }
                return next != null;
            }

            @Override
            public List<Customer> next() {
                if (!hasNext()) throw new NoSuchElementException();
                List<Customer> out = next;
                next = null;
                return out;
            }
        };
    }

}
