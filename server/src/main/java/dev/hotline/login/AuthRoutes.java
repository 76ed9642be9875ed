package dev.hotline.login;

import dev.hotline.auth.Principal;
import dev.hotline.auth.Permission;
import dev.hotline.directory.UserStore;
import dev.hotline.tenant.EnterpriseStore;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.domain.Validator;
import dev.hotline.web.WebServer;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** Login, logout, the current user and API tokens. */
public final class AuthRoutes {
    private AuthRoutes() {}

    public record LoginRequest(String enterprise, String username, String password) {}

    public record EnterpriseRef(long id, String code, String name) {}

    public record Me(long id, String username, String displayName, String role, Long roleId, Set<Permission> permissions,
                     EnterpriseRef enterprise, String language, String csrfToken, String extension, String jobNumber) {}

    public record LanguageRequest(String language) {}

    public record PasswordRequest(String oldPassword, String newPassword) {}

    public record TokenRequest(String name) {}

    public static void register(Api root, Auth auth, Jdbi jdbi, int sessionSeconds) {
        Api api = root.tagged("auth");
        api.post("/auth/login", "Log in; sets the session cookie").body(LoginRequest.class).returns(Me.class).handlePublic(ctx -> {
            LoginRequest in = Json.body(ctx, LoginRequest.class);
            Validator.of().required("enterprise", in.enterprise()).required("username", in.username())
                    .required("password", in.password()).maxLength("enterprise", in.enterprise(), 32)
                    .maxLength("username", in.username(), 64).maxLength("password", in.password(), 200).throwIfInvalid();
            Auth.Login login = auth.login(in.enterprise().strip(), in.username().strip(), in.password(), ctx.ip());
            WebServer.setSessionCookie(ctx, login.sessionId(), sessionSeconds);
            ctx.json(me(jdbi, login.principal()));
        });
        api.post("/auth/logout", "Log out; ends the session").handleAuthenticated((ctx, me) -> {
            String sid = ctx.cookie(WebServer.SESSION_COOKIE);
            if (sid != null) auth.logout(sid, me, ctx.ip());
            WebServer.clearSessionCookie(ctx);
            ctx.status(204);
        });
        api.get("/me", "The logged-in user, permissions and CSRF token").returns(Me.class)
                .handleAuthenticated((ctx, me) -> ctx.json(me(jdbi, me)));
        api.put("/me/language", "Remember the user's UI language").body(LanguageRequest.class).handleAuthenticated((ctx, me) -> {
            LanguageRequest in = Json.body(ctx, LanguageRequest.class);
            Validator.of().required("language", in.language()).check(in.language() == null || List.of("zh", "en").contains(in.language()),
                    "language", "zh or en").throwIfInvalid();
            jdbi.useHandle(h -> UserStore.setLanguage(h, me.enterpriseId(), me.userId(), in.language()));
            ctx.status(204);
        });
        api.put("/me/password", "Change the user's own password").body(PasswordRequest.class).handleAuthenticated((ctx, me) -> {
            PasswordRequest in = Json.body(ctx, PasswordRequest.class);
            Validator.of().required("oldPassword", in.oldPassword()).required("newPassword", in.newPassword())
                    .minLength("newPassword", in.newPassword(), 8).maxLength("newPassword", in.newPassword(), 72).throwIfInvalid();
            auth.changePassword(me, in.oldPassword(), in.newPassword(), ctx.ip());
            ctx.status(204);
        });
        api.get("/tokens", "The user's API tokens").returnsList(Auth.TokenInfo.class)
                .handle(Permission.TOKEN_WRITE, (ctx, me) -> ctx.json(auth.tokens(me)));
        api.post("/tokens", "Create an API token (shown once)").body(TokenRequest.class).returns(Auth.NewToken.class)
                .handle(Permission.TOKEN_WRITE, (ctx, me) -> {
                    TokenRequest in = Json.body(ctx, TokenRequest.class);
                    String name = Validator.clean(in.name());
                    Validator.of().required("name", name).maxLength("name", name, 64).throwIfInvalid();
                    ctx.status(201).json(auth.createToken(me, name, ctx.ip()));
                });
        api.delete("/tokens/{id}", "Revoke an API token").handle(Permission.TOKEN_WRITE, (ctx, me) -> {
            auth.deleteToken(me, WebServer.id(ctx), ctx.ip());
            ctx.status(204);
        });
    }

    static Me me(Jdbi jdbi, Principal p) {
        return jdbi.withHandle(h -> {
            var user = UserStore.byId(h, p.enterpriseId(), p.userId()).orElseThrow(ApiException::unauthenticated);
            var e = EnterpriseStore.byId(h, p.enterpriseId()).orElseThrow();
            return new Me(user.id(), user.username(), user.displayName(), p.role(), user.roleId(), p.permissions(),
                    new EnterpriseRef(e.id(), e.code(), e.name()), user.language(), p.csrfToken(), user.extension(), user.jobNumber());
        });
    }
}
