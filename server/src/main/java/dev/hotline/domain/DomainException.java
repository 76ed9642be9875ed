package dev.hotline.domain;

import java.util.List;

/**
 * A refusal raised by domain code (a feature's logic, store or call handling): what kind of refusal it is, a
 * stable code clients switch on, a message for people and the fields at fault. Domain code knows nothing of
 * HTTP or CTI; each edge translates the kind ({@code web.WebServer} to a status, the CTI hub to an error code).
 */
public final class DomainException extends RuntimeException {
    /** The kinds of refusal; each edge maps them to its own vocabulary. */
    public enum Kind {
        BAD_REQUEST("bad_request"),
        INVALID("validation_failed"),
        UNAUTHENTICATED("unauthenticated"),
        FORBIDDEN("forbidden"),
        NOT_FOUND("not_found"),
        CONFLICT("conflict"),
        TOO_MANY("too_many_requests"),
        UNAVAILABLE("unavailable");

        private final String defaultCode;

        Kind(String defaultCode) { this.defaultCode = defaultCode; }

        public String defaultCode() { return defaultCode; }
    }

    public record FieldError(String field, String message) {}

    private final Kind kind;
    private final String code;
    private final List<FieldError> fieldErrors;

    public DomainException(Kind kind, String code, String message, List<FieldError> fieldErrors) {
        super(message);
        this.kind = kind;
        this.code = code == null ? kind.defaultCode() : code;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    public DomainException(Kind kind, String code, String message) {
        this(kind, code, message, List.of());
    }

    public DomainException(Kind kind, String message) {
        this(kind, null, message, List.of());
    }

    public Kind kind() { return kind; }
    public String code() { return code; }
    public List<FieldError> fieldErrors() { return fieldErrors; }

    public static DomainException notFound(String what) { return new DomainException(Kind.NOT_FOUND, what + " not found"); }
    public static DomainException forbidden(String why) { return new DomainException(Kind.FORBIDDEN, why); }
    public static DomainException badRequest(String why) { return new DomainException(Kind.BAD_REQUEST, why); }
    public static DomainException badRequest(String why, String field, String fieldMessage) {
        return new DomainException(Kind.BAD_REQUEST, null, why, List.of(new FieldError(field, fieldMessage)));
    }
    public static DomainException conflict(String why) { return new DomainException(Kind.CONFLICT, why); }
    /** A conflict on one field, e.g. a name that already exists. */
    public static DomainException conflict(String why, String field, String fieldMessage) {
        return new DomainException(Kind.CONFLICT, null, why, List.of(new FieldError(field, fieldMessage)));
    }
    public static DomainException invalid(String field, String message) {
        return new DomainException(Kind.INVALID, null, field + ": " + message, List.of(new FieldError(field, message)));
    }
    public static DomainException unavailable(String code, String why) { return new DomainException(Kind.UNAVAILABLE, code, why, List.of()); }
}
