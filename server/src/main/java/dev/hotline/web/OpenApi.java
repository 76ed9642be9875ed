package dev.hotline.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the OpenAPI 3 document from the routes registered in {@link Api}: their paths, permissions and record types. */
final class OpenApi {
    private static final Pattern PATH_PARAM = Pattern.compile("\\{(\\w+)}");
    private final String json;

    OpenApi(Api api) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("openapi", "3.0.3");
        root.putObject("info").put("title", "Hotline API").put("version", "1")
                .put("description", "REST API of the Hotline call center. Every route is scoped to the caller's enterprise. "
                        + "Errors: {code, message, fieldErrors}. Cookie sessions send X-CSRF-Token on changes; tokens use Authorization: Bearer.");
        ObjectNode schemas = Json.MAPPER.createObjectNode();
        ObjectNode paths = root.putObject("paths");
        for (Api.Route r : api.routes()) {
            ObjectNode path = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
            ObjectNode op = path.putObject(r.method().name().toLowerCase(Locale.ROOT));
            op.putArray("tags").add(r.tag());
            op.put("summary", r.summary());
            if (r.permission() != null) op.put("description", "Requires permission `" + r.permission().key() + "`.");
            if (!r.authenticated()) op.putArray("security");
            Matcher m = PATH_PARAM.matcher(r.path());
            ArrayNode params = null;
            while (m.find()) {
                if (params == null) params = op.putArray("parameters");
                params.addObject().put("name", m.group(1)).put("in", "path").put("required", true)
                        .putObject("schema").put("type", m.group(1).equals("id") ? "integer" : "string");
            }
            if (r.body() != null) {
                op.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
                        .set("schema", schemaRef(r.body(), schemas));
            }
            ObjectNode responses = op.putObject("responses");
            ObjectNode ok = responses.putObject(r.method().name().equals("POST") && r.response() != null ? "201"
                    : r.response() == null ? "204" : "200");
            ok.put("description", "success");
            if (r.response() != null) {
                ObjectNode schema = r.listResponse()
                        ? Json.MAPPER.createObjectNode().put("type", "array").set("items", schemaRef(r.response(), schemas))
                        : schemaRef(r.response(), schemas);
                ok.putObject("content").putObject("application/json").set("schema", schema);
            }
            responses.putObject("default").put("description", "error").putObject("content").putObject("application/json")
                    .putObject("schema").put("$ref", "#/components/schemas/ErrorBody");
        }
        schemaRef(ErrorBody.class, schemas);
        ObjectNode components = root.putObject("components");
        components.set("schemas", schemas);
        ObjectNode sec = components.putObject("securitySchemes");
        sec.putObject("session").put("type", "apiKey").put("in", "cookie").put("name", WebServer.SESSION_COOKIE);
        sec.putObject("token").put("type", "http").put("scheme", "bearer");
        root.putArray("security").add(Json.MAPPER.createObjectNode().set("session", Json.MAPPER.createArrayNode()))
                .add(Json.MAPPER.createObjectNode().set("token", Json.MAPPER.createArrayNode()));
        this.json = root.toPrettyString();
    }

    String json() {
        return json;
    }

    private static ObjectNode schemaRef(Class<?> type, ObjectNode schemas) {
        if (!type.isRecord()) return schemaOf(type, schemas);
        String name = type.getSimpleName();
        if (!schemas.has(name)) {
            ObjectNode s = schemas.putObject(name).put("type", "object");
            ObjectNode props = s.putObject("properties");
            for (RecordComponent c : type.getRecordComponents()) props.set(c.getName(), schemaOfType(c.getGenericType(), schemas));
        }
        return Json.MAPPER.createObjectNode().put("$ref", "#/components/schemas/" + name);
    }

    private static ObjectNode schemaOfType(Type t, ObjectNode schemas) {
        if (t instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> raw) {
            if (Collection.class.isAssignableFrom(raw)) {
                return Json.MAPPER.createObjectNode().put("type", "array").set("items", schemaOfType(pt.getActualTypeArguments()[0], schemas));
            }
            if (Map.class.isAssignableFrom(raw)) return Json.MAPPER.createObjectNode().put("type", "object");
            if (raw == java.util.Optional.class) return schemaOfType(pt.getActualTypeArguments()[0], schemas);
        }
        return t instanceof Class<?> c ? (c.isRecord() ? schemaRef(c, schemas) : schemaOf(c, schemas)) : Json.MAPPER.createObjectNode();
    }

    private static ObjectNode schemaOf(Class<?> c, ObjectNode schemas) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        if (c == String.class) return n.put("type", "string");
        if (c == long.class || c == Long.class || c == int.class || c == Integer.class) return n.put("type", "integer");
        if (c == double.class || c == Double.class) return n.put("type", "number");
        if (c == boolean.class || c == Boolean.class) return n.put("type", "boolean");
        if (c == Instant.class) return n.put("type", "string").put("format", "date-time");
        if (c.isEnum()) {
            ArrayNode values = n.put("type", "string").putArray("enum");
            for (Object o : c.getEnumConstants()) values.add(Json.MAPPER.valueToTree(o));
            return n;
        }
        if (Collection.class.isAssignableFrom(c)) return n.put("type", "array");
        return n.put("type", "object");
    }
}
