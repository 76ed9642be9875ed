package dev.hotline.ivr;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * ACD-4: the number lists of an enterprise (VIP callers, a partner's numbers, a region's exchanges...), which a flow's
 * caller condition node ({@link Flow.CallerMatch}) routes by. An entry is a phone number, matched in its national form
 * ({@link CallerNumbers#national}: {@code +8613800138000}, {@code 008613800138000}, {@code 013800138000} and
 * {@code 13800138000} are one number), or a prefix ending in {@code *} ({@code 0755*}, {@code 138*}, {@code +86755*}).
 */
public final class NumberLists {
    public static final int MAX_ENTRIES = 20_000;

    /** A list as the API shows it: its entries as they were entered, in order. */
    public record View(long id, String name, String description, List<String> entries, Instant updatedAt) {}

    /** What the API takes; on update a null keeps the old value ({@code entries} replaces all entries). */
    public record Input(String name, String description, List<String> entries) {}

    /** An entry as it is matched: its key in national form, and whether it is a prefix. */
    record Entry(String number, String key, boolean prefix) {}

    private final Jdbi jdbi;
    private final Clock clock;

    public NumberLists(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** An entry as typed, or empty when it is neither a phone number nor a prefix ending in *. */
    static Optional<Entry> entry(String raw) {
        if (raw == null) return Optional.empty();
        String s = raw.strip();
        if (s.endsWith("*")) {
            String p = CallerNumbers.prefix(s.substring(0, s.length() - 1));
            return p == null ? Optional.empty() : Optional.of(new Entry(s, p, true));
        }
        return CallerNumbers.national(s).filter(n -> n.length() >= 3 && n.length() <= 40).map(n -> new Entry(s, n, false));
    }

    /** Whether {@code caller} is on the enterprise's list {@code name}: an exact entry, or a prefix its national form starts with. */
    public boolean contains(long enterpriseId, String name, String caller) {
        Optional<String> national = CallerNumbers.national(caller);
        if (national.isEmpty()) return false;
        String n = national.get();
        List<String> prefixes = new ArrayList<>();
        for (int i = 3; i <= n.length(); i++) prefixes.add(n.substring(0, i));
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT COUNT(*) FROM ivr_number_list_entry x JOIN ivr_number_list l ON l.id = x.list_id
                        WHERE l.enterprise_id = :e AND l.name = :name
                          AND ((x.prefix = FALSE AND x.match_key = :n) OR (x.prefix = TRUE AND x.match_key IN (<prefixes>)))""")
                .bind("e", enterpriseId).bind("name", name).bind("n", n)
                .bindList("prefixes", prefixes.isEmpty() ? List.of("-") : prefixes)
                .mapTo(Long.class).one()) > 0;
    }

    public List<View> list(Handle h, long enterpriseId) {
        return h.createQuery("SELECT id FROM ivr_number_list WHERE enterprise_id = :e ORDER BY name").bind("e", enterpriseId)
                .mapTo(Long.class).list().stream().map(id -> get(h, enterpriseId, id).orElseThrow()).toList();
    }

    public Optional<View> get(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT id, name, description, updated_at FROM ivr_number_list WHERE id = :id AND enterprise_id = :e")
                .bind("id", id).bind("e", enterpriseId)
                .map((rs, c) -> new View(rs.getLong("id"), rs.getString("name"), rs.getString("description"),
                        entries(h, rs.getLong("id")), rs.getTimestamp("updated_at").toInstant()))
                .findOne();
    }

    private static List<String> entries(Handle h, long listId) {
        return h.createQuery("SELECT number FROM ivr_number_list_entry WHERE list_id = :l ORDER BY number").bind("l", listId)
                .mapTo(String.class).list();
    }

    /** The names of the enterprise's lists (what a flow may name). */
    static Set<String> names(Handle h, long enterpriseId) {
        return Set.copyOf(h.createQuery("SELECT name FROM ivr_number_list WHERE enterprise_id = :e").bind("e", enterpriseId)
                .mapTo(String.class).list());
    }

    /** The published flows whose caller condition nodes name the list {@code name}. */
    static List<String> usedBy(Handle h, long enterpriseId, String name) {
        List<String> flows = new ArrayList<>();
        FlowStore.published(h, enterpriseId).forEach((flow, g) -> {
            if (g.nodes().values().stream().anyMatch(n -> n instanceof Flow.CallerMatch c && name.equals(c.list()))) flows.add(flow);
        });
        return flows.stream().sorted().toList();
    }

    /** The entries of {@code in} by their text (duplicates once), or the problems as field errors {@code entries.N}. */
    private static Map<String, Entry> check(Input in, boolean create) {
        var v = Validator.of();
        String name = Validator.clean(in.name());
        if (create || in.name() != null) {
            v.required("name", name).matches("name", name, "[a-z0-9_-]{1,32}", "1–32 lower-case letters, digits, '_' or '-'");
        }
        v.maxLength("description", in.description(), 256);
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (in.entries() != null) {
            v.check(in.entries().size() <= MAX_ENTRIES, "entries", "at most " + MAX_ENTRIES + " entries");
            for (int i = 0; i < in.entries().size() && i <= MAX_ENTRIES; i++) {
                String raw = in.entries().get(i);
                if (raw == null || raw.isBlank()) continue;
                Optional<Entry> e = entry(raw);
                v.check(e.isPresent(), "entries." + i, "a phone number, or an area code or prefix ending in * (0755*, 138*)");
                e.ifPresent(x -> entries.putIfAbsent(x.number(), x));
            }
        }
        v.throwIfInvalid();
        return entries;
    }

    public View create(Handle h, long enterpriseId, Input in) {
        Map<String, Entry> entries = check(in, true);
        String name = Validator.clean(in.name());
        if (names(h, enterpriseId).contains(name)) throw nameTaken();
        long id = h.createUpdate("INSERT INTO ivr_number_list (enterprise_id, name, description, updated_at) VALUES (:e, :name, :d, :at)")
                .bind("e", enterpriseId).bind("name", name).bind("d", blankToNull(in.description()))
                .bind("at", Timestamp.from(clock.instant()))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        insert(h, id, entries.values());
        return get(h, enterpriseId, id).orElseThrow();
    }

    public Optional<View> update(Handle h, long enterpriseId, long id, Input in) {
        Optional<View> old = get(h, enterpriseId, id);
        if (old.isEmpty()) return Optional.empty();
        Map<String, Entry> entries = check(in, false);
        String name = in.name() == null ? old.get().name() : Validator.clean(in.name());
        if (!name.equals(old.get().name())) {
            if (names(h, enterpriseId).contains(name)) throw nameTaken();
            List<String> flows = usedBy(h, enterpriseId, old.get().name());
            if (!flows.isEmpty()) throw inUse(flows, "name");
        }
        h.createUpdate("UPDATE ivr_number_list SET name = :name, description = :d, updated_at = :at WHERE id = :id AND enterprise_id = :e")
                .bind("id", id).bind("e", enterpriseId).bind("name", name)
                .bind("d", in.description() == null ? old.get().description() : blankToNull(in.description()))
                .bind("at", Timestamp.from(clock.instant()))
                .execute();
        if (in.entries() != null) {
            h.createUpdate("DELETE FROM ivr_number_list_entry WHERE list_id = :l").bind("l", id).execute();
            insert(h, id, entries.values());
        }
        return get(h, enterpriseId, id);
    }

    /** Removes a list no published flow names (409 naming the flows otherwise). */
    public boolean delete(Handle h, long enterpriseId, long id) {
        Optional<View> old = get(h, enterpriseId, id);
        if (old.isEmpty()) return false;
        List<String> flows = usedBy(h, enterpriseId, old.get().name());
        if (!flows.isEmpty()) throw inUse(flows, "id");
        h.createUpdate("DELETE FROM ivr_number_list_entry WHERE list_id = :l").bind("l", id).execute();
        return h.createUpdate("DELETE FROM ivr_number_list WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId)
                .execute() > 0;
    }

    private static void insert(Handle h, long listId, java.util.Collection<Entry> entries) {
        if (entries.isEmpty()) return;
        var batch = h.prepareBatch("INSERT INTO ivr_number_list_entry (list_id, number, match_key, prefix) VALUES (:l, :n, :k, :p)");
        for (Entry e : entries) batch.bind("l", listId).bind("n", e.number()).bind("k", e.key()).bind("p", e.prefix()).add();
        batch.execute();
    }

    private static DomainException nameTaken() {
        return new DomainException(DomainException.Kind.CONFLICT, null, "a number list of that name exists",
                List.of(new DomainException.FieldError("name", "already exists")));
    }

    private static DomainException inUse(List<String> flows, String field) {
        return new DomainException(DomainException.Kind.CONFLICT, null, "published flows route by this list: " + String.join(", ", flows),
                List.of(new DomainException.FieldError(field, "used by flow " + String.join(", ", flows))));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
