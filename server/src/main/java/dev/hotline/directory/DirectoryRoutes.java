package dev.hotline.directory;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.domain.Validator;
import dev.hotline.web.WebServer;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** HTTP routes of users, departments, roles and extensions; every change is written to the operation log. */
public final class DirectoryRoutes {
    private DirectoryRoutes() {}

    public record PermissionInfo(String name, String group) {}

    public static void register(Api root, Directory dir, Jdbi jdbi, AuditLog audit) {
        Api users = root.tagged("users");
        users.get("/users", "List users (filters: q, departmentId, role)").returnsList(User.class).handle(Permission.USER_READ, (ctx, me) -> {
            var q = new UserStore.Query(Validator.clean(ctx.queryParam("q")), WebServer.longParam(ctx, "departmentId"), Validator.clean(ctx.queryParam("role")));
            ctx.json(jdbi.withHandle(h -> UserStore.list(h, me.enterpriseId(), q)));
        });
        users.get("/users/{id}", "One user").returns(User.class).handle(Permission.USER_READ, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> UserStore.byId(h, me.enterpriseId(), WebServer.id(ctx)).orElseThrow(() -> ApiException.notFound("user")))));
        users.post("/users", "Create a user").body(Directory.UserInput.class).returns(User.class).handle(Permission.USER_WRITE, (ctx, me) -> {
            var in = Json.body(ctx, Directory.UserInput.class);
            ctx.status(201).json(jdbi.inTransaction(h -> {
                User u = dir.createUser(h, me.enterpriseId(), in);
                audit.record(h, me, ctx.ip(), "user.create", u.username(), "role=" + u.roleName() + (u.extension() == null ? "" : " extension=" + u.extension()));
                return u;
            }));
        });
        users.put("/users/{id}", "Update a user (password optional)").body(Directory.UserInput.class).returns(User.class).handle(Permission.USER_WRITE, (ctx, me) -> {
            var in = Json.body(ctx, Directory.UserInput.class);
            long id = WebServer.id(ctx);
            ctx.json(jdbi.inTransaction(h -> {
                User u = dir.updateUser(h, me.enterpriseId(), id, in);
                audit.record(h, me, ctx.ip(), "user.update", u.username(),
                        "role=" + u.roleName() + " enabled=" + u.enabled() + (in.password() != null && !in.password().isEmpty() ? " password changed" : ""));
                return u;
            }));
        });
        users.delete("/users/{id}", "Delete a user").handle(Permission.USER_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                String name = UserStore.byId(h, me.enterpriseId(), id).map(User::username).orElse(String.valueOf(id));
                dir.deleteUser(h, me.enterpriseId(), id, me.userId());
                audit.record(h, me, ctx.ip(), "user.delete", name, null);
            });
            ctx.status(204);
        });

        Api deps = root.tagged("departments");
        deps.get("/departments", "List departments").returnsList(Department.class).handle(Permission.DEPARTMENT_READ, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> DepartmentStore.list(h, me.enterpriseId()))));
        deps.post("/departments", "Create a department").body(Directory.DepartmentInput.class).returns(Department.class).handle(Permission.DEPARTMENT_WRITE, (ctx, me) -> {
            var in = Json.body(ctx, Directory.DepartmentInput.class);
            ctx.status(201).json(jdbi.inTransaction(h -> {
                Department d = dir.saveDepartment(h, me.enterpriseId(), null, in);
                audit.record(h, me, ctx.ip(), "department.create", d.name(), null);
                return d;
            }));
        });
        deps.put("/departments/{id}", "Rename or move a department").body(Directory.DepartmentInput.class).returns(Department.class).handle(Permission.DEPARTMENT_WRITE, (ctx, me) -> {
            var in = Json.body(ctx, Directory.DepartmentInput.class);
            long id = WebServer.id(ctx);
            ctx.json(jdbi.inTransaction(h -> {
                Department d = dir.saveDepartment(h, me.enterpriseId(), id, in);
                audit.record(h, me, ctx.ip(), "department.update", d.name(), null);
                return d;
            }));
        });
        deps.delete("/departments/{id}", "Delete an empty department").handle(Permission.DEPARTMENT_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                String name = DepartmentStore.byId(h, me.enterpriseId(), id).map(Department::name).orElse(String.valueOf(id));
                dir.deleteDepartment(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "department.delete", name, null);
            });
            ctx.status(204);
        });

        Api roles = root.tagged("roles");
        roles.get("/permissions", "Every permission a role can hold").returnsList(PermissionInfo.class).handle(Permission.ROLE_READ, (ctx, me) ->
                ctx.json(Arrays.stream(Permission.values()).filter(p -> Permission.enterpriseAssignable().contains(p))
                        .map(p -> new PermissionInfo(p.key(), p.group())).toList()));
        roles.get("/roles", "List roles").returnsList(Role.class).handle(Permission.ROLE_READ, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> RoleStore.list(h, me.enterpriseId()))));
        roles.post("/roles", "Create a custom role").body(Directory.RoleInput.class).returns(Role.class).handle(Permission.ROLE_WRITE, (ctx, me) -> {
            var in = Json.body(ctx, Directory.RoleInput.class);
            ctx.status(201).json(jdbi.inTransaction(h -> {
                Role r = dir.saveRole(h, me.enterpriseId(), null, in);
                audit.record(h, me, ctx.ip(), "role.create", r.name(), permissionList(r));
                return r;
            }));
        });
        roles.put("/roles/{id}", "Change a custom role").body(Directory.RoleInput.class).returns(Role.class).handle(Permission.ROLE_WRITE, (ctx, me) -> {
            var in = Json.body(ctx, Directory.RoleInput.class);
            long id = WebServer.id(ctx);
            ctx.json(jdbi.inTransaction(h -> {
                Role r = dir.saveRole(h, me.enterpriseId(), id, in);
                audit.record(h, me, ctx.ip(), "role.update", r.name(), permissionList(r));
                return r;
            }));
        });
        roles.delete("/roles/{id}", "Delete a custom role no one holds").handle(Permission.ROLE_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                String name = RoleStore.byId(h, me.enterpriseId(), id).map(Role::name).orElse(String.valueOf(id));
                dir.deleteRole(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "role.delete", name, null);
            });
            ctx.status(204);
        });

        Api ext = root.tagged("extensions");
        ext.get("/extensions", "List extensions").returnsList(Extension.class).handle(Permission.EXTENSION_READ, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> ExtensionStore.list(h, me.enterpriseId()))));
        ext.get("/extensions/{id}", "One extension").returns(Extension.class).handle(Permission.EXTENSION_READ, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> ExtensionStore.byId(h, me.enterpriseId(), WebServer.id(ctx)).orElseThrow(() -> ApiException.notFound("extension")))));
        ext.post("/extensions", "Create an extension; a SIP password is generated and returned once if none is given")
                .body(Directory.ExtensionInput.class).returns(Directory.SavedExtension.class).handle(Permission.EXTENSION_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, Directory.ExtensionInput.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        var x = dir.saveExtension(h, me.enterpriseId(), null, in);
                        audit.record(h, me, ctx.ip(), "extension.create", x.number(), x.userName() == null ? null : "user=" + x.userName());
                        return x;
                    }));
                });
        ext.put("/extensions/{id}", "Change an extension (sipPassword optional)").body(Directory.ExtensionInput.class)
                .returns(Directory.SavedExtension.class).handle(Permission.EXTENSION_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, Directory.ExtensionInput.class);
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        var x = dir.saveExtension(h, me.enterpriseId(), id, in);
                        audit.record(h, me, ctx.ip(), "extension.update", x.number(),
                                "user=" + x.userName() + " enabled=" + x.enabled() + (in.sipPassword() != null && !in.sipPassword().isEmpty() ? " password changed" : ""));
                        return x;
                    }));
                });
        ext.delete("/extensions/{id}", "Delete an extension").handle(Permission.EXTENSION_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                String number = ExtensionStore.byId(h, me.enterpriseId(), id).map(Extension::number).orElse(String.valueOf(id));
                dir.deleteExtension(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "extension.delete", number, null);
            });
            ctx.status(204);
        });
    }

    private static String permissionList(Role r) {
        return "permissions=" + String.join(",", r.permissions().stream().map(Permission::key).toList());
    }

}
