package dev.hotline.routing;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;

/** HTTP routes of PBX-6 DISA: the entries a number can point to, and the extensions' DISA PINs (write only). */
public final class DisaRoutes {
    private DisaRoutes() {}

    /**
     * @param name                letters, digits, space, _ . - (at most 64); what a number's destination "disa" names
     * @param enabled             default on; a number pointing to a disabled entry refuses its callers (404)
     * @param digitTimeoutSeconds 2..15 (default 4): a pause this long ends the PIN and the number, like #
     * @param language            zh (default) or en: the language of the entry's prompts (PIN, wrong PIN) and welcome text
     * @param welcomePrompt       the name of an uploaded prompt played before the PIN is asked for
     * @param welcomeText         or a text (at most 500 characters) spoken by TTS in {@code language} instead; not both
     */
    public record EntryInput(String name, Boolean enabled, Integer digitTimeoutSeconds, String language, String welcomePrompt,
                             String welcomeText) {}

    /** @param pin 4..12 digits, unique within the enterprise */
    public record PinInput(String pin) {}

    /**
     * @param uploaded whether an enterprise has an uploaded prompt of a name (a welcome prompt)
     * @param speaks   whether TTS can run here (a welcome text)
     */
    public static void register(Api root, Jdbi jdbi, AuditLog audit, Clock clock, BiPredicate<Long, String> uploaded, BooleanSupplier speaks) {
        Api d = root.tagged("disa");
        d.get("/disa", "DISA entries (PBX-6)").returnsList(DisaStore.Entry.class)
                .handle(Permission.ROUTING_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> DisaStore.list(h, me.enterpriseId()))));
        d.post("/disa", "Create a DISA entry").body(EntryInput.class).returns(DisaStore.Entry.class)
                .handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var in = body(ctx);
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        var saved = DisaStore.save(h, me.enterpriseId(), null, in, n -> uploaded.test(me.enterpriseId(), n),
                                speaks.getAsBoolean());
                        audit.record(h, me, ctx.ip(), "disa.create", saved.name(), detail(saved));
                        return saved;
                    }));
                });
        d.put("/disa/{id}", "Change a DISA entry").body(EntryInput.class).returns(DisaStore.Entry.class)
                .handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var in = body(ctx);
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        var saved = DisaStore.save(h, me.enterpriseId(), id, in, n -> uploaded.test(me.enterpriseId(), n),
                                speaks.getAsBoolean());
                        audit.record(h, me, ctx.ip(), "disa.update", saved.name(), detail(saved));
                        return saved;
                    }));
                });
        d.delete("/disa/{id}", "Delete a DISA entry no number points to").handle(Permission.ROUTING_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                var gone = DisaStore.delete(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "disa.delete", gone.name(), null);
            });
            ctx.status(204);
        });

        d.get("/disa-pins", "Extensions that have a DISA PIN (never the PIN)").returnsList(DisaStore.PinHolder.class)
                .handle(Permission.EXTENSION_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> DisaStore.pinHolders(h, me.enterpriseId()))));
        d.put("/extensions/{id}/disa-pin", "Set the DISA PIN of an extension (stored hashed)").body(PinInput.class)
                .returns(DisaStore.PinHolder.class).handle(Permission.EXTENSION_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, PinInput.class);
                    if (in == null) throw ApiException.badRequest("a JSON body is required");
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        var saved = DisaStore.setPin(h, me.enterpriseId(), id, in.pin(), clock.instant());
                        audit.record(h, me, ctx.ip(), "extension.disa-pin", saved.number(), "set");
                        return saved;
                    }));
                });
        d.delete("/extensions/{id}/disa-pin", "Remove the DISA PIN of an extension").handle(Permission.EXTENSION_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> audit.record(h, me, ctx.ip(), "extension.disa-pin", DisaStore.clearPin(h, me.enterpriseId(), id), "removed"));
            ctx.status(204);
        });
    }

    private static EntryInput body(Context ctx) {
        var in = Json.body(ctx, EntryInput.class);
        if (in == null) throw ApiException.badRequest("a JSON body is required");
        return in;
    }

    private static String detail(DisaStore.Entry e) {
        return "enabled=" + e.enabled() + " timeout=" + e.digitTimeoutSeconds() + " language=" + e.language()
                + (e.welcomePrompt() != null ? " welcome=prompt:" + e.welcomePrompt() : e.welcomeText() != null ? " welcome=text" : "");
    }
}
