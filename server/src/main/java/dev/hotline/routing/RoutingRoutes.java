package dev.hotline.routing;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.engine.call.LocationService;
import dev.hotline.engine.call.SrtpMode;
import dev.hotline.ivr.FlowStore;
import dev.hotline.masking.Masking;
import dev.hotline.store.EnterpriseSettings;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** HTTP routes of trunks, numbers (DIDs), outbound routes, the blacklist and registration status. */
public final class RoutingRoutes {
    private RoutingRoutes() {}

    static final String HOST = "[A-Za-z0-9.:\\-\\[\\]]{1,128}";
    static final String NUMBER = "\\+?[0-9*#]{1,32}";

    public record TrunkInput(String name, String kind, String host, Integer port, String transport, List<String> allowedIps,
                             String username, String secret, Integer registerExpires, String callerId, Integer maxChannels, Boolean enabled,
                             String srtp) {}

    public record DidInput(String number, Long trunkId, String destinationType, String destination, String description,
                           String welcomePrompt) {}

    public record RouteInput(String name, String prefix, Integer stripDigits, String addPrefix, Long trunkId, String callerId,
                             String pin, Integer priority, Boolean enabled) {}

    public record BlacklistInput(String number, String note) {}

    /** PBX-2: the enterprise-wide limit on trunk channels in use, both directions (0: none). */
    public record TrunkSettings(Integer maxChannels) {}

    /**
     * @param pin          participants' PIN, 4..8 digits: omit to keep, empty to remove
     * @param moderatorPin moderator's PIN, 4..8 digits, not the participants' PIN: omit to keep, empty to remove
     * @param openFrom     ISO-8601 instant the room opens (null: always open until openUntil)
     * @param openUntil    ISO-8601 instant the room closes, ending its calls (null: never); after openFrom
     */
    public record RoomInput(String number, String name, String pin, Boolean record, String moderatorPin, String openFrom, String openUntil) {}

    public record CallbackInput(String number, Integer delaySeconds, String note) {}

    /** A conference room as the API shows it: the PIN never, whether there is one, and who is in it now. */
    public record RoomView(long id, String number, String name, boolean hasPin, boolean record, int participants, boolean hasModeratorPin,
                           Instant openFrom, Instant openUntil) {}

    /** A live registration of one of the enterprise's extensions. */
    public record RegistrationView(String extension, String contact, String source, String transport, Instant expiresAt, String userAgent) {}

    /** Registration state of one registering trunk. */
    public record TrunkStatusView(long trunkId, String state, String detail, Instant since, Instant expiresAt, Instant nextAttemptAt,
                                  int failures) {}

    /**
     * @param prompts whether an enterprise has an uploaded prompt of that name (for a number's welcome prompt)
     * @param queues  whether an enterprise has a queue of that name (for numbers and ring groups sending callers to one)
     * @param masking CRM-5: parked callers as the viewer may see them
     */
    public static void register(Api root, Jdbi jdbi, AuditLog audit, Clock clock, Supplier<LocationService> locations, RoutingData routing,
                                CallRouter router,
                                BiPredicate<Long, String> prompts, QueueNames queues, Masking masking) {
        Api t = root.tagged("trunks");
        t.get("/trunk-registrations", "Registration state of the registering trunks (registering, registered, failed)")
                .returnsList(TrunkStatusView.class).handle(Permission.ROUTING_READ, (ctx, me) -> ctx.json(routing.trunkStatus(me.enterpriseId())
                        .entrySet().stream().map(en -> new TrunkStatusView(en.getKey(), en.getValue().state().name().toLowerCase(),
                                en.getValue().detail(), en.getValue().since(), en.getValue().expiresAt(), en.getValue().nextAttemptAt(),
                                en.getValue().failures())).toList()));
        t.get("/trunk-settings", "The enterprise-wide trunk channel limit (0: none)").returns(TrunkSettings.class)
                .handle(Permission.ROUTING_READ, (ctx, me) -> ctx.json(new TrunkSettings(jdbi.withHandle(h ->
                        RoutingData.enterpriseMaxChannels(h, me.enterpriseId())))));
        t.put("/trunk-settings", "Set the enterprise-wide trunk channel limit: calls over it in either direction get 503")
                .body(TrunkSettings.class).returns(TrunkSettings.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, TrunkSettings.class);
                    Validator.of().required("maxChannels", in.maxChannels())
                            .check(in.maxChannels() == null || (in.maxChannels() >= 0 && in.maxChannels() <= 100_000), "maxChannels",
                                    "0 (unlimited) to 100000").throwIfInvalid();
                    jdbi.useTransaction(h -> {
                        EnterpriseSettings.put(h, me.enterpriseId(), RoutingData.MAX_CHANNELS, Integer.toString(in.maxChannels()));
                        audit.record(h, me, ctx.ip(), "trunk.settings", "maxChannels", Integer.toString(in.maxChannels()));
                    });
                    ctx.json(new TrunkSettings(in.maxChannels()));
                });
        t.get("/trunks", "List trunks").returnsList(Trunk.class).handle(Permission.ROUTING_READ, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> RoutingStore.trunks(h, me.enterpriseId()))));
        t.post("/trunks", "Create a trunk (kind ip: allowedIps; kind register: username and secret)").body(TrunkInput.class)
                .returns(Trunk.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, TrunkInput.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        Trunk tr = saveTrunk(h, me.enterpriseId(), null, in);
                        audit.record(h, me, ctx.ip(), "trunk.create", tr.name(), tr.kind().key() + " " + tr.host() + ":" + tr.port());
                        return tr;
                    }));
                });
        t.put("/trunks/{id}", "Change a trunk (secret optional)").body(TrunkInput.class).returns(Trunk.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
            var in = Json.body(ctx, TrunkInput.class);
            long id = WebServer.id(ctx);
            ctx.json(jdbi.inTransaction(h -> {
                Trunk tr = saveTrunk(h, me.enterpriseId(), id, in);
                audit.record(h, me, ctx.ip(), "trunk.update", tr.name(), tr.kind().key() + " " + tr.host() + ":" + tr.port() + " enabled=" + tr.enabled());
                return tr;
            }));
        });
        t.delete("/trunks/{id}", "Delete a trunk no route or number uses").handle(Permission.ROUTING_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                Trunk tr = RoutingStore.trunk(h, me.enterpriseId(), id).orElseThrow(() -> ApiException.notFound("trunk"));
                if (RoutingStore.trunkInUse(h, me.enterpriseId(), id)) throw ApiException.conflict("trunk is used by routes or numbers");
                RoutingStore.deleteTrunk(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "trunk.delete", tr.name(), null);
            });
            ctx.status(204);
        });

        Api d = root.tagged("numbers");
        d.get("/numbers", "List numbers (DIDs) and their destinations").returnsList(RoutingStore.Did.class).handle(Permission.ROUTING_READ, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> RoutingStore.dids(h, me.enterpriseId()))));
        d.post("/numbers", "Route a number (DID) to a destination").body(DidInput.class).returns(RoutingStore.Did.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
            var in = Json.body(ctx, DidInput.class);
            ctx.status(201).json(jdbi.inTransaction(h -> {
                var did = saveDid(h, me.enterpriseId(), null, in, prompts, queues);
                audit.record(h, me, ctx.ip(), "number.create", did.number(), did.destinationType() + " " + did.destination());
                return did;
            }));
        });
        d.put("/numbers/{id}", "Change a number's destination").body(DidInput.class).returns(RoutingStore.Did.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
            var in = Json.body(ctx, DidInput.class);
            long id = WebServer.id(ctx);
            ctx.json(jdbi.inTransaction(h -> {
                var did = saveDid(h, me.enterpriseId(), id, in, prompts, queues);
                audit.record(h, me, ctx.ip(), "number.update", did.number(), did.destinationType() + " " + did.destination());
                return did;
            }));
        });
        d.delete("/numbers/{id}", "Delete a number").handle(Permission.ROUTING_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                var did = RoutingStore.did(h, me.enterpriseId(), id).orElseThrow(() -> ApiException.notFound("number"));
                RoutingStore.deleteDid(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "number.delete", did.number(), null);
            });
            ctx.status(204);
        });

        Api r = root.tagged("outbound-routes");
        r.get("/outbound-routes", "List outbound routes in matching order").returnsList(RoutingStore.OutboundRoute.class)
                .handle(Permission.ROUTING_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> RoutingStore.routes(h, me.enterpriseId()))));
        r.post("/outbound-routes", "Create an outbound route (prefix → trunk, caller ID, optional PIN)").body(RouteInput.class)
                .returns(RoutingStore.OutboundRoute.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, RouteInput.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        var route = saveRoute(h, me.enterpriseId(), null, in);
                        audit.record(h, me, ctx.ip(), "route.create", route.name(), "prefix=" + route.prefix() + " trunk=" + route.trunkId());
                        return route;
                    }));
                });
        r.put("/outbound-routes/{id}", "Change an outbound route (pin: omit to keep, empty to remove)").body(RouteInput.class)
                .returns(RoutingStore.OutboundRoute.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, RouteInput.class);
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        var route = saveRoute(h, me.enterpriseId(), id, in);
                        audit.record(h, me, ctx.ip(), "route.update", route.name(), "prefix=" + route.prefix() + " trunk=" + route.trunkId());
                        return route;
                    }));
                });
        r.delete("/outbound-routes/{id}", "Delete an outbound route").handle(Permission.ROUTING_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                var route = RoutingStore.route(h, me.enterpriseId(), id).orElseThrow(() -> ApiException.notFound("route"));
                RoutingStore.deleteRoute(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "route.delete", route.name(), null);
            });
            ctx.status(204);
        });

        Api b = root.tagged("blacklist");
        b.get("/blacklist", "Blocked caller numbers").returnsList(RoutingStore.BlacklistEntry.class).handle(Permission.ROUTING_READ, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> RoutingStore.blacklist(h, me.enterpriseId()))));
        b.post("/blacklist", "Block a number (exact, or a prefix ending in *)").body(BlacklistInput.class)
                .returns(RoutingStore.BlacklistEntry.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, BlacklistInput.class);
                    String number = Validator.clean(in.number());
                    Validator.of().required("number", number).matches("number", number, "\\+?[0-9]{1,31}\\*?", "digits, optionally ending in *")
                            .maxLength("note", in.note(), 128).throwIfInvalid();
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        if (RoutingStore.blacklist(h, me.enterpriseId()).stream().anyMatch(x -> x.number().equals(number))) {
                            throw ApiException.conflict("number already blocked");
                        }
                        long id = RoutingStore.insertBlacklist(h, me.enterpriseId(), number, Validator.clean(in.note()), clock.instant());
                        audit.record(h, me, ctx.ip(), "blacklist.add", number, in.note());
                        return RoutingStore.blacklist(h, me.enterpriseId()).stream().filter(x -> x.id() == id).findFirst().orElseThrow();
                    }));
                });
        b.delete("/blacklist/{id}", "Unblock a number").handle(Permission.ROUTING_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                String number = RoutingStore.blacklist(h, me.enterpriseId()).stream().filter(x -> x.id() == id).findFirst()
                        .map(RoutingStore.BlacklistEntry::number).orElseThrow(() -> ApiException.notFound("blacklist entry"));
                RoutingStore.deleteBlacklist(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "blacklist.remove", number, null);
            });
            ctx.status(204);
        });

        Api cb = root.tagged("callback-list");
        cb.get("/callback-list", "Callers that are hung up on and called back (PBX-6)").returnsList(RoutingStore.CallbackEntry.class)
                .handle(Permission.ROUTING_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> RoutingStore.callbacks(h, me.enterpriseId()))));
        cb.post("/callback-list", "Add a number (exact, or a prefix ending in *) with the delay before the call back")
                .body(CallbackInput.class).returns(RoutingStore.CallbackEntry.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, CallbackInput.class);
                    String number = Validator.clean(in.number());
                    Validator.of().required("number", number).matches("number", number, "\\+?[0-9]{1,31}\\*?", "digits, optionally ending in *")
                            .check(in.delaySeconds() == null || (in.delaySeconds() >= 0 && in.delaySeconds() <= 3600), "delaySeconds", "0..3600")
                            .maxLength("note", in.note(), 128).throwIfInvalid();
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        if (RoutingStore.callbacks(h, me.enterpriseId()).stream().anyMatch(x -> x.number().equals(number))) {
                            throw ApiException.conflict("number already on the callback list");
                        }
                        long id = RoutingStore.insertCallback(h, me.enterpriseId(), number, in.delaySeconds() == null ? 10 : in.delaySeconds(),
                                Validator.clean(in.note()), clock.instant());
                        audit.record(h, me, ctx.ip(), "callback.add", number, in.note());
                        return RoutingStore.callbacks(h, me.enterpriseId()).stream().filter(x -> x.id() == id).findFirst().orElseThrow();
                    }));
                });
        cb.delete("/callback-list/{id}", "Remove a number from the callback list").handle(Permission.ROUTING_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                String number = RoutingStore.callbacks(h, me.enterpriseId()).stream().filter(x -> x.id() == id).findFirst()
                        .map(RoutingStore.CallbackEntry::number).orElseThrow(() -> ApiException.notFound("callback entry"));
                RoutingStore.deleteCallback(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "callback.remove", number, null);
            });
            ctx.status(204);
        });

        Api rooms = root.tagged("conference-rooms");
        rooms.get("/conference-rooms", "Conference rooms with their live participant count").returnsList(RoomView.class)
                .handle(Permission.ROUTING_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> ConferenceRooms.load(h, me.enterpriseId())).values().stream()
                        .sorted(Comparator.comparing(ConferenceRooms.Room::number))
                        .map(rm -> view(rm, router.roomParticipants(me.enterpriseId(), rm.number()))).toList()));
        rooms.post("/conference-rooms", "Create a conference room (number, name, optional PIN, record)").body(RoomInput.class)
                .returns(RoomView.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, RoomInput.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        RoomView saved = saveRoom(h, me.enterpriseId(), null, in);
                        audit.record(h, me, ctx.ip(), "conference.create", saved.number(), saved.name());
                        return saved;
                    }));
                });
        rooms.put("/conference-rooms/{id}", "Change a conference room (pin: omit to keep, empty to remove)").body(RoomInput.class)
                .returns(RoomView.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, RoomInput.class);
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        RoomView saved = saveRoom(h, me.enterpriseId(), id, in);
                        audit.record(h, me, ctx.ip(), "conference.update", saved.number(), saved.name());
                        return saved;
                    }));
                });
        rooms.delete("/conference-rooms/{id}", "Delete a conference room no number points to").handle(Permission.ROUTING_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                var room = ConferenceRooms.load(h, me.enterpriseId()).values().stream().filter(rm -> rm.id() == id).findFirst()
                        .orElseThrow(() -> ApiException.notFound("conference room"));
                if (RoutingStore.dids(h, me.enterpriseId()).stream().anyMatch(n -> n.destinationType().equals("conference")
                        && n.destination().equals(room.number()))) {
                    throw ApiException.conflict("a number still points to this room");
                }
                h.createUpdate("DELETE FROM conference_room WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", me.enterpriseId()).execute();
                audit.record(h, me, ctx.ip(), "conference.delete", room.number(), null);
            });
            ctx.status(204);
        });

        RingGroupRoutes.register(root, jdbi, audit, queues); // PBX-3
        PbxFeatureRoutes.register(root, jdbi, audit, router.features(), masking); // PBX-3/4
        DisaRoutes.register(root, jdbi, audit, clock, prompts, router::speaks); // PBX-6 DISA
        ConferenceModerationRoutes.register(root, jdbi, audit, router.rooms(), masking); // PBX-5 moderation

        root.tagged("extensions").get("/registrations", "Live SIP registrations of the enterprise's extensions")
                .returnsList(RegistrationView.class).handle(Permission.EXTENSION_READ, (ctx, me) -> {
                    String prefix = me.enterpriseId() + ":";
                    ctx.json(locations.get().all().stream().filter(x -> x.accountKey() != null && x.accountKey().startsWith(prefix))
                            .map(x -> new RegistrationView(x.accountKey().substring(prefix.length()), x.contact(),
                                    x.source() == null ? null : x.source().getAddress().getHostAddress() + ":" + x.source().getPort(),
                                    x.transport(), x.expiresAt(), x.userAgent()))
                            .toList());
                });
    }

    static RoomView view(ConferenceRooms.Room r, int participants) {
        return new RoomView(r.id(), r.number(), r.name(), r.hasPin(), r.record(), participants, r.hasModeratorPin(), r.openFrom(), r.openUntil());
    }

    static RoomView saveRoom(Handle h, long enterpriseId, Long id, RoomInput in) {
        String number = Validator.clean(in.number());
        String name = Validator.clean(in.name());
        Validator v = Validator.of().required("number", number).matches("number", number, "[0-9]{1,6}", "1–6 digits")
                .required("name", name).maxLength("name", name, 64)
                .check(in.pin() == null || in.pin().isEmpty() || in.pin().matches("[0-9]{4,8}"), "pin", "4–8 digits")
                .check(in.moderatorPin() == null || in.moderatorPin().isEmpty() || in.moderatorPin().matches("[0-9]{4,8}"), "moderatorPin", "4–8 digits");
        Instant from = instant(v, "openFrom", in.openFrom());
        Instant until = instant(v, "openUntil", in.openUntil());
        if (from != null && until != null) v.check(until.isAfter(from), "openUntil", "after openFrom");
        if (number != null) v.check(RoutingStore.extension(h, enterpriseId, number).isEmpty(), "number", "is an extension's number");
        if (number != null) v.check(RingGroupStore.byNumber(h, enterpriseId, number).isEmpty(), "number", "is a ring group's number");
        v.throwIfInvalid();
        var existing = ConferenceRooms.load(h, enterpriseId);
        var before = existing.values().stream().filter(r -> id != null && r.id() == id).findFirst();
        String pin = in.pin() != null ? in.pin() : before.map(ConferenceRooms.Room::pin).orElse(null);
        String moderatorPin = in.moderatorPin() != null ? in.moderatorPin() : before.map(ConferenceRooms.Room::moderatorPin).orElse(null);
        if (moderatorPin != null && !moderatorPin.isEmpty() && moderatorPin.equals(pin)) {
            throw DomainException.invalid("moderatorPin", "differs from the participants' PIN");
        }
        if (existing.containsKey(number) && existing.get(number).id() != (id == null ? -1 : id)) {
            throw new ApiException(409, "conflict", "room number already exists", List.of(new ApiException.FieldError("number", "already exists")));
        }
        boolean record = in.record() != null && in.record();
        if (id == null) {
            long newId = h.createUpdate("INSERT INTO conference_room (enterprise_id, number, name, pin, record) VALUES (:e, :n, :name, :pin, :r)")
                    .bind("e", enterpriseId).bind("n", number).bind("name", name)
                    .bind("pin", in.pin() == null || in.pin().isEmpty() ? null : in.pin()).bind("r", record)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            saveModeration(h, enterpriseId, newId, in.moderatorPin(), from, until);
            return view(ConferenceRooms.load(h, enterpriseId).values().stream().filter(r -> r.id() == newId).findFirst().orElseThrow(), 0);
        }
        if (existing.values().stream().noneMatch(r -> r.id() == id)) throw ApiException.notFound("conference room");
        h.createUpdate("UPDATE conference_room SET number = :n, name = :name, record = :r WHERE id = :id AND enterprise_id = :e")
                .bind("n", number).bind("name", name).bind("r", record).bind("id", id).bind("e", enterpriseId).execute();
        if (in.pin() != null) {
            h.createUpdate("UPDATE conference_room SET pin = :pin WHERE id = :id AND enterprise_id = :e")
                    .bind("pin", in.pin().isEmpty() ? null : in.pin()).bind("id", id).bind("e", enterpriseId).execute();
        }
        saveModeration(h, enterpriseId, id, in.moderatorPin(), from, until);
        return view(ConferenceRooms.load(h, enterpriseId).values().stream().filter(r -> r.id() == id).findFirst().orElseThrow(), 0);
    }

    /** PBX-5: the moderator PIN (null keeps it, empty removes it) and the opening window of a room. */
    private static void saveModeration(Handle h, long enterpriseId, long id, String moderatorPin, Instant from, Instant until) {
        h.createUpdate("UPDATE conference_room SET open_from = :f, open_until = :u WHERE id = :id AND enterprise_id = :e")
                .bind("f", from).bind("u", until).bind("id", id).bind("e", enterpriseId).execute();
        if (moderatorPin != null) {
            h.createUpdate("UPDATE conference_room SET moderator_pin = :p WHERE id = :id AND enterprise_id = :e")
                    .bind("p", moderatorPin.isEmpty() ? null : moderatorPin).bind("id", id).bind("e", enterpriseId).execute();
        }
    }

    /** An ISO-8601 instant, or null when blank; a bad one is a field error. */
    private static Instant instant(Validator v, String field, String text) {
        if (text == null || text.isBlank()) return null;
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            v.add(field, "an ISO-8601 instant, e.g. 2026-05-01T09:00:00Z");
            return null;
        }
    }

    static Trunk saveTrunk(Handle h, long enterpriseId, Long id, TrunkInput in) {
        String name = Validator.clean(in.name());
        String host = Validator.clean(in.host());
        String kindKey = in.kind() == null ? "ip" : in.kind();
        var kind = Trunk.Kind.parse(kindKey);
        String transport = in.transport() == null ? "udp" : in.transport().toLowerCase(java.util.Locale.ROOT);
        String srtp = in.srtp() == null ? "off" : in.srtp().toLowerCase(java.util.Locale.ROOT);
        List<String> ips = in.allowedIps() == null ? List.of() : in.allowedIps().stream().map(Validator::clean).filter(x -> x != null).toList();
        Validator v = Validator.of().required("name", name).maxLength("name", name, 64)
                .check(kind.isPresent(), "kind", "ip or register")
                .required("host", host).matches("host", host, HOST, "a host name or IP address")
                .check(in.port() == null || (in.port() > 0 && in.port() < 65536), "port", "1..65535")
                .check(transport.equals("udp") || transport.equals("tcp") || transport.equals("tls"), "transport", "udp, tcp or tls")
                .check(SrtpMode.parse(srtp).isPresent(), "srtp", "off, optional or required")
                // RFC 4568 §8.3: SDES keys travel in the SDP, so only over TLS
                .check(srtp.equals("off") || transport.equals("tls"), "srtp", "needs transport tls")
                .check(ips.stream().allMatch(ip -> ip.matches("[0-9a-fA-F.:]{2,45}")), "allowedIps", "IP addresses")
                .matches("callerId", in.callerId(), NUMBER, "a phone number")
                .check(in.maxChannels() == null || in.maxChannels() >= 0, "maxChannels", "0 (unlimited) or more")
                .check(in.registerExpires() == null || (in.registerExpires() >= 60 && in.registerExpires() <= 86400), "registerExpires", "60..86400 seconds")
                .maxLength("username", in.username(), 64).maxLength("secret", in.secret(), 128);
        if (kind.orElse(null) == Trunk.Kind.REGISTER) {
            v.required("username", in.username());
            if (id == null) v.required("secret", in.secret());
        }
        v.throwIfInvalid();
        RoutingStore.trunks(h, enterpriseId).stream().filter(x -> x.name().equalsIgnoreCase(name) && !Long.valueOf(x.id()).equals(id)).findAny()
                .ifPresent(x -> {
                    throw new ApiException(409, "conflict", "trunk name already exists", List.of(new ApiException.FieldError("name", "already exists")));
                });
        var f = new RoutingStore.TrunkFields(name, kind.get().key(), host, in.port() == null ? 5060 : in.port(), transport, String.join(",", ips),
                Validator.clean(in.username()), in.registerExpires() == null ? 600 : in.registerExpires(), Validator.clean(in.callerId()),
                in.maxChannels() == null ? 0 : in.maxChannels(), in.enabled() == null || in.enabled(), srtp);
        String secret = in.secret() == null || in.secret().isEmpty() ? null : in.secret();
        if (id == null) return RoutingStore.trunk(h, enterpriseId, RoutingStore.insertTrunk(h, enterpriseId, f, secret)).orElseThrow();
        RoutingStore.trunk(h, enterpriseId, id).orElseThrow(() -> ApiException.notFound("trunk"));
        RoutingStore.updateTrunk(h, enterpriseId, id, f, secret);
        return RoutingStore.trunk(h, enterpriseId, id).orElseThrow();
    }

    static RoutingStore.Did saveDid(Handle h, long enterpriseId, Long id, DidInput in,
                                    BiPredicate<Long, String> prompts, QueueNames queues) {
        String number = Validator.clean(in.number());
        String type = in.destinationType() == null ? "extension" : in.destinationType();
        String cleaned = Validator.clean(in.destination());
        String dest = cleaned == null && type.equals("fax") ? "fax" : cleaned; // MSG-5: a fax number needs no target
        Validator v = Validator.of().required("number", number).matches("number", number, NUMBER, "a phone number")
                .check(List.of("extension", "conference", "flow", "queue", "voicemail", "ringgroup", "disa", "fax").contains(type), "destinationType",
                        "extension, conference, flow, queue, voicemail, ringgroup, disa or fax")
                .required("destination", dest).maxLength("description", in.description(), 128);
        if (in.trunkId() != null) v.check(RoutingStore.trunk(h, enterpriseId, in.trunkId()).isPresent(), "trunkId", "no such trunk");
        if (dest != null && type.equals("extension")) v.check(RoutingStore.extension(h, enterpriseId, dest).isPresent(), "destination", "no such extension");
        if (dest != null && type.equals("conference")) v.check(ConferenceRooms.load(h, enterpriseId).containsKey(dest), "destination", "no such conference room");
        if (dest != null && type.equals("flow")) v.check(FlowStore.byName(h, enterpriseId, dest).isPresent(), "destination", "no such flow");
        if (dest != null && type.equals("queue")) v.check(queues.exists(h, enterpriseId, dest), "destination", "no such queue");
        if (dest != null && type.equals("disa")) v.check(DisaStore.byName(h, enterpriseId, dest).isPresent(), "destination", "no such DISA entry");
        if (dest != null && type.equals("ringgroup")) v.check(RingGroupStore.byName(h, enterpriseId, dest).isPresent(), "destination", "no such ring group");
        if (dest != null && type.equals("voicemail")) {
            boolean ok = dest.startsWith("queue:") ? queues.exists(h, enterpriseId, dest.substring(6))
                    : RoutingStore.extension(h, enterpriseId, dest.startsWith("extension:") ? dest.substring(10) : dest).isPresent();
            v.check(ok, "destination", "queue:<name> or extension:<number> of an existing box");
        }
        String welcome = Validator.clean(in.welcomePrompt());
        if (welcome != null) v.check(prompts.test(enterpriseId, welcome), "welcomePrompt", "no such uploaded prompt");
        v.throwIfInvalid();
        RoutingStore.didByNumber(h, enterpriseId, number).filter(x -> !Long.valueOf(x.id()).equals(id)).ifPresent(x -> {
            throw new ApiException(409, "conflict", "number already routed", List.of(new ApiException.FieldError("number", "already exists")));
        });
        var did = new RoutingStore.Did(0, number, in.trunkId(), type, dest, Validator.clean(in.description()), welcome);
        if (id == null) return RoutingStore.did(h, enterpriseId, RoutingStore.insertDid(h, enterpriseId, did)).orElseThrow();
        RoutingStore.did(h, enterpriseId, id).orElseThrow(() -> ApiException.notFound("number"));
        RoutingStore.updateDid(h, enterpriseId, id, did);
        return RoutingStore.did(h, enterpriseId, id).orElseThrow();
    }

    static RoutingStore.OutboundRoute saveRoute(Handle h, long enterpriseId, Long id, RouteInput in) {
        String name = Validator.clean(in.name());
        String prefix = in.prefix() == null ? "" : in.prefix().strip();
        Validator v = Validator.of().required("name", name).maxLength("name", name, 64)
                .check(prefix.matches("\\+?[0-9*#]{0,16}"), "prefix", "up to 16 digits")
                .check(in.stripDigits() == null || (in.stripDigits() >= 0 && in.stripDigits() <= 16), "stripDigits", "0..16")
                .matches("addPrefix", in.addPrefix(), "\\+?[0-9*#]{1,16}", "up to 16 digits")
                .required("trunkId", in.trunkId())
                .matches("callerId", in.callerId(), NUMBER, "a phone number")
                .matches("pin", in.pin(), "[0-9]{4,16}", "4–16 digits")
                .check(in.priority() == null || (in.priority() >= 0 && in.priority() <= 10000), "priority", "0..10000");
        if (in.trunkId() != null) v.check(RoutingStore.trunk(h, enterpriseId, in.trunkId()).isPresent(), "trunkId", "no such trunk");
        v.throwIfInvalid();
        RoutingStore.routes(h, enterpriseId).stream().filter(x -> x.name().equalsIgnoreCase(name) && !Long.valueOf(x.id()).equals(id)).findAny()
                .ifPresent(x -> {
                    throw new ApiException(409, "conflict", "route name already exists", List.of(new ApiException.FieldError("name", "already exists")));
                });
        var f = new RoutingStore.RouteFields(name, prefix, in.stripDigits() == null ? 0 : in.stripDigits(), Validator.clean(in.addPrefix()),
                in.trunkId(), Validator.clean(in.callerId()), in.priority() == null ? 100 : in.priority(), in.enabled() == null || in.enabled());
        if (id == null) {
            String pin = in.pin() == null || in.pin().isEmpty() ? null : in.pin();
            return RoutingStore.route(h, enterpriseId, RoutingStore.insertRoute(h, enterpriseId, f, pin)).orElseThrow();
        }
        RoutingStore.route(h, enterpriseId, id).orElseThrow(() -> ApiException.notFound("route"));
        RoutingStore.updateRoute(h, enterpriseId, id, f, in.pin());
        return RoutingStore.route(h, enterpriseId, id).orElseThrow();
    }
}
