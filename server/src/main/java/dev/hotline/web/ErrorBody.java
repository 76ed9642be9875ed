package dev.hotline.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The one error body every API error has. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorBody(String code, String message, List<ApiException.FieldError> fieldErrors) {
    public static ErrorBody of(dev.hotline.domain.DomainException e) {
        return new ErrorBody(e.code(), e.getMessage(),
                e.fieldErrors().stream().map(f -> new ApiException.FieldError(f.field(), f.message())).toList());
    }

    public static ErrorBody of(ApiException e) {
        return new ErrorBody(e.code(), e.getMessage(), e.fieldErrors());
    }
}
