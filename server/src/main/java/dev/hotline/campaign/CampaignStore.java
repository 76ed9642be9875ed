package dev.hotline.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.hotline.domain.JsonMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The {@code campaign}, {@code campaign_contact} and {@code dnc_number} tables. */
final class CampaignStore {
    private CampaignStore() {}

    /**
     * A number of a campaign's list with where it stands; {@code smsId} the SMS the campaign queued for it (MSG-3) and
     * {@code smsStatus} that message's state (filled in by the routes from the SMS log; null from the store).
     */
    record Contact(long id, String number, String name, Map<String, String> vars, String state, int attempts, Instant nextAt,
                   String lastOutcome, String answer, Map<String, Integer> outcomes, Instant lastAttemptAt, String answerKey,
                   Instant answeredAt, Long smsId, String smsStatus) {
        Contact withSmsStatus(String status) {
            return new Contact(id, number, name, vars, state, attempts, nextAt, lastOutcome, answer, outcomes, lastAttemptAt, answerKey, answeredAt,
                    smsId, status);
        }
    }

    /** A running campaign and its enterprise (the dialer's list). */
    record Running(long enterpriseId, Campaign campaign) {}

    /** A do-not-call number. */
    record Dnc(long id, String number, String note, Instant createdAt) {}

    private static final RowMapper<Campaign> CAMPAIGN = (rs, c) -> new Campaign(rs.getLong("id"), rs.getString("name"),
            DialMode.parse(rs.getString("mode")).orElseThrow(), CampaignState.of(rs.getString("state")),
            read(rs.getString("settings"), CampaignSettings.class), rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("state_at").toInstant());

    private static final RowMapper<Contact> CONTACT = (rs, c) -> new Contact(rs.getLong("id"), rs.getString("number"), rs.getString("name"),
            rs.getString("vars") == null ? Map.of() : read(rs.getString("vars"), new TypeReference<LinkedHashMap<String, String>>() {}),
            rs.getString("state"), rs.getInt("attempts"), rs.getTimestamp("next_at") == null ? null : rs.getTimestamp("next_at").toInstant(),
            rs.getString("last_outcome"), rs.getString("answer"),
            rs.getString("outcome_counts") == null ? Map.of() : read(rs.getString("outcome_counts"), new TypeReference<LinkedHashMap<String, Integer>>() {}),
            rs.getTimestamp("last_attempt_at") == null ? null : rs.getTimestamp("last_attempt_at").toInstant(), rs.getString("answer_key"),
            rs.getTimestamp("answered_at") == null ? null : rs.getTimestamp("answered_at").toInstant(),
            rs.getObject("sms_id") == null ? null : rs.getLong("sms_id"), null);

    private static final RowMapper<Dnc> DNC = (rs, c) -> new Dnc(rs.getLong("id"), rs.getString("number"), rs.getString("note"),
            rs.getTimestamp("created_at").toInstant());

    static List<Campaign> list(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM campaign WHERE enterprise_id = :e ORDER BY id").bind("e", enterpriseId).map(CAMPAIGN).list();
    }

    static Optional<Campaign> byId(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT * FROM campaign WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id)
                .map(CAMPAIGN).findOne();
    }

    static boolean nameTaken(Handle h, long enterpriseId, String name, long exceptId) {
        return h.createQuery("SELECT COUNT(*) FROM campaign WHERE enterprise_id = :e AND name = :n AND id <> :id").bind("e", enterpriseId)
                .bind("n", name).bind("id", exceptId).mapTo(Long.class).one() > 0;
    }

    static long insert(Handle h, long enterpriseId, String name, DialMode mode, CampaignSettings settings, Instant now) {
        return h.createUpdate("""
                INSERT INTO campaign (enterprise_id, name, mode, state, settings, created_at, state_at)
                VALUES (:e, :name, :mode, :state, :settings, :at, :at)""")
                .bind("e", enterpriseId).bind("name", name).bind("mode", mode.key()).bind("state", CampaignState.DRAFT.key())
                .bind("settings", write(settings)).bind("at", Timestamp.from(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static void update(Handle h, long enterpriseId, long id, String name, DialMode mode, CampaignSettings settings) {
        h.createUpdate("UPDATE campaign SET name = :name, mode = :mode, settings = :settings WHERE enterprise_id = :e AND id = :id")
                .bind("e", enterpriseId).bind("id", id).bind("name", name).bind("mode", mode.key()).bind("settings", write(settings)).execute();
    }

    static void setState(Handle h, long enterpriseId, long id, CampaignState state, Instant now) {
        h.createUpdate("UPDATE campaign SET state = :s, state_at = :at WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId)
                .bind("id", id).bind("s", state.key()).bind("at", Timestamp.from(now)).execute();
    }

    static void delete(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM campaign_contact WHERE enterprise_id = :e AND campaign_id = :id").bind("e", enterpriseId).bind("id", id).execute();
        h.createUpdate("DELETE FROM campaign WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id).execute();
    }

    /** The numbers already in the campaign's list. */
    static Set<String> numbers(Handle h, long campaignId) {
        return new HashSet<>(h.createQuery("SELECT number FROM campaign_contact WHERE campaign_id = :c").bind("c", campaignId)
                .mapTo(String.class).list());
    }

    static void insertContact(Handle h, long enterpriseId, long campaignId, ContactList.Entry row, Instant now) {
        h.createUpdate("""
                INSERT INTO campaign_contact (campaign_id, enterprise_id, number, name, vars, state, attempts, updated_at)
                VALUES (:c, :e, :n, :name, :vars, 'pending', 0, :at)""")
                .bind("c", campaignId).bind("e", enterpriseId).bind("n", row.number()).bind("name", row.name())
                .bind("vars", row.vars().isEmpty() ? null : write(row.vars())).bind("at", Timestamp.from(now)).execute();
    }

    static List<Contact> contacts(Handle h, long enterpriseId, long campaignId, String state, int limit, int offset) {
        return h.createQuery("SELECT * FROM campaign_contact WHERE enterprise_id = :e AND campaign_id = :c"
                        + (state == null ? "" : " AND state = :s") + " ORDER BY id LIMIT :l OFFSET :o")
                .bind("e", enterpriseId).bind("c", campaignId).bind("s", state).bind("l", limit).bind("o", offset).map(CONTACT).list();
    }

    /** Contacts per state (pending, dialling, done, exhausted, skipped). */
    static Map<String, Long> countsByState(Handle h, long campaignId) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String s : List.of("pending", "dialling", "done", "exhausted", "skipped")) out.put(s, 0L);
        h.createQuery("SELECT state, COUNT(*) AS n FROM campaign_contact WHERE campaign_id = :c GROUP BY state").bind("c", campaignId)
                .map((rs, c) -> Map.entry(rs.getString("state"), rs.getLong("n"))).forEach(en -> out.put(en.getKey(), en.getValue()));
        return out;
    }

    // ---------------------------------------------------------------- the dialer

    static List<Running> running(Handle h) {
        return h.createQuery("SELECT * FROM campaign WHERE state = :s ORDER BY id").bind("s", CampaignState.RUNNING.key())
                .map((rs, c) -> new Running(rs.getLong("enterprise_id"), CAMPAIGN.map(rs, c))).list();
    }

    static String enterpriseName(Handle h, long enterpriseId) {
        return h.createQuery("SELECT name FROM enterprise WHERE id = :e").bind("e", enterpriseId).mapTo(String.class).findOne().orElse("");
    }

    /** Up to {@code n} numbers due now: pending and not held back (retry interval, 72 h after an abandon); retries due first. */
    static List<Contact> due(Handle h, long campaignId, Instant now, int n) {
        return h.createQuery("""
                SELECT * FROM campaign_contact WHERE campaign_id = :c AND state = 'pending' AND (next_at IS NULL OR next_at <= :now)
                ORDER BY next_at NULLS FIRST, id LIMIT :n""")
                .bind("c", campaignId).bind("now", Timestamp.from(now)).bind("n", n).map(CONTACT).list();
    }

    /** Takes a pending number for an attempt (dialling, one more attempt); false when it is no longer pending. */
    static boolean claim(Handle h, long contactId, Instant now) {
        return h.createUpdate("""
                UPDATE campaign_contact SET state = 'dialling', attempts = attempts + 1, last_attempt_at = :at, updated_at = :at
                WHERE id = :id AND state = 'pending'""").bind("id", contactId).bind("at", Timestamp.from(now)).execute() == 1;
    }

    /** An attempt's outcome: the number's next state, when it is due again, and its count per outcome. */
    static void finish(Handle h, long contactId, Outcome outcome, Retries.Next next, Map<String, Integer> counts, Instant now) {
        h.createUpdate("""
                UPDATE campaign_contact SET state = :s, next_at = :next, last_outcome = :o, outcome_counts = :counts, updated_at = :at
                WHERE id = :id""").bind("id", contactId).bind("s", next.state())
                .bind("next", next.dueAt() == null ? null : Timestamp.from(next.dueAt())).bind("o", outcome.key())
                .bind("counts", write(counts)).bind("at", Timestamp.from(now)).execute();
    }

    /** A notification's answer for the number (OUT-2): the key pressed (null: none) and its meaning (confirm, refuse, agent, none). */
    static void answer(Handle h, long contactId, String key, String answer, Instant now) {
        h.createUpdate("UPDATE campaign_contact SET answer = :a, answer_key = :k, answered_at = :at WHERE id = :id").bind("id", contactId)
                .bind("a", answer).bind("k", key).bind("at", Timestamp.from(now)).execute();
    }

    /** The SMS queued for the number (MSG-3). */
    static void sms(Handle h, long contactId, long smsId) {
        h.createUpdate("UPDATE campaign_contact SET sms_id = :s WHERE id = :id").bind("id", contactId).bind("s", smsId).execute();
    }

    static Optional<String> queueName(Handle h, long enterpriseId, long queueId) {
        return h.createQuery("SELECT name FROM acd_queue WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", queueId)
                .mapTo(String.class).findOne();
    }

    /** The names of the list's own columns (its numbers' variables), in their first appearance's order. */
    static List<String> varNames(Handle h, long campaignId) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        h.createQuery("SELECT vars FROM campaign_contact WHERE campaign_id = :c AND vars IS NOT NULL ORDER BY id").bind("c", campaignId)
                .mapTo(String.class).forEach(v -> names.addAll(read(v, new TypeReference<LinkedHashMap<String, String>>() {}).keySet()));
        return List.copyOf(names);
    }

    static long campaignOfContact(Handle h, long contactId) {
        return h.createQuery("SELECT campaign_id FROM campaign_contact WHERE id = :id").bind("id", contactId).mapTo(Long.class).findOne().orElse(-1L);
    }

    static Optional<Contact> contact(Handle h, long contactId) {
        return h.createQuery("SELECT * FROM campaign_contact WHERE id = :id").bind("id", contactId).map(CONTACT).findOne();
    }

    /** At start: numbers left dialling by a stop are pending again (their attempt stays counted). */
    static int releaseDialling(Handle h, Instant now) {
        return h.createUpdate("UPDATE campaign_contact SET state = 'pending', updated_at = :at WHERE state = 'dialling'")
                .bind("at", Timestamp.from(now)).execute();
    }

    /** The campaign's person answers (answered, abandoned) since {@code since}, oldest first: instant and whether abandoned. */
    static List<Map.Entry<Instant, Boolean>> personAnswers(Handle h, long enterpriseId, long campaignId, Instant since) {
        return h.createQuery("""
                SELECT at, data FROM call_event WHERE enterprise_id = :e AND type = 'campaign_outcome' AND at >= :since AND data LIKE :p
                ORDER BY at, id""")
                .bind("e", enterpriseId).bind("since", Timestamp.from(since)).bind("p", "campaign=" + campaignId + " %")
                .map((rs, c) -> Map.entry(rs.getTimestamp("at").toInstant(), rs.getString("data"))).list().stream()
                .filter(en -> en.getValue().contains(" outcome=answered") || en.getValue().contains(" outcome=abandoned"))
                .map(en -> Map.entry(en.getKey(), en.getValue().contains(" outcome=abandoned"))).toList();
    }

    static List<Dnc> dnc(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM dnc_number WHERE enterprise_id = :e ORDER BY number").bind("e", enterpriseId).map(DNC).list();
    }

    static Optional<Dnc> dncById(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT * FROM dnc_number WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id)
                .map(DNC).findOne();
    }

    static Set<String> dncNumbers(Handle h, long enterpriseId) {
        return new HashSet<>(h.createQuery("SELECT number FROM dnc_number WHERE enterprise_id = :e").bind("e", enterpriseId)
                .mapTo(String.class).list());
    }

    static boolean onDnc(Handle h, long enterpriseId, String number) {
        return h.createQuery("SELECT COUNT(*) FROM dnc_number WHERE enterprise_id = :e AND number = :n").bind("e", enterpriseId)
                .bind("n", number).mapTo(Long.class).one() > 0;
    }

    static long insertDnc(Handle h, long enterpriseId, String number, String note, Instant now) {
        return h.createUpdate("INSERT INTO dnc_number (enterprise_id, number, note, created_at) VALUES (:e, :n, :note, :at)")
                .bind("e", enterpriseId).bind("n", number).bind("note", note).bind("at", Timestamp.from(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static void deleteDnc(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM dnc_number WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id).execute();
    }

    /** The campaign's attempt and outcome events from the event log, oldest first. */
    static List<Map<String, Object>> events(Handle h, long enterpriseId, long campaignId, int limit, int offset) {
        return h.createQuery("""
                SELECT call_id, at, type, channel_id, data FROM call_event
                WHERE enterprise_id = :e AND type IN ('campaign_attempt', 'campaign_outcome') AND data LIKE :p
                ORDER BY at, id LIMIT :l OFFSET :o""")
                .bind("e", enterpriseId).bind("p", "campaign=" + campaignId + " %").bind("l", limit).bind("o", offset)
                .map((rs, c) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("callId", rs.getString("call_id"));
                    m.put("at", rs.getTimestamp("at").toInstant().toString());
                    m.put("type", rs.getString("type"));
                    m.put("data", rs.getString("data"));
                    return m;
                }).list();
    }

    static String write(Object o) {
        try {
            return JsonMapper.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T read(String s, Class<T> type) {
        try {
            return JsonMapper.MAPPER.readValue(s, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T read(String s, TypeReference<T> type) {
        try {
            return JsonMapper.MAPPER.readValue(s, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
