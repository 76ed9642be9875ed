package dev.hotline.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.JsonMapper;
import dev.hotline.domain.Validator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The CRM's routing settings of an enterprise (docs/crm.md "Screen pop and routing"): which customer field holds the
 * tier and the queue priority each tier adds (ACD-3), and the external URL the desk opens when a call of a queue rings
 * (AGENT-4), a template with {caller}, {called} and {callId} (URL-encoded by the desk).
 *
 * @param tierField      the key of a customer field (single choice or text); null: tiers do not set priorities
 * @param tierPriorities tier value → priority added to a caller of that tier (0..50; VIP numbers add 10, transfers 5)
 * @param popUrls        queue name → URL template
 */
public record CrmSettings(String tierField, Map<String, Integer> tierPriorities, Map<String, String> popUrls) {
    public static final int MAX_TIER_PRIORITY = 50;
    public static final CrmSettings NONE = new CrmSettings(null, Map.of(), Map.of());

    public CrmSettings {
        // Copies that keep nulls (a null priority is refused by save, not by Map.copyOf's exception).
        tierPriorities = tierPriorities == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tierPriorities));
        popUrls = popUrls == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(popUrls));
    }

    /** The priority a customer with {@code tier} gets (0 when the tier has none). */
    public int priorityOf(String tier) {
        if (tier == null) return 0;
        Integer p = tierPriorities.get(tier);
        if (p == null) {
            for (var e : tierPriorities.entrySet()) if (e.getKey().equalsIgnoreCase(tier) && e.getValue() != null) return e.getValue();
            return 0;
        }
        return p;
    }

    public static CrmSettings load(Handle h, long enterpriseId) {
        Optional<CrmSettings> row = h.createQuery("SELECT tier_field, tier_priorities FROM crm_settings WHERE enterprise_id = :e")
                .bind("e", enterpriseId)
                .map((rs, c) -> new CrmSettings(rs.getString(1), priorities(rs.getString(2)), null)).findOne();
        Map<String, String> pops = new LinkedHashMap<>();
        h.createQuery("SELECT queue, url_template FROM crm_queue_pop WHERE enterprise_id = :e ORDER BY queue").bind("e", enterpriseId)
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2))).forEach(e -> pops.put(e.getKey(), e.getValue()));
        return new CrmSettings(row.map(CrmSettings::tierField).orElse(null), row.map(CrmSettings::tierPriorities).orElse(Map.of()), pops);
    }

    /** Checks and stores {@code in} (400 naming tierField, tierPriorities.<tier> or popUrls.<queue>). */
    public static CrmSettings save(Handle h, long enterpriseId, CrmSettings in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        Validator v = Validator.of();
        String field = Validator.clean(in.tierField());
        if (field != null) {
            Optional<CustomerField> f = FieldStore.list(h, enterpriseId).stream().filter(x -> x.key().equals(field)).findFirst();
            if (f.isEmpty()) v.add("tierField", "no such customer field");
            else if (f.get().type() != FieldType.SINGLE_CHOICE && f.get().type() != FieldType.TEXT) v.add("tierField", "a single choice or text field");
        }
        v.check(in.tierPriorities().size() <= 50, "tierPriorities", "at most 50 tiers");
        for (var e : in.tierPriorities().entrySet()) {
            Integer p = e.getValue();
            v.check(e.getKey() != null && !e.getKey().isBlank() && e.getKey().length() <= 64, "tierPriorities", "a tier is 1..64 characters");
            v.check(p != null && p >= 0 && p <= MAX_TIER_PRIORITY, "tierPriorities." + e.getKey(), "0.." + MAX_TIER_PRIORITY);
        }
        for (var e : in.popUrls().entrySet()) {
            String key = "popUrls." + e.getKey();
            boolean queue = h.createQuery("SELECT COUNT(*) FROM acd_queue WHERE enterprise_id = :e AND name = :n")
                    .bind("e", enterpriseId).bind("n", e.getKey()).mapTo(Long.class).one() > 0;
            v.check(queue, key, "no such queue");
            String url = e.getValue();
            v.check(url != null && url.matches("(?i)https?://[^\\s]+") && url.length() <= 1000, key,
                    "an http:// or https:// address without spaces, at most 1000 characters");
        }
        v.throwIfInvalid();
        CrmSettings out = new CrmSettings(field, in.tierPriorities(), in.popUrls());
        h.createUpdate("DELETE FROM crm_settings WHERE enterprise_id = :e").bind("e", enterpriseId).execute();
        h.createUpdate("INSERT INTO crm_settings (enterprise_id, tier_field, tier_priorities) VALUES (:e, :f, :p)")
                .bind("e", enterpriseId).bind("f", field).bind("p", json(out.tierPriorities())).execute();
        h.createUpdate("DELETE FROM crm_queue_pop WHERE enterprise_id = :e").bind("e", enterpriseId).execute();
        for (var e : out.popUrls().entrySet()) {
            h.createUpdate("INSERT INTO crm_queue_pop (enterprise_id, queue, url_template) VALUES (:e, :q, :u)")
                    .bind("e", enterpriseId).bind("q", e.getKey()).bind("u", e.getValue()).execute();
        }
        return load(h, enterpriseId);
    }

    /** What the ACD needs of a caller (ACD-3, ACD-4): the owner of their customer record and their tier's priority. */
    public record CallerRouting(Long ownerId, int priority) {}

    /**
     * The routing of a caller: among the enterprise's customers having this number (every customer, whoever owns it:
     * routing is the system's, not a user's view), the owner of the most recently changed one and the highest
     * priority of their tiers; empty when no customer has the number.
     */
    public static Optional<CallerRouting> callerRouting(Handle h, long enterpriseId, String callerNumber) {
        String normalized = PhoneNumbers.matchingForm(callerNumber);
        if (normalized == null) return Optional.empty();
        record Match(long id, Long owner) {}
        List<Match> matches = h.createQuery("""
                        SELECT c.id, c.owner_id FROM customer c WHERE c.enterprise_id = :e AND c.id IN
                            (SELECT p.customer_id FROM customer_phone p WHERE p.enterprise_id = :e AND p.normalized = :n)
                        ORDER BY c.updated_at DESC, c.id DESC LIMIT 20""")
                .bind("e", enterpriseId).bind("n", normalized)
                .map((rs, c) -> {
                    long owner = rs.getLong(2);
                    return new Match(rs.getLong(1), rs.wasNull() ? null : owner);
                }).list();
        if (matches.isEmpty()) return Optional.empty();
        CrmSettings s = load(h, enterpriseId);
        int priority = 0;
        if (s.tierField() != null) {
            List<String> tiers = h.createQuery("""
                            SELECT v.field_value FROM customer_value v JOIN customer_field f ON f.id = v.field_id
                            WHERE v.enterprise_id = :e AND f.field_key = :k AND v.customer_id IN (<ids>)""")
                    .bind("e", enterpriseId).bind("k", s.tierField()).bindList("ids", matches.stream().map(Match::id).toList())
                    .mapTo(String.class).list();
            for (String t : tiers) priority = Math.max(priority, s.priorityOf(t));
        }
        return Optional.of(new CallerRouting(matches.get(0).owner(), priority));
    }

    /**
     * IVR-4: the value of field {@code fieldKey} of the caller's customer: the most recently changed customer of the
     * enterprise having this number (whoever owns it: a verification flow is the system's, not a user's view); empty when
     * no customer has the number or the value is blank.
     */
    public static Optional<String> callerField(Handle h, long enterpriseId, String callerNumber, String fieldKey) {
        String normalized = PhoneNumbers.matchingForm(callerNumber);
        if (normalized == null || fieldKey == null) return Optional.empty();
        Optional<Long> customer = h.createQuery("""
                        SELECT c.id FROM customer c WHERE c.enterprise_id = :e AND c.id IN
                            (SELECT p.customer_id FROM customer_phone p WHERE p.enterprise_id = :e AND p.normalized = :n)
                        ORDER BY c.updated_at DESC, c.id DESC LIMIT 1""")
                .bind("e", enterpriseId).bind("n", normalized).mapTo(Long.class).findOne();
        if (customer.isEmpty()) return Optional.empty();
        return h.createQuery("""
                        SELECT v.field_value FROM customer_value v JOIN customer_field f ON f.id = v.field_id
                        WHERE v.enterprise_id = :e AND v.customer_id = :c AND f.field_key = :k""")
                .bind("e", enterpriseId).bind("c", customer.get()).bind("k", fieldKey)
                .mapTo(String.class).findOne().filter(v -> !v.isBlank());
    }

    private static Map<String, Integer> priorities(String json) {
        try {
            return json == null ? Map.of() : JsonMapper.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Integer>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("crm_settings.tier_priorities is not JSON: " + json, e);
        }
    }

    private static String json(Map<String, Integer> m) {
        try {
            return JsonMapper.MAPPER.writeValueAsString(new LinkedHashMap<>(m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
