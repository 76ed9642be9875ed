package dev.hotline.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.javalin.http.Context;

/** The one JSON mapper of the HTTP API, and strict reading of request bodies. */
public final class Json {
    public static final ObjectMapper MAPPER = dev.hotline.domain.JsonMapper.MAPPER;

    private Json() {}

    /** Reads the body as {@code type}; a missing or malformed body is a 400 that says where it broke. */
    public static <T> T body(Context ctx, Class<T> type) {
        String text = ctx.body();
        if (text.isBlank()) throw ApiException.badRequest("a JSON body is required");
        try {
            T value = MAPPER.readValue(text, type);
            if (value == null) throw ApiException.badRequest("a JSON object is required");
            return value;
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "body" : e.getPath().get(e.getPath().size() - 1).getFieldName();
            throw ApiException.invalid(field == null ? "body" : field, "wrong type");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        }
    }
}
