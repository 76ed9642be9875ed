package dev.hotline.crm;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** The admin-defined customer fields of an enterprise (CRM-1): key, label, type, options, required, order, pop. */
public final class CustomerFields {
    private CustomerFields() {}

    public static final String KEY = "[a-z][a-z0-9_]{0,31}";
    /** Keys that name a customer's own columns in files and the API. */
    static final Set<String> RESERVED = Set.of("id", "name", "phones", "phone", "owner", "sharing", "created", "updated");

    public record Input(String key, String label, String type, Boolean required, List<String> options, Integer position, Boolean inPop) {}

    public static CustomerField save(Handle h, long enterpriseId, Long id, Input in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        CustomerField before = id == null ? null : FieldStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("customer field"));
        String key = Validator.clean(in.key());
        String label = Validator.clean(in.label());
        FieldType type = FieldType.parse(in.type()).orElse(null);
        Validator v = Validator.of().required("key", key).matches("key", key, KEY, "a lower-case letter, then letters, digits or '_' (at most 32)")
                .check(key == null || !RESERVED.contains(key), "key", "reserved")
                .required("label", label).maxLength("label", label, 64)
                .check(type != null, "type", "one of text, single_choice, multiple_choice, datetime, number, phone, email");
        List<String> options = new ArrayList<>();
        if (in.options() != null) {
            Set<String> seen = new LinkedHashSet<>();
            for (String o : in.options()) {
                String c = Validator.clean(o);
                if (c == null) continue;
                v.check(c.length() <= 64 && !c.matches(".*[;；|,，].*"), "options", "each at most 64 characters, without ; | or ,");
                if (seen.add(c)) options.add(c);
            }
        }
        if (type != null) {
            v.check(!type.hasOptions() || !options.isEmpty(), "options", "a choice needs at least one option");
            v.check(type.hasOptions() || options.isEmpty(), "options", "only choices have options");
        }
        v.check(options.size() <= 100, "options", "at most 100");
        v.throwIfInvalid();
        for (CustomerField f : FieldStore.list(h, enterpriseId)) {
            if (f.key().equals(key) && (id == null || f.id() != id)) throw DomainException.conflict("field key already exists", "key", "already exists");
        }
        if (before != null && before.type() != type && FieldStore.valueCount(h, enterpriseId, before.id()) > 0) {
            throw DomainException.conflict("customers have values in this field: its type cannot change", "type", "customers have values");
        }
        int position = in.position() != null ? in.position() : before != null ? before.position() : FieldStore.list(h, enterpriseId).size() + 1;
        CustomerField f = new CustomerField(id == null ? 0 : id, key, label, type, Boolean.TRUE.equals(in.required()), List.copyOf(options),
                position, Boolean.TRUE.equals(in.inPop()));
        if (id == null) return FieldStore.byId(h, enterpriseId, FieldStore.insert(h, enterpriseId, f)).orElseThrow();
        FieldStore.update(h, enterpriseId, f);
        return FieldStore.byId(h, enterpriseId, id).orElseThrow();
    }

    public static String delete(Handle h, long enterpriseId, long id) {
        CustomerField f = FieldStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("customer field"));
        FieldStore.delete(h, enterpriseId, id);
        return f.key();
    }
}
