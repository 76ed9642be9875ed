package dev.hotline.crm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hotline.domain.JsonMapper;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The types of an admin-defined customer field (CRM-1). Each type turns what a person or a file gives into the one
 * stored text, or says why it cannot: {@link #canonical} returns the stored text or throws {@link Bad} with a reason.
 */
public enum FieldType {
    TEXT("text") {
        @Override
        String canonical(Object value, List<String> options) {
            String s = text(value);
            if (s.length() > 1000) throw new Bad("at most 1000 characters");
            return s;
        }
    },
    SINGLE_CHOICE("single_choice") {
        @Override
        String canonical(Object value, List<String> options) {
            String s = text(value);
            return options.stream().filter(o -> o.equalsIgnoreCase(s)).findFirst()
                    .orElseThrow(() -> new Bad("not one of " + String.join(", ", options)));
        }
    },
    MULTIPLE_CHOICE("multiple_choice") {
        @Override
        String canonical(Object value, List<String> options) {
            List<String> given = new ArrayList<>();
            if (value instanceof List<?> list) {
                for (Object o : list) given.add(text(o));
            } else {
                for (String part : text(value).split("[;；|,，]")) if (!part.isBlank()) given.add(part.strip());
            }
            LinkedHashSet<String> chosen = new LinkedHashSet<>();
            for (String g : given) {
                chosen.add(options.stream().filter(o -> o.equalsIgnoreCase(g)).findFirst()
                        .orElseThrow(() -> new Bad("'" + g + "' is not one of " + String.join(", ", options))));
            }
            try {
                return JsonMapper.MAPPER.writeValueAsString(List.copyOf(chosen));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        Object presented(String stored) {
            try {
                return JsonMapper.MAPPER.readValue(stored, List.class);
            } catch (JsonProcessingException e) {
                return List.of(stored);
            }
        }

        @Override
        String asText(String stored) {
            Object p = presented(stored);
            return p instanceof List<?> l ? String.join(";", l.stream().map(String::valueOf).toList()) : stored;
        }
    },
    DATETIME("datetime") {
        @Override
        String canonical(Object value, List<String> options) {
            if (value instanceof Number n) return excelSerial(n.doubleValue());
            String s = text(value).replace('/', '-');
            try {
                if (s.length() <= 10) return LocalDate.parse(s).toString();
                return LocalDateTime.parse(s.replace(' ', 'T')).toString();
            } catch (DateTimeParseException e) {
                throw new Bad("a date (2024-01-31) or date and time (2024-01-31 09:30)");
            }
        }
    },
    NUMBER("number") {
        @Override
        String canonical(Object value, List<String> options) {
            if (value instanceof Number n) return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
            try {
                return new BigDecimal(text(value).replace(",", "")).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException e) {
                throw new Bad("not a number");
            }
        }

        @Override
        Object presented(String stored) {
            return new BigDecimal(stored);
        }
    },
    PHONE("phone") {
        @Override
        String canonical(Object value, List<String> options) {
            String s = value instanceof BigDecimal b ? b.toPlainString() : text(value);
            if (PhoneNumbers.parse(s).isEmpty()) throw new Bad("not a phone number");
            return s;
        }
    },
    EMAIL("email") {
        @Override
        String canonical(Object value, List<String> options) {
            String s = text(value);
            if (s.length() > 128 || !s.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) throw new Bad("not an e-mail address");
            return s;
        }
    };

    /** Why a value does not fit its field. */
    public static final class Bad extends RuntimeException {
        public Bad(String reason) {
            super(reason, null, false, false);
        }
    }

    private final String key;

    FieldType(String key) {
        this.key = key;
    }

    @JsonValue
    public String key() {
        return key;
    }

    @JsonCreator
    public static FieldType fromKey(String key) {
        return parse(key).orElse(null);
    }

    public static Optional<FieldType> parse(String key) {
        if (key == null) return Optional.empty();
        String k = key.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.key.equals(k)).findFirst();
    }

    public boolean hasOptions() {
        return this == SINGLE_CHOICE || this == MULTIPLE_CHOICE;
    }

    /** The text stored for {@code value} (not blank), or {@link Bad}. */
    abstract String canonical(Object value, List<String> options);

    /** The stored text as the API shows it (a list for multiple choice, a number for numbers). */
    Object presented(String stored) {
        return stored;
    }

    /** The stored text as one cell of an export. */
    String asText(String stored) {
        return stored;
    }

    /** True when a person or a file gave nothing for the field. */
    static boolean blank(Object value) {
        return value == null || (value instanceof String s && s.isBlank()) || (value instanceof List<?> l && l.isEmpty());
    }

    private static String text(Object value) {
        if (value instanceof BigDecimal b) return b.toPlainString();
        if (value instanceof String || value instanceof Number || value instanceof Boolean) return String.valueOf(value).strip();
        throw new Bad("wrong type");
    }

    /** A spreadsheet's day number (days since 1899-12-30) as a date, or a date and time when it has a fraction. */
    private static String excelSerial(double serial) {
        LocalDateTime t = LocalDateTime.of(1899, 12, 30, 0, 0).plusSeconds(Math.round(serial * 86400));
        return serial == Math.floor(serial) ? t.toLocalDate().toString() : t.toString();
    }
}
