package dev.hotline.tenant;

import dev.hotline.auth.Passwords;
import dev.hotline.auth.Permission;
import dev.hotline.directory.Directory;
import dev.hotline.directory.RoleStore;
import dev.hotline.directory.UserStore;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Creating and changing enterprises (ADM-1): each is born with its built-in roles and a first admin. */
public final class Enterprises {
    public static final String CODE = "[a-z][a-z0-9-]{1,31}";
    private final Passwords passwords;
    private final Clock clock;
    private final List<Seeder> seeders;

    /** Gives a new enterprise a feature's starting data (e.g. the ACD's reason codes), in the creating transaction. */
    @FunctionalInterface
    public interface Seeder {
        void seed(Handle h, long enterpriseId);
    }

    public Enterprises(Passwords passwords, Clock clock, List<Seeder> seeders) {
        this.passwords = passwords;
        this.clock = clock;
        this.seeders = List.copyOf(seeders);
    }

    public record CreateRequest(String code, String name, String adminUsername, String adminPassword) {}

    public record UpdateRequest(String name, Boolean enabled) {}

    public Enterprise create(Handle h, CreateRequest in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        String code = Validator.clean(in.code());
        String name = Validator.clean(in.name());
        String admin = Validator.clean(in.adminUsername());
        Validator.of()
                .required("code", code).matches("code", code, CODE, "2–32 lower-case letters, digits or '-', starting with a letter")
                .check(!Enterprise.SYSTEM.equals(code), "code", "reserved")
                .required("name", name).maxLength("name", name, 128)
                .required("adminUsername", admin).matches("adminUsername", admin, Directory.USERNAME, "2–32 letters, digits, '.', '_' or '-'")
                .required("adminPassword", in.adminPassword()).minLength("adminPassword", in.adminPassword(), 8)
                .maxLength("adminPassword", in.adminPassword(), 72)
                .throwIfInvalid();
        if (EnterpriseStore.byCode(h, code).isPresent()) {
            throw DomainException.conflict("enterprise code already exists", "code", "already exists");
        }
        return createUnchecked(h, code, name, admin, passwords.hash(in.adminPassword()), Permission.BuiltinRole.ADMIN);
    }

    /** Creates an enterprise, its built-in roles and its first user holding {@code firstRole}. */
    public Enterprise createUnchecked(Handle h, String code, String name, String firstUser, String passwordHash,
                                      Permission.BuiltinRole firstRole) {
        long id = EnterpriseStore.insert(h, code, name, code + ".hotline", clock.instant());
        List<Permission.BuiltinRole> roles = code.equals(Enterprise.SYSTEM)
                ? List.of(Permission.BuiltinRole.OPERATOR)
                : List.of(Permission.BuiltinRole.ADMIN, Permission.BuiltinRole.SUPERVISOR, Permission.BuiltinRole.AGENT);
        for (var r : roles) RoleStore.insert(h, id, r.roleName(), true, r.permissions());
        long roleId = RoleStore.byName(h, id, firstRole.roleName()).orElseThrow().id();
        UserStore.insert(h, id, new UserStore.Fields(firstUser, firstUser, roleId, null, null, null, true), passwordHash, clock.instant());
        if (!code.equals(Enterprise.SYSTEM)) seeders.forEach(s -> s.seed(h, id));
        return EnterpriseStore.byId(h, id).orElseThrow();
    }

    public Enterprise update(Handle h, long id, UpdateRequest in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        Enterprise e = EnterpriseStore.byId(h, id).orElseThrow(() -> DomainException.notFound("enterprise"));
        String name = Optional.ofNullable(Validator.clean(in.name())).orElse(e.name());
        Validator.of().maxLength("name", name, 128)
                .check(!(Enterprise.SYSTEM.equals(e.code()) && Boolean.FALSE.equals(in.enabled())), "enabled", "the system enterprise cannot be disabled")
                .throwIfInvalid();
        EnterpriseStore.update(h, id, name, in.enabled() == null ? e.enabled() : in.enabled());
        return EnterpriseStore.byId(h, id).orElseThrow();
    }
}
