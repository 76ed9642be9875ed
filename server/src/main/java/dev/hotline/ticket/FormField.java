package dev.hotline.ticket;

import dev.hotline.domain.Validator;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One field of a ticket type's form (BIZ-2): a key, a label, a type (text, single, multiple, datetime, number), whether it
 * is required and, for choices, the options. A form is a list of these in display order.
 */
public record FormField(String key, String label, String type, Boolean required, List<String> options) {
    static final Set<String> TYPES = Set.of("text", "single", "multiple", "datetime", "number");

    /** Checks a form's definition; errors name fields[i].x. */
    static void checkForm(Validator v, List<FormField> fields) {
        if (fields == null) return;
        v.check(fields.size() <= 50, "fields", "at most 50 fields");
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            FormField f = fields.get(i);
            String at = "fields[" + i + "]";
            if (f == null) {
                v.add(at, "is required");
                continue;
            }
            v.check(f.key != null && f.key.matches("[a-zA-Z][a-zA-Z0-9_]{0,31}"), at + ".key", "letters, digits and _ (at most 32), unique")
                    .check(f.key == null || keys.add(f.key), at + ".key", "already used")
                    .check(f.label != null && !f.label.isBlank() && f.label.length() <= 64, at + ".label", "1..64 characters")
                    .check(f.type != null && TYPES.contains(f.type), at + ".type", "one of text, single, multiple, datetime, number");
            boolean choice = "single".equals(f.type) || "multiple".equals(f.type);
            v.check(!choice || (f.options != null && !f.options.isEmpty() && f.options.size() <= 50
                    && f.options.stream().allMatch(o -> o != null && !o.isBlank() && o.length() <= 64)), at + ".options", "1..50 options of 1..64 characters");
        }
    }

    /** The values of a form, checked against its fields (errors name form.key); unknown keys are refused. */
    static Map<String, Object> checkValues(Validator v, List<FormField> fields, Map<String, Object> values) {
        Map<String, Object> in = values == null ? Map.of() : values;
        Map<String, Object> out = new LinkedHashMap<>();
        Set<String> known = new HashSet<>();
        for (FormField f : fields) {
            known.add(f.key);
            Object val = in.get(f.key);
            boolean empty = val == null || (val instanceof String s && s.isBlank()) || (val instanceof List<?> l && l.isEmpty());
            String at = "form." + f.key;
            if (empty) {
                if (Boolean.TRUE.equals(f.required)) v.add(at, "is required");
                continue;
            }
            switch (f.type) {
                case "text" -> {
                    if (val instanceof String s && s.length() <= 2000) out.put(f.key, s.strip());
                    else v.add(at, "text of at most 2000 characters");
                }
                case "number" -> {
                    try {
                        out.put(f.key, new BigDecimal(val.toString()));
                    } catch (NumberFormatException e) {
                        v.add(at, "a number");
                    }
                }
                case "datetime" -> {
                    String s = val.toString();
                    if (parsesAsTime(s)) out.put(f.key, s);
                    else v.add(at, "a date (2026-12-06), a local date-time (2026-12-06T14:30) or an ISO-8601 instant");
                }
                case "single" -> {
                    if (val instanceof String s && f.options.contains(s)) out.put(f.key, s);
                    else v.add(at, "one of " + String.join(", ", f.options));
                }
                case "multiple" -> {
                    if (val instanceof List<?> l && l.stream().allMatch(x -> x instanceof String && f.options.contains(x))) out.put(f.key, List.copyOf(l));
                    else v.add(at, "a list of " + String.join(", ", f.options));
                }
                default -> v.add(at, "unknown field type");
            }
        }
        for (String k : in.keySet()) if (!known.contains(k)) v.add("form." + k, "not a field of this ticket type");
        return out;
    }

    private static boolean parsesAsTime(String s) {
        for (var parse : List.<java.util.function.Consumer<String>>of(LocalDate::parse, LocalDateTime::parse, Instant::parse)) {
            try {
                parse.accept(s);
                return true;
            } catch (RuntimeException e) {
                // try the next form
            }
        }
        return false;
    }
}
