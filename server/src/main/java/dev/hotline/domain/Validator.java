package dev.hotline.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects field errors of one request and throws them together as one {@link DomainException.Kind#INVALID} refusal. */
public final class Validator {
    private final List<DomainException.FieldError> errors = new ArrayList<>();

    public static Validator of() {
        return new Validator();
    }

    public Validator required(String field, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) add(field, "required");
        return this;
    }

    /** Checks {@code value} against {@code regex} when present (use {@link #required} for presence). */
    public Validator matches(String field, String value, String regex, String message) {
        if (value != null && !value.isBlank() && !Pattern.matches(regex, value)) add(field, message);
        return this;
    }

    public Validator maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) add(field, "at most " + max + " characters");
        return this;
    }

    public Validator minLength(String field, String value, int min) {
        if (value != null && value.length() < min) add(field, "at least " + min + " characters");
        return this;
    }

    public Validator check(boolean ok, String field, String message) {
        if (!ok) add(field, message);
        return this;
    }

    public Validator add(String field, String message) {
        if (errors.stream().noneMatch(e -> e.field().equals(field))) errors.add(new DomainException.FieldError(field, message));
        return this;
    }

    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            String summary = errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("");
            throw new DomainException(DomainException.Kind.INVALID, null, summary, errors);
        }
    }

    /** Trims a string and turns blank into null. */
    public static String clean(String s) {
        if (s == null) return null;
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
