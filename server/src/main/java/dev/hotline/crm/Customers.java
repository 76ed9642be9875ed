package dev.hotline.crm;

import dev.hotline.directory.UserStore;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Handle;

/**
 * The rules of customers (CRM-1, CRM-3): values checked against the enterprise's field definitions, numbers in their
 * matching form, and ownership. Every method takes the caller's {@link Scope}: a customer outside it does not exist
 * (not found); one inside it may be changed by anyone holding customer.write, while handing it over, changing its
 * sharing and deleting it belong to its owner and to customer.manage (forbidden otherwise).
 */
public final class Customers {
    public static final int MAX_PHONES = 10;
    public static final int MAX_PAGE = 200;

    private final Clock clock;

    public Customers(Clock clock) {
        this.clock = clock;
    }

    /** A number ready to store. */
    record Number(String number, String normalized, String digits, String extension, String label) {}

    /** What is stored for a customer besides its own row: numbers and values by field id. */
    record Details(List<Number> phones, Map<Long, String> values) {}

    /** A checked input: name (null when absent in a partial change), numbers, values by field id, sharing (null: keep). */
    record Checked(String name, List<Number> phones, Map<Long, String> values, Sharing sharing) {}

    /**
     * Checks {@code in} against {@code fields}; every problem goes to {@code error} as (field, reason) with fields named
     * {@code name}, {@code phones}, {@code fields.<key>}, {@code sharing}. With {@code partial} (an import updating a
     * customer) absent values are not required.
     */
    static Checked check(Customer.Input in, List<CustomerField> fields, boolean partial, BiConsumer<String, String> error) {
        String name = Validator.clean(in.name());
        if (name == null && !partial) error.accept("name", "required");
        if (name != null && name.length() > 128) error.accept("name", "at most 128 characters");
        List<Number> phones = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Customer.PhoneInput> given = in.phones() == null ? List.of() : in.phones();
        if (given.size() > MAX_PHONES) error.accept("phones", "at most " + MAX_PHONES + " numbers");
        for (int i = 0; i < given.size(); i++) {
            Customer.PhoneInput p = given.get(i);
            String raw = p == null ? null : Validator.clean(p.number());
            if (raw == null) continue;
            String label = Validator.clean(p.label());
            if (raw.length() > 64) {
                error.accept("phones", "'" + raw.substring(0, 20) + "…' is longer than 64 characters");
                continue;
            }
            if (label != null && label.length() > 32) error.accept("phones", "label at most 32 characters");
            Optional<PhoneNumbers.Parsed> parsed = PhoneNumbers.parse(raw);
            if (parsed.isEmpty()) {
                error.accept("phones", "'" + raw + "' is not a phone number");
                continue;
            }
            if (seen.add(parsed.get().normalized())) {
                phones.add(new Number(raw, parsed.get().normalized(), parsed.get().digits(), parsed.get().extension(), label));
            }
        }
        Map<String, Object> values = in.fields() == null ? Map.of() : in.fields();
        Map<String, CustomerField> byKey = new LinkedHashMap<>();
        for (CustomerField f : fields) byKey.put(f.key(), f);
        for (String key : values.keySet()) if (!byKey.containsKey(key)) error.accept("fields." + key, "no such field");
        Map<Long, String> stored = new HashMap<>();
        for (CustomerField f : fields) {
            Object v = values.get(f.key());
            if (FieldType.blank(v)) {
                if (f.required() && !partial) error.accept("fields." + f.key(), "required");
                continue;
            }
            try {
                stored.put(f.id(), f.type().canonical(v, f.options()));
            } catch (FieldType.Bad e) {
                error.accept("fields." + f.key(), e.getMessage());
            }
        }
        Sharing sharing = null;
        if (Validator.clean(in.sharing()) != null) {
            sharing = Sharing.parse(in.sharing()).orElse(null);
            if (sharing == null) error.accept("sharing", "one of private, department, enterprise");
        }
        return new Checked(name, phones, stored, sharing);
    }

    private static Checked checkOrThrow(Customer.Input in, List<CustomerField> fields) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        Validator v = Validator.of();
        Checked c = check(in, fields, false, v::add);
        v.throwIfInvalid();
        return c;
    }

    public Customer get(Handle h, Scope scope, long id) {
        CustomerStore.Row row = CustomerStore.visible(h, scope, id).orElseThrow(() -> DomainException.notFound("customer"));
        return CustomerStore.load(h, scope.enterpriseId(), List.of(row), FieldStore.list(h, scope.enterpriseId())).get(0);
    }

    public Customer.Page search(Handle h, Scope scope, CustomerStore.Filter f) {
        List<CustomerField> fields = FieldStore.list(h, scope.enterpriseId());
        return new Customer.Page(CustomerStore.count(h, scope, f), f.offset(), f.limit(),
                CustomerStore.load(h, scope.enterpriseId(), CustomerStore.page(h, scope, f), fields));
    }

    /** The customers the scope sees having {@code number} (any of the written forms); none when it is not a number. */
    public List<Customer> lookup(Handle h, Scope scope, String number) {
        String normalized = PhoneNumbers.matchingForm(number);
        if (normalized == null) throw DomainException.invalid("number", "not a phone number");
        return CustomerStore.load(h, scope.enterpriseId(), CustomerStore.byNumber(h, scope, normalized), FieldStore.list(h, scope.enterpriseId()));
    }

    public Customer create(Handle h, Scope scope, Customer.Input in) {
        List<CustomerField> fields = FieldStore.list(h, scope.enterpriseId());
        Checked c = checkOrThrow(in, fields);
        long owner = in.ownerId() == null ? scope.userId() : in.ownerId();
        if (owner != scope.userId()) {
            if (!scope.all()) throw DomainException.forbidden("only customer.manage may create a customer for someone else");
            checkUser(h, scope.enterpriseId(), owner, "ownerId");
        }
        long id = CustomerStore.insert(h, scope.enterpriseId(), c.name(), owner, c.sharing() == null ? Sharing.PRIVATE : c.sharing(), clock.instant());
        CustomerStore.replaceDetails(h, scope.enterpriseId(), Map.of(id, new Details(c.phones(), c.values())), Set.of(id));
        return get(h, scope, id);
    }

    /** Replaces name, numbers and values; sharing changes only for the owner or customer.manage. */
    public Customer update(Handle h, Scope scope, long id, Customer.Input in) {
        CustomerStore.Row row = CustomerStore.visible(h, scope, id).orElseThrow(() -> DomainException.notFound("customer"));
        Checked c = checkOrThrow(in, FieldStore.list(h, scope.enterpriseId()));
        Sharing sharing = c.sharing() == null ? row.sharing() : c.sharing();
        if (sharing != row.sharing() && !scope.mayDispose(row.ownerId())) {
            throw DomainException.forbidden("only the owner or customer.manage may change who sees a customer");
        }
        CustomerStore.update(h, scope.enterpriseId(), id, c.name(), sharing, clock.instant());
        CustomerStore.replaceDetails(h, scope.enterpriseId(), Map.of(id, new Details(c.phones(), c.values())), Set.of());
        return get(h, scope, id);
    }

    public String delete(Handle h, Scope scope, long id) {
        CustomerStore.Row row = CustomerStore.visible(h, scope, id).orElseThrow(() -> DomainException.notFound("customer"));
        if (!scope.mayDispose(row.ownerId())) throw DomainException.forbidden("only the owner or customer.manage may delete a customer");
        CustomerStore.delete(h, scope.enterpriseId(), id);
        return row.name();
    }

    /** A new owner and, optionally, a new sharing. */
    public record Transfer(Long ownerId, String sharing) {}

    /** Bulk transfer: the customers {@code ids}, or (customer.manage) every customer of {@code fromOwnerId}. */
    public record BulkTransfer(List<Long> ids, Long fromOwnerId, Long ownerId, String sharing) {}

    public record Transferred(int count, Long ownerId) {}

    public Customer transfer(Handle h, Scope scope, long id, Transfer in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        CustomerStore.Row row = CustomerStore.visible(h, scope, id).orElseThrow(() -> DomainException.notFound("customer"));
        Sharing sharing = checkTransfer(h, scope, in.ownerId(), in.sharing());
        if (!scope.mayDispose(row.ownerId())) throw DomainException.forbidden("only the owner or customer.manage may hand a customer over");
        CustomerStore.setOwner(h, scope.enterpriseId(), id, in.ownerId(), sharing == null ? row.sharing() : sharing, clock.instant());
        // The record as handed over, even when the caller no longer sees it (a private record given to someone else).
        return get(h, new Scope(scope.enterpriseId(), scope.userId(), true, Set.of()), id);
    }

    public Transferred transferMany(Handle h, Scope scope, BulkTransfer in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        boolean byOwner = in.fromOwnerId() != null;
        Validator.of().check(byOwner != (in.ids() != null && !in.ids().isEmpty()), "ids", "give either ids or fromOwnerId")
                .check(in.ids() == null || in.ids().size() <= 10_000, "ids", "at most 10000 at once").throwIfInvalid();
        Sharing sharing = checkTransfer(h, scope, in.ownerId(), in.sharing());
        List<Long> ids;
        if (byOwner) {
            if (!scope.all()) throw DomainException.forbidden("customer.manage is required to move every customer of a user");
            ids = h.createQuery("SELECT id FROM customer WHERE enterprise_id = :e AND owner_id = :o")
                    .bind("e", scope.enterpriseId()).bind("o", in.fromOwnerId()).mapTo(Long.class).list();
        } else {
            ids = in.ids().stream().distinct().toList();
        }
        Map<Long, CustomerStore.Row> rows = new HashMap<>();
        for (CustomerStore.Row r : CustomerStore.visible(h, scope, ids)) rows.put(r.id(), r);
        for (Long id : ids) {
            CustomerStore.Row r = rows.get(id);
            if (r == null) throw new DomainException(DomainException.Kind.NOT_FOUND, null, "customer " + id + " not found",
                    List.of(new DomainException.FieldError("ids", "customer " + id + " not found")));
            if (!scope.mayDispose(r.ownerId())) throw DomainException.forbidden("customer " + id + ": only the owner or customer.manage may hand it over");
        }
        for (Long id : ids) {
            CustomerStore.setOwner(h, scope.enterpriseId(), id, in.ownerId(), sharing == null ? rows.get(id).sharing() : sharing, clock.instant());
        }
        return new Transferred(ids.size(), in.ownerId());
    }

    private static Sharing checkTransfer(Handle h, Scope scope, Long ownerId, String sharingKey) {
        Validator v = Validator.of().required("ownerId", ownerId);
        Sharing sharing = Validator.clean(sharingKey) == null ? null : Sharing.parse(sharingKey).orElse(null);
        v.check(Validator.clean(sharingKey) == null || sharing != null, "sharing", "one of private, department, enterprise");
        v.throwIfInvalid();
        checkUser(h, scope.enterpriseId(), ownerId, "ownerId");
        return sharing;
    }

    private static void checkUser(Handle h, long enterpriseId, long userId, String field) {
        if (UserStore.byId(h, enterpriseId, userId).isEmpty()) throw DomainException.invalid(field, "no such user");
    }
}
