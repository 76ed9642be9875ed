package dev.hotline.web;

import java.util.List;

/** An API error with its HTTP status and the stable error code clients switch on. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<FieldError> fieldErrors;

    public record FieldError(String field, String message) {}

    public ApiException(int status, String code, String message, List<FieldError> fieldErrors) {
        super(message);
        this.status = status;
        this.code = code;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public int status() { return status; }
    public String code() { return code; }
    public List<FieldError> fieldErrors() { return fieldErrors; }

    public static ApiException notFound(String what) { return new ApiException(404, "not_found", what + " not found"); }
    public static ApiException forbidden(String why) { return new ApiException(403, "forbidden", why); }
    public static ApiException badRequest(String why) { return new ApiException(400, "bad_request", why); }
    public static ApiException conflict(String why) { return new ApiException(409, "conflict", why); }
    public static ApiException unauthenticated() { return new ApiException(401, "unauthenticated", "login required"); }
    public static ApiException invalid(String field, String message) {
        return new ApiException(400, "validation_failed", field + ": " + message, List.of(new FieldError(field, message)));
    }
}
