package dev.hotline.directory;

import dev.hotline.auth.Passwords;
import dev.hotline.auth.Permission;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The rules of the organisation (ADM-2): users, departments, roles and extensions of one
 * enterprise. Every method takes the enterprise id and the open transaction; none reads
 * across enterprises.
 */
public final class Directory {
    public static final String USERNAME = "[a-zA-Z0-9._-]{2,32}";
    public static final String EXTENSION = "[0-9]{1,6}";
    public static final String JOB_NUMBER = "[a-zA-Z0-9]{1,16}";
    public static final int MIN_PASSWORD = 8;

    private final Passwords passwords;
    private final Clock clock;

    public Directory(Passwords passwords, Clock clock) {
        this.passwords = passwords;
        this.clock = clock;
    }

    public record UserInput(String username, String displayName, String password, Long roleId, Long departmentId,
                            String jobNumber, String extension, String email, Boolean enabled) {}

    public User createUser(Handle h, long enterpriseId, UserInput in) {
        UserStore.Fields f = validateUser(h, enterpriseId, in, 0, true);
        if (UserStore.byUsername(h, enterpriseId, f.username()).isPresent()) {
            throw DomainException.conflict("username already exists", "username", "already exists");
        }
        long id = UserStore.insert(h, enterpriseId, f, passwords.hash(in.password()), clock.instant());
        bindExtension(h, enterpriseId, id, Validator.clean(in.extension()));
        return UserStore.byId(h, enterpriseId, id).orElseThrow();
    }

    public User updateUser(Handle h, long enterpriseId, long id, UserInput in) {
        UserStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("user"));
        UserStore.Fields f = validateUser(h, enterpriseId, in, id, false);
        UserStore.byUsername(h, enterpriseId, f.username()).filter(u -> u.id() != id).ifPresent(u -> {
            throw DomainException.conflict("username already exists", "username", "already exists");
        });
        UserStore.update(h, enterpriseId, id, f);
        if (in.password() != null && !in.password().isEmpty()) UserStore.setPassword(h, enterpriseId, id, passwords.hash(in.password()));
        bindExtension(h, enterpriseId, id, Validator.clean(in.extension()));
        return UserStore.byId(h, enterpriseId, id).orElseThrow();
    }

    private UserStore.Fields validateUser(Handle h, long enterpriseId, UserInput in, long selfId, boolean create) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        String username = Validator.clean(in.username());
        String displayName = Validator.clean(in.displayName());
        String job = Validator.clean(in.jobNumber());
        String email = Validator.clean(in.email());
        Validator v = Validator.of()
                .required("username", username).matches("username", username, USERNAME, "2–32 letters, digits, '.', '_' or '-'")
                .maxLength("displayName", displayName, 64)
                .required("roleId", in.roleId())
                .matches("jobNumber", job, JOB_NUMBER, "1–16 letters or digits")
                .matches("extension", Validator.clean(in.extension()), EXTENSION, "1–6 digits")
                .matches("email", email, "[^@\\s]+@[^@\\s]+\\.[^@\\s]+", "not an e-mail address")
                .maxLength("email", email, 128);
        if (create) v.required("password", in.password());
        if (in.password() != null && !in.password().isEmpty()) v.minLength("password", in.password(), MIN_PASSWORD).maxLength("password", in.password(), 72);
        if (in.roleId() != null) {
            var role = RoleStore.byId(h, enterpriseId, in.roleId());
            v.check(role.isPresent(), "roleId", "no such role");
            role.ifPresent(r -> v.check(!r.permissions().contains(Permission.ENTERPRISE_MANAGE) || enterpriseIsSystem(h, enterpriseId),
                    "roleId", "not assignable"));
        }
        if (in.departmentId() != null) v.check(DepartmentStore.byId(h, enterpriseId, in.departmentId()).isPresent(), "departmentId", "no such department");
        if (job != null) v.check(!UserStore.jobNumberTaken(h, enterpriseId, job, selfId), "jobNumber", "already used by another user");
        v.throwIfInvalid();
        return new UserStore.Fields(username, displayName == null ? username : displayName, in.roleId(), in.departmentId(),
                job, email, in.enabled() == null || in.enabled());
    }

    private static boolean enterpriseIsSystem(Handle h, long enterpriseId) {
        return h.createQuery("SELECT code FROM enterprise WHERE id = :id").bind("id", enterpriseId).mapTo(String.class)
                .findOne().map("system"::equals).orElse(false);
    }

    /** Binds the user to extension {@code number} (creating it with a generated SIP password), or unbinds on null. */
    private void bindExtension(Handle h, long enterpriseId, long userId, String number) {
        var current = ExtensionStore.byUser(h, enterpriseId, userId);
        if (number == null) {
            ExtensionStore.unbindUser(h, enterpriseId, userId);
            return;
        }
        if (current.isPresent() && current.get().number().equals(number)) return;
        var target = ExtensionStore.byNumber(h, enterpriseId, number);
        if (target.isPresent() && target.get().userId() != null && target.get().userId() != userId) {
            throw DomainException.conflict("extension " + number + " belongs to another user", "extension", "belongs to another user");
        }
        ExtensionStore.unbindUser(h, enterpriseId, userId);
        if (target.isPresent()) {
            ExtensionStore.update(h, enterpriseId, target.get().id(), number, userId, target.get().enabled());
        } else {
            ExtensionStore.insert(h, enterpriseId, number, userId, Passwords.generate(12), true);
        }
    }

    public void deleteUser(Handle h, long enterpriseId, long id, long actingUserId) {
        UserStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("user"));
        if (id == actingUserId) throw DomainException.conflict("you cannot delete your own account");
        UserStore.delete(h, enterpriseId, id);
    }

    public record DepartmentInput(String name, Long parentId) {}

    public Department saveDepartment(Handle h, long enterpriseId, Long id, DepartmentInput in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        String name = Validator.clean(in.name());
        Validator v = Validator.of().required("name", name).maxLength("name", name, 64);
        if (in.parentId() != null) {
            v.check(DepartmentStore.byId(h, enterpriseId, in.parentId()).isPresent(), "parentId", "no such department");
            v.check(id == null || !createsCycle(h, enterpriseId, id, in.parentId()), "parentId", "would make a cycle");
        }
        v.throwIfInvalid();
        boolean taken = DepartmentStore.list(h, enterpriseId).stream().anyMatch(d -> d.name().equalsIgnoreCase(name) && !Long.valueOf(d.id()).equals(id));
        if (taken) throw DomainException.conflict("department name already exists", "name", "already exists");
        long savedId;
        if (id == null) {
            savedId = DepartmentStore.insert(h, enterpriseId, name, in.parentId());
        } else {
            DepartmentStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("department"));
            DepartmentStore.update(h, enterpriseId, id, name, in.parentId());
            savedId = id;
        }
        return DepartmentStore.byId(h, enterpriseId, savedId).orElseThrow();
    }

    private static boolean createsCycle(Handle h, long enterpriseId, long id, Long parentId) {
        var all = DepartmentStore.list(h, enterpriseId);
        Long p = parentId;
        for (int guard = 0; p != null && guard <= all.size(); guard++) {
            if (p == id) return true;
            Long cur = p;
            p = all.stream().filter(d -> d.id() == cur).findFirst().map(Department::parentId).orElse(null);
        }
        return false;
    }

    public void deleteDepartment(Handle h, long enterpriseId, long id) {
        DepartmentStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("department"));
        if (DepartmentStore.inUse(h, enterpriseId, id)) throw DomainException.conflict("department still has users or sub-departments");
        DepartmentStore.delete(h, enterpriseId, id);
    }

    public record RoleInput(String name, List<String> permissions) {}

    public Role saveRole(Handle h, long enterpriseId, Long id, RoleInput in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        String name = Validator.clean(in.name());
        Validator v = Validator.of().required("name", name).maxLength("name", name, 64);
        Set<Permission> perms = EnumSet.noneOf(Permission.class);
        for (String key : in.permissions() == null ? List.<String>of() : in.permissions()) {
            var p = Permission.parse(key);
            if (p.isEmpty() || !Permission.enterpriseAssignable().contains(p.get())) v.add("permissions", "unknown permission " + key);
            else perms.add(p.get());
        }
        v.throwIfInvalid();
        var sameName = RoleStore.byName(h, enterpriseId, name);
        if (sameName.isPresent() && !Long.valueOf(sameName.get().id()).equals(id)) {
            throw DomainException.conflict("role name already exists", "name", "already exists");
        }
        if (id == null) return RoleStore.byId(h, enterpriseId, RoleStore.insert(h, enterpriseId, name, false, perms)).orElseThrow();
        Role existing = RoleStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("role"));
        if (existing.builtin()) throw DomainException.conflict("built-in roles cannot be changed");
        RoleStore.update(h, enterpriseId, id, name, perms);
        return RoleStore.byId(h, enterpriseId, id).orElseThrow();
    }

    public void deleteRole(Handle h, long enterpriseId, long id) {
        Role existing = RoleStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("role"));
        if (existing.builtin()) throw DomainException.conflict("built-in roles cannot be deleted");
        if (RoleStore.inUse(h, enterpriseId, id)) throw DomainException.conflict("role is still given to users");
        RoleStore.delete(h, enterpriseId, id);
    }

    public record ExtensionInput(String number, Long userId, String sipPassword, Boolean enabled, Boolean outboundAllowed) {}

    /** An extension as returned after a save; {@code generatedPassword} is set once, when the server made the secret. */
    public record SavedExtension(long id, String number, Long userId, String userName, boolean enabled, boolean outboundAllowed,
                                 @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String generatedPassword) {
        static SavedExtension of(Extension x, String generated) {
            return new SavedExtension(x.id(), x.number(), x.userId(), x.userName(), x.enabled(), x.outboundAllowed(), generated);
        }
    }

    public SavedExtension saveExtension(Handle h, long enterpriseId, Long id, ExtensionInput in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        String number = Validator.clean(in.number());
        Validator v = Validator.of().required("number", number).matches("number", number, EXTENSION, "1–6 digits");
        if (in.sipPassword() != null && !in.sipPassword().isEmpty()) {
            v.minLength("sipPassword", in.sipPassword(), MIN_PASSWORD).maxLength("sipPassword", in.sipPassword(), 64)
                    .matches("sipPassword", in.sipPassword(), "[\\x21-\\x7e]+", "printable ASCII without spaces");
        }
        if (in.userId() != null) v.check(UserStore.byId(h, enterpriseId, in.userId()).isPresent(), "userId", "no such user");
        // PBX-3/5: a number dialled from a phone means one thing (ring groups and rooms refuse extensions' numbers too);
        // an extension keeping its number is not refused for it
        boolean newNumber = number != null && (id == null
                || ExtensionStore.byId(h, enterpriseId, id).map(x -> !x.number().equals(number)).orElse(true));
        if (newNumber) {
            v.check(!numberTaken(h, "ring_group", enterpriseId, number), "number", "is a ring group's number");
            v.check(!numberTaken(h, "conference_room", enterpriseId, number), "number", "is a conference room's number");
        }
        v.throwIfInvalid();
        ExtensionStore.byNumber(h, enterpriseId, number).filter(x -> !Long.valueOf(x.id()).equals(id)).ifPresent(x -> {
            throw DomainException.conflict("extension number already exists", "number", "already exists");
        });
        if (in.userId() != null) {
            ExtensionStore.byUser(h, enterpriseId, in.userId()).filter(x -> !Long.valueOf(x.id()).equals(id)).ifPresent(x -> {
                throw DomainException.conflict("user already has extension " + x.number(), "userId", "already has an extension");
            });
        }
        boolean enabled = in.enabled() == null || in.enabled();
        String given = in.sipPassword() == null || in.sipPassword().isEmpty() ? null : in.sipPassword();
        if (id == null) {
            String generated = given == null ? Passwords.generate(12) : null;
            long newId = ExtensionStore.insert(h, enterpriseId, number, in.userId(), given != null ? given : generated, enabled);
            if (in.outboundAllowed() != null) ExtensionStore.setOutboundAllowed(h, enterpriseId, newId, in.outboundAllowed());
            return SavedExtension.of(ExtensionStore.byId(h, enterpriseId, newId).orElseThrow(), generated);
        }
        ExtensionStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("extension"));
        ExtensionStore.update(h, enterpriseId, id, number, in.userId(), enabled);
        if (given != null) ExtensionStore.setPassword(h, enterpriseId, id, given);
        if (in.outboundAllowed() != null) ExtensionStore.setOutboundAllowed(h, enterpriseId, id, in.outboundAllowed());
        return SavedExtension.of(ExtensionStore.byId(h, enterpriseId, id).orElseThrow(), null);
    }

    /** True when {@code table} (ring_group, conference_room: both have enterprise_id and number) has the number. */
    private static boolean numberTaken(Handle h, String table, long enterpriseId, String number) {
        return h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE enterprise_id = :e AND number = :n")
                .bind("e", enterpriseId).bind("n", number).mapTo(Integer.class).one() > 0;
    }

    public void deleteExtension(Handle h, long enterpriseId, long id) {
        ExtensionStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("extension"));
        ExtensionStore.delete(h, enterpriseId, id);
    }
}
