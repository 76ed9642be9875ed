package dev.hotline.masking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.domain.JsonMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Outside numbers as one viewer may see them (CRM-5, docs/masking.md): every output path (API JSON, CTI events, the event
 * stream, webhooks, CSV and xlsx exports) passes what it writes through the viewer's mask. A number is a value of one
 * of {@link #FIELDS} with at least 8 digits (shorter ones are extensions and service numbers, shown as they are); its
 * mode is the one of the queue named by the nearest {@code queue} field around it, else the enterprise's. In JSON a
 * masked number gets a sibling {@code <field>Ref}: the opaque reference that dials it ({@link Masking#dialable}).
 * One mask serves one request or one event: it remembers the names it looked up.
 */
public final class NumberMask {
    /** The fields that hold outside numbers in what the server writes out. */
    public static final Set<String> FIELDS = Set.of("caller", "callee", "number", "normalized", "callerNumber", "callbackNumber",
            "customerNumber", "target", "digits", "to");
    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9][0-9 ()\\-.]*");
    private static final NumberMask NONE = new NumberMask(0, MaskPolicy.NONE, false, (e, n) -> Optional.empty(), null);

    private final long enterpriseId;
    private final MaskPolicy policy;
    private final boolean masked;
    private final BiFunction<Long, String, Optional<String>> names;
    private final RefCipher refs;
    private final Map<String, String> nameCache = new HashMap<>();

    NumberMask(long enterpriseId, MaskPolicy policy, boolean masked, BiFunction<Long, String, Optional<String>> names, RefCipher refs) {
        this.enterpriseId = enterpriseId;
        this.policy = policy;
        this.masked = masked && policy.active();
        this.names = names;
        this.refs = refs;
    }

    /** The mask of a viewer who sees every number. */
    public static NumberMask none() {
        return NONE;
    }

    /** Whether this viewer sees any number masked. */
    public boolean active() {
        return masked;
    }

    /** {@code value} as this viewer sees it, for a call of {@code queue} (null: none). */
    public String number(String value, String queue) {
        if (!masked || value == null) return value;
        String bare = bare(value);
        if (bare == null) return value;
        MaskMode mode = policy.modeFor(queue);
        if (mode == MaskMode.OFF) return value;
        return mode.apply(bare, () -> nameCache.computeIfAbsent(bare, n -> names.apply(enterpriseId, n).orElse(null)));
    }

    /** {@code value} written as JSON for this viewer (unchanged, not even converted, for an unmasked viewer). */
    public Object json(Object value) {
        if (!masked || value == null) return value;
        JsonNode tree = JsonMapper.MAPPER.valueToTree(value);
        walk(tree, null);
        return tree;
    }

    /**
     * A logged event's data held as text, masked: a JSON document, or {@code key=value} pairs (the call event log's
     * {@code caller=… callee=… target=…}) whose keys are {@link #FIELDS}.
     */
    public String jsonText(String text) {
        if (!masked || text == null) return text;
        if (!text.startsWith("{")) return pairs(text);
        try {
            JsonNode tree = JsonMapper.MAPPER.readTree(text);
            walk(tree, null);
            return JsonMapper.MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    /** One row of a report or export (keys as the JSON's), masked; the same map when nothing is masked. */
    public Map<String, Object> row(Map<String, Object> row) {
        if (!masked || row == null) return row;
        Object q = row.get("queue");
        String queue = q instanceof String s ? s : null;
        Map<String, Object> out = new LinkedHashMap<>(row);
        for (var e : out.entrySet()) {
            // A known number field, or a column of an imported list (var:<column>) holding a number.
            if (e.getValue() instanceof String s && (FIELDS.contains(e.getKey()) || e.getKey().startsWith("var:"))) e.setValue(number(s, queue));
        }
        return out;
    }

    /** Rows of a report, masked. */
    public List<Map<String, Object>> rows(List<Map<String, Object>> rows) {
        if (!masked || rows == null) return rows;
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Map<String, Object> r : rows) out.add(row(r));
        return out;
    }

    private static final Pattern PAIR = Pattern.compile("\\b([A-Za-z]+)=(\\S+)");
    private static final Pattern QUEUE = Pattern.compile("\\bqueue=(\\S+)");

    private String pairs(String text) {
        Matcher q = QUEUE.matcher(text);
        String queue = q.find() ? q.group(1) : null;
        Matcher m = PAIR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String shown = FIELDS.contains(m.group(1)) ? number(m.group(2), queue) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + "=" + shown));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void walk(JsonNode node, String queue) {
        if (node instanceof ArrayNode a) {
            for (JsonNode child : a) walk(child, queue);
        } else if (node instanceof ObjectNode o) {
            String q = o.path("queue").isTextual() ? o.path("queue").asText() : queue;
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = o.get(name);
                if (child.isTextual() && FIELDS.contains(name)) {
                    String real = child.asText();
                    String shown = number(real, q);
                    if (!shown.equals(real)) {
                        o.put(name, shown);
                        if (refs != null && !o.has(name + "Ref")) o.put(name + "Ref", refs.seal(enterpriseId, real));
                    }
                } else if (child instanceof ObjectNode values && (name.equals("fields") || name.equals("vars"))) {
                    // A customer's field values or a campaign list's columns: a phone-shaped value is a number.
                    List<String> keys = new ArrayList<>();
                    values.fieldNames().forEachRemaining(keys::add);
                    for (String k : keys) {
                        if (values.get(k).isTextual()) values.put(k, number(values.get(k).asText(), q));
                    }
                } else if (child.isTextual() && name.equals("data")) {
                    o.put(name, jsonText(child.asText()));
                } else {
                    walk(child, q);
                }
            }
        }
    }

    /** The number without a sip:/tel: scheme and host, if it is an outside number (8 digits or more), else null. */
    static String bare(String value) {
        String v = value.trim();
        if (v.regionMatches(true, 0, "sip:", 0, 4) || v.regionMatches(true, 0, "tel:", 0, 4)) v = v.substring(4);
        int at = v.indexOf('@');
        if (at >= 0) v = v.substring(0, at);
        if (!NUMBER.matcher(v).matches()) return null;
        long digits = v.chars().filter(Character::isDigit).count();
        return digits >= 8 ? v : null;
    }
}
