package dev.hotline.routing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for trunks, numbers (DIDs), outbound routes and the blacklist. Every query is bound to one enterprise. */
public final class RoutingStore {
    private RoutingStore() {}

    // --- trunks

    static Trunk mapTrunk(ResultSet rs) throws SQLException {
        String ips = rs.getString("allowed_ips");
        return new Trunk(rs.getLong("id"), rs.getString("name"), Trunk.Kind.parse(rs.getString("kind")).orElse(Trunk.Kind.IP),
                rs.getString("host"), rs.getInt("port"), rs.getString("transport"),
                ips == null || ips.isBlank() ? List.of() : Arrays.stream(ips.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList(),
                rs.getString("username"), rs.getInt("register_expires"), rs.getString("caller_id"), rs.getInt("max_channels"),
                rs.getBoolean("enabled"), rs.getString("srtp"));
    }

    public static List<Trunk> trunks(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM trunk WHERE enterprise_id = :e ORDER BY name").bind("e", enterpriseId).map((rs, c) -> mapTrunk(rs)).list();
    }

    public static Optional<Trunk> trunk(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT * FROM trunk WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id)
                .map((rs, c) -> mapTrunk(rs)).findOne();
    }

    /** The secret of a registering trunk, for the outbound REGISTER only. */
    public static Optional<String> trunkSecret(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT secret FROM trunk WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id)
                .mapTo(String.class).findOne();
    }

    /** Enabled trunks of every enterprise, with their enterprise id: for matching an INVITE's source. */
    public record OwnedTrunk(long enterpriseId, Trunk trunk) {}

    public static List<OwnedTrunk> allEnabledTrunks(Handle h) {
        return h.createQuery("SELECT t.* FROM trunk t JOIN enterprise e ON e.id = t.enterprise_id WHERE t.enabled = TRUE AND e.enabled = TRUE")
                .map((rs, c) -> new OwnedTrunk(rs.getLong("enterprise_id"), mapTrunk(rs))).list();
    }

    public record TrunkFields(String name, String kind, String host, int port, String transport, String allowedIps, String username,
                              int registerExpires, String callerId, int maxChannels, boolean enabled, String srtp) {}

    public static long insertTrunk(Handle h, long enterpriseId, TrunkFields f, String secret) {
        return h.createUpdate("""
                INSERT INTO trunk (enterprise_id, name, kind, host, port, transport, allowed_ips, username, secret, register_expires,
                                   caller_id, max_channels, enabled, srtp)
                VALUES (:e, :name, :kind, :host, :port, :transport, :allowedIps, :username, :secret, :registerExpires, :callerId,
                        :maxChannels, :enabled, :srtp)""")
                .bind("e", enterpriseId).bindMethods(f).bind("secret", secret).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public static void updateTrunk(Handle h, long enterpriseId, long id, TrunkFields f, String secretOrNull) {
        h.createUpdate("""
                UPDATE trunk SET name = :name, kind = :kind, host = :host, port = :port, transport = :transport, allowed_ips = :allowedIps,
                       username = :username, register_expires = :registerExpires, caller_id = :callerId, max_channels = :maxChannels,
                       enabled = :enabled, srtp = :srtp, secret = COALESCE(:secret, secret)
                WHERE id = :id AND enterprise_id = :e""")
                .bindMethods(f).bind("secret", secretOrNull).bind("id", id).bind("e", enterpriseId).execute();
    }

    public static boolean trunkInUse(Handle h, long enterpriseId, long id) {
        return h.createQuery("""
                SELECT (SELECT COUNT(*) FROM outbound_route WHERE enterprise_id = :e AND trunk_id = :id)
                     + (SELECT COUNT(*) FROM did WHERE enterprise_id = :e AND trunk_id = :id)""")
                .bind("e", enterpriseId).bind("id", id).mapTo(Long.class).one() > 0;
    }

    public static void deleteTrunk(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM trunk WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }

    // --- numbers (DIDs)

    public record Did(long id, String number, Long trunkId, String destinationType, String destination, String description,
                      String welcomePrompt) {}

    static Did mapDid(ResultSet rs) throws SQLException {
        return new Did(rs.getLong("id"), rs.getString("number"), rs.getObject("trunk_id", Long.class), rs.getString("destination_type"),
                rs.getString("destination"), rs.getString("description"), rs.getString("welcome_prompt"));
    }

    public static List<Did> dids(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM did WHERE enterprise_id = :e ORDER BY number").bind("e", enterpriseId).map((rs, c) -> mapDid(rs)).list();
    }

    public static Optional<Did> did(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT * FROM did WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id)
                .map((rs, c) -> mapDid(rs)).findOne();
    }

    public static Optional<Did> didByNumber(Handle h, long enterpriseId, String number) {
        return h.createQuery("SELECT * FROM did WHERE enterprise_id = :e AND number = :n").bind("e", enterpriseId).bind("n", number)
                .map((rs, c) -> mapDid(rs)).findOne();
    }

    public static long insertDid(Handle h, long enterpriseId, Did d) {
        return h.createUpdate("INSERT INTO did (enterprise_id, number, trunk_id, destination_type, destination, description, welcome_prompt) VALUES (:e, :number, :trunkId, :destinationType, :destination, :description, :welcomePrompt)")
                .bind("e", enterpriseId).bindMethods(d).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public static void updateDid(Handle h, long enterpriseId, long id, Did d) {
        h.createUpdate("UPDATE did SET number = :number, trunk_id = :trunkId, destination_type = :destinationType, destination = :destination, description = :description, welcome_prompt = :welcomePrompt WHERE id = :id2 AND enterprise_id = :e")
                .bindMethods(d).bind("id2", id).bind("e", enterpriseId).execute();
    }

    public static void deleteDid(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM did WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }

    // --- outbound routes

    public record OutboundRoute(long id, String name, String prefix, int stripDigits, String addPrefix, long trunkId,
                                String callerId, boolean hasPin, int priority, boolean enabled) {}

    static OutboundRoute mapRoute(ResultSet rs) throws SQLException {
        return new OutboundRoute(rs.getLong("id"), rs.getString("name"), rs.getString("prefix"), rs.getInt("strip_digits"),
                rs.getString("add_prefix"), rs.getLong("trunk_id"), rs.getString("caller_id"), rs.getString("pin") != null,
                rs.getInt("priority"), rs.getBoolean("enabled"));
    }

    public static List<OutboundRoute> routes(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM outbound_route WHERE enterprise_id = :e ORDER BY priority, LENGTH(prefix) DESC, name")
                .bind("e", enterpriseId).map((rs, c) -> mapRoute(rs)).list();
    }

    public static Optional<OutboundRoute> route(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT * FROM outbound_route WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id)
                .map((rs, c) -> mapRoute(rs)).findOne();
    }

    public static Optional<String> routePin(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT pin FROM outbound_route WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id)
                .mapTo(String.class).findOne();
    }

    public record RouteFields(String name, String prefix, int stripDigits, String addPrefix, long trunkId, String callerId,
                              int priority, boolean enabled) {}

    public static long insertRoute(Handle h, long enterpriseId, RouteFields f, String pin) {
        return h.createUpdate("""
                INSERT INTO outbound_route (enterprise_id, name, prefix, strip_digits, add_prefix, trunk_id, caller_id, pin, priority, enabled)
                VALUES (:e, :name, :prefix, :stripDigits, :addPrefix, :trunkId, :callerId, :pin, :priority, :enabled)""")
                .bind("e", enterpriseId).bindMethods(f).bind("pin", pin).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /** {@code pin}: null keeps the current PIN, empty removes it. */
    public static void updateRoute(Handle h, long enterpriseId, long id, RouteFields f, String pin) {
        h.createUpdate("""
                UPDATE outbound_route SET name = :name, prefix = :prefix, strip_digits = :stripDigits, add_prefix = :addPrefix,
                       trunk_id = :trunkId, caller_id = :callerId, priority = :priority, enabled = :enabled
                WHERE id = :id AND enterprise_id = :e""")
                .bindMethods(f).bind("id", id).bind("e", enterpriseId).execute();
        if (pin != null) {
            h.createUpdate("UPDATE outbound_route SET pin = :pin WHERE id = :id AND enterprise_id = :e")
                    .bind("pin", pin.isEmpty() ? null : pin).bind("id", id).bind("e", enterpriseId).execute();
        }
    }

    public static void deleteRoute(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM outbound_route WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }

    /** A listed number matches a caller exactly, or as a prefix when it ends in '*' (blacklist, callback list). */
    static boolean matches(String pattern, String caller) {
        if (caller == null) return false;
        return pattern.endsWith("*") ? caller.startsWith(pattern.substring(0, pattern.length() - 1)) : caller.equals(pattern);
    }

    // --- blacklist

    public record BlacklistEntry(long id, String number, String note, Instant createdAt) {
        public boolean matches(String caller) {
            return RoutingStore.matches(number, caller);
        }
    }

    public static List<BlacklistEntry> blacklist(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM blacklist WHERE enterprise_id = :e ORDER BY number").bind("e", enterpriseId)
                .map((rs, c) -> new BlacklistEntry(rs.getLong("id"), rs.getString("number"), rs.getString("note"),
                        rs.getTimestamp("created_at").toInstant())).list();
    }

    public static long insertBlacklist(Handle h, long enterpriseId, String number, String note, Instant now) {
        return h.createUpdate("INSERT INTO blacklist (enterprise_id, number, note, created_at) VALUES (:e, :n, :note, :at)")
                .bind("e", enterpriseId).bind("n", number).bind("note", note).bind("at", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public static int deleteBlacklist(Handle h, long enterpriseId, long id) {
        return h.createUpdate("DELETE FROM blacklist WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }

    // --- callback list (PBX-6)

    public record CallbackEntry(long id, String number, int delaySeconds, String note, Instant createdAt) {
        public boolean matches(String caller) {
            return RoutingStore.matches(number, caller);
        }
    }

    public static List<CallbackEntry> callbacks(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM callback_entry WHERE enterprise_id = :e ORDER BY number").bind("e", enterpriseId)
                .map((rs, c) -> new CallbackEntry(rs.getLong("id"), rs.getString("number"), rs.getInt("delay_seconds"), rs.getString("note"),
                        rs.getTimestamp("created_at").toInstant())).list();
    }

    public static long insertCallback(Handle h, long enterpriseId, String number, int delay, String note, Instant now) {
        return h.createUpdate("INSERT INTO callback_entry (enterprise_id, number, delay_seconds, note, created_at) VALUES (:e, :n, :d, :note, :at)")
                .bind("e", enterpriseId).bind("n", number).bind("d", delay).bind("note", note).bind("at", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public static int deleteCallback(Handle h, long enterpriseId, long id) {
        return h.createUpdate("DELETE FROM callback_entry WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }

    // --- extensions as the router needs them

    public record ExtensionLine(String number, boolean enabled, boolean outboundAllowed, String userName, Long userId) {}

    public static Optional<ExtensionLine> extension(Handle h, long enterpriseId, String number) {
        return h.createQuery("""
                SELECT x.number, x.enabled, x.outbound_allowed, u.username, x.user_id FROM extension x LEFT JOIN app_user u ON u.id = x.user_id
                WHERE x.enterprise_id = :e AND x.number = :n""").bind("e", enterpriseId).bind("n", number)
                .map((rs, c) -> new ExtensionLine(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getString(4),
                        rs.getObject(5, Long.class))).findOne();
    }
}
