package dev.hotline.login;

import dev.hotline.auth.Passwords;
import dev.hotline.auth.Principal;
import dev.hotline.auth.Permission;
import dev.hotline.audit.AuditLog;
import dev.hotline.directory.RoleStore;
import dev.hotline.tenant.EnterpriseStore;
import dev.hotline.domain.DomainException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logins, sessions and API tokens. Session ids and tokens are random 256-bit secrets; only their
 * SHA-256 is stored, so a database dump does not hand out logins. Sessions live in the database
 * and survive a restart.
 */
public final class Auth {
    private static final Logger log = LoggerFactory.getLogger(Auth.class);
    public static final String TOKEN_PREFIX = "hl_";

    private final Jdbi jdbi;
    private final Passwords passwords;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration sessionLifetime;

    public Auth(Jdbi jdbi, Passwords passwords, LoginThrottle throttle, AuditLog audit, Clock clock, Duration sessionLifetime) {
        this.jdbi = jdbi;
        this.passwords = passwords;
        this.throttle = throttle;
        this.audit = audit;
        this.clock = clock;
        this.sessionLifetime = sessionLifetime;
    }

    /** A new session: the secret for the cookie, and the principal it stands for. */
    public record Login(String sessionId, Principal principal) {}

    public Login login(String enterpriseCode, String username, String password, String ip) {
        if (throttle.locked(enterpriseCode, username, ip)) {
            log.warn("login locked out: {}/{} from {}", enterpriseCode, username, ip);
            throw new DomainException(DomainException.Kind.TOO_MANY, "locked_out", "too many failed logins; try again in "
                    + LoginThrottle.WINDOW.toMinutes() + " minutes");
        }
        record Candidate(long userId, long enterpriseId, String hash, boolean userEnabled, boolean enterpriseEnabled) {}
        Optional<Candidate> found = jdbi.withHandle(h -> h.createQuery("""
                SELECT u.id, u.enterprise_id, u.password_hash, u.enabled AS user_enabled, e.enabled AS enterprise_enabled
                FROM app_user u JOIN enterprise e ON e.id = u.enterprise_id
                WHERE e.code = :code AND LOWER(u.username) = LOWER(:username)""")
                .bind("code", enterpriseCode.toLowerCase()).bind("username", username)
                .map((rs, ctx) -> new Candidate(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4), rs.getBoolean(5)))
                .findOne());
        boolean ok = passwords.verify(password, found.map(Candidate::hash).orElse(null));
        if (!ok || !found.get().userEnabled() || !found.get().enterpriseEnabled()) {
            throttle.failed(enterpriseCode, username, ip);
            log.info("failed login for {}/{} from {}", enterpriseCode, username, ip);
            found.ifPresent(c -> jdbi.useTransaction(h -> audit.record(h, c.enterpriseId(), c.userId(), username, ip,
                    "auth.login_failed", username, ok ? "account or enterprise disabled" : "wrong password")));
            throw new DomainException(DomainException.Kind.UNAUTHENTICATED, "bad_credentials", "wrong enterprise, username or password");
        }
        throttle.succeeded(enterpriseCode, username);
        Candidate c = found.get();
        String sessionId = Passwords.randomToken(32);
        String csrf = Passwords.randomToken(24);
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM web_session WHERE expires_at < :now").bind("now", now).execute();
            h.createUpdate("""
                    INSERT INTO web_session (id_hash, enterprise_id, user_id, csrf_token, ip, created_at, expires_at)
                    VALUES (:id, :e, :u, :csrf, :ip, :now, :exp)""")
                    .bind("id", Passwords.sha256(sessionId)).bind("e", c.enterpriseId()).bind("u", c.userId())
                    .bind("csrf", csrf).bind("ip", ip).bind("now", now).bind("exp", now.plus(sessionLifetime)).execute();
            audit.record(h, c.enterpriseId(), c.userId(), username, ip, "auth.login", username, null);
            Principal p = principalOf(h, c.userId(), Principal.Via.SESSION, csrf).orElseThrow();
            return new Login(sessionId, p);
        });
    }

    public void logout(String sessionId, Principal p, String ip) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM web_session WHERE id_hash = :id").bind("id", Passwords.sha256(sessionId)).execute();
            audit.record(h, p, ip, "auth.logout", p.username(), null);
        });
    }

    public Optional<Principal> bySession(String sessionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT user_id, csrf_token FROM web_session WHERE id_hash = :id AND expires_at > :now")
                .bind("id", Passwords.sha256(sessionId)).bind("now", clock.instant())
                .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getString(2)}).findOne()
                .flatMap(r -> principalOf(h, (Long) r[0], Principal.Via.SESSION, (String) r[1])));
    }

    public Optional<Principal> byToken(String token) {
        if (!token.startsWith(TOKEN_PREFIX)) return Optional.empty();
        return jdbi.withHandle(h -> h.createQuery("SELECT id, user_id FROM api_token WHERE token_hash = :t")
                .bind("t", Passwords.sha256(token)).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).findOne()
                .flatMap(r -> {
                    h.createUpdate("UPDATE api_token SET last_used_at = :now WHERE id = :id").bind("now", clock.instant()).bind("id", r[0]).execute();
                    return principalOf(h, r[1], Principal.Via.TOKEN, null);
                }));
    }

    private static Optional<Principal> principalOf(org.jdbi.v3.core.Handle h, long userId, Principal.Via via, String csrf) {
        record Row(long userId, String username, long enterpriseId, String code, long roleId, String roleName) {}
        return h.createQuery("""
                SELECT u.id, u.username, e.id AS eid, e.code, r.id AS rid, r.name AS rname
                FROM app_user u JOIN enterprise e ON e.id = u.enterprise_id JOIN app_role r ON r.id = u.role_id
                WHERE u.id = :u AND u.enabled = TRUE AND e.enabled = TRUE""").bind("u", userId)
                .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5), rs.getString(6)))
                .findOne()
                .map(r -> {
                    Set<Permission> perms = RoleStore.byId(h, r.enterpriseId(), r.roleId()).map(role -> role.permissions())
                            .orElse(EnumSet.noneOf(Permission.class));
                    return new Principal(r.userId(), r.username(), r.enterpriseId(), r.code(), r.roleName(), perms, via, csrf);
                });
    }

    public record TokenInfo(long id, String name, Instant createdAt, Instant lastUsedAt) {}

    public record NewToken(long id, String name, String token) {}

    public NewToken createToken(Principal p, String name, String ip) {
        String token = TOKEN_PREFIX + Passwords.randomToken(32);
        return jdbi.inTransaction(h -> {
            long id = h.createUpdate("INSERT INTO api_token (enterprise_id, user_id, name, token_hash, created_at) VALUES (:e, :u, :n, :t, :now)")
                    .bind("e", p.enterpriseId()).bind("u", p.userId()).bind("n", name).bind("t", Passwords.sha256(token))
                    .bind("now", clock.instant()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            audit.record(h, p, ip, "token.create", name, null);
            return new NewToken(id, name, token);
        });
    }

    public List<TokenInfo> tokens(Principal p) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, name, created_at, last_used_at FROM api_token WHERE enterprise_id = :e AND user_id = :u ORDER BY id")
                .bind("e", p.enterpriseId()).bind("u", p.userId())
                .map((rs, ctx) -> new TokenInfo(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant())).list());
    }

    public void deleteToken(Principal p, long id, String ip) {
        jdbi.useTransaction(h -> {
            int n = h.createUpdate("DELETE FROM api_token WHERE id = :id AND enterprise_id = :e AND user_id = :u")
                    .bind("id", id).bind("e", p.enterpriseId()).bind("u", p.userId()).execute();
            if (n == 0) throw DomainException.notFound("token");
            audit.record(h, p, ip, "token.delete", String.valueOf(id), null);
        });
    }

    public void changePassword(Principal p, String oldPassword, String newPassword, String ip) {
        jdbi.useTransaction(h -> {
            String hash = h.createQuery("SELECT password_hash FROM app_user WHERE id = :u AND enterprise_id = :e")
                    .bind("u", p.userId()).bind("e", p.enterpriseId()).mapTo(String.class).one();
            if (!passwords.verify(oldPassword == null ? "" : oldPassword, hash)) throw DomainException.invalid("oldPassword", "wrong password");
            h.createUpdate("UPDATE app_user SET password_hash = :h WHERE id = :u AND enterprise_id = :e")
                    .bind("h", passwords.hash(newPassword)).bind("u", p.userId()).bind("e", p.enterpriseId()).execute();
            audit.record(h, p, ip, "auth.password_change", p.username(), null);
        });
    }

    /** The enterprise id of a code, for the operator's checks. */
    public Optional<Long> enterpriseId(String code) {
        return jdbi.withHandle(h -> EnterpriseStore.byCode(h, code).map(e -> e.id()));
    }
}
