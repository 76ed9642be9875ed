package dev.hotline.routing;

import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TrunkRegistration;
import dev.hotline.ivr.Flow;
import dev.hotline.ivr.FlowStore;
import dev.hotline.recording.RecordingSettings;
import dev.hotline.tenant.Enterprise;
import dev.hotline.tenant.EnterpriseStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Everything the call router reads, for every enterprise, as one immutable snapshot: so that an
 * INVITE is routed from memory, without a database round trip. Built from the stores; the router
 * swaps in a new one after any change made through the API.
 */
record RoutingSnapshot(
        Map<String, Enterprise> enterprisesByDomain,
        Map<Long, Enterprise> enterprisesById,
        List<Enterprise> tenants,
        List<RoutingStore.OwnedTrunk> ipTrunks,
        Map<Long, Tenant> byEnterprise,
        List<TrunkRegistration> registrations,
        Map<String, RoutingStore.OwnedTrunk> registeringTrunks) {

    /** One enterprise's routing data. */
    record Tenant(Map<String, RoutingStore.Did> dids, List<RoutingStore.OutboundRoute> routes, Map<Long, String> routePins,
                  Map<Long, Trunk> trunks, List<RoutingStore.BlacklistEntry> blacklist,
                  Map<String, RoutingStore.ExtensionLine> extensions, Map<String, String> sipPasswords,
                  RecordingSettings recording, Map<String, ConferenceRooms.Room> rooms,
                  Map<String, Flow.Graph> flows, List<RoutingStore.CallbackEntry> callbacks,
                  Map<String, ExtensionFeatures> features, Map<Long, String> trunkSecrets, int maxChannels,
                  DisaStore.Config disa) {

        /** PBX-3: forwarding, DND, call waiting and pickup group of an extension (the defaults when it has none). */
        ExtensionFeatures features(String extension) {
            ExtensionFeatures f = features.get(extension);
            return f != null ? f : ExtensionFeatures.defaults(extension);
        }

        /** PBX-2: the carrier account of a trunk call: its key for channel accounting, its digest credentials. */
        Target.TrunkAccount account(Trunk trunk) {
            return new Target.TrunkAccount(registrationKey(trunk.id()), trunk.username(), trunkSecrets.get(trunk.id()));
        }
    }

    static RoutingSnapshot load(Handle h) {
        Map<String, Enterprise> byDomain = new HashMap<>();
        Map<Long, Enterprise> byId = new HashMap<>();
        Map<Long, Tenant> tenants = new HashMap<>();
        List<Enterprise> all = EnterpriseStore.list(h);
        for (Enterprise e : all) {
            byId.put(e.id(), e);
            if (!e.enabled()) continue;
            byDomain.put(e.sipDomain().toLowerCase(), e);
            Map<String, RoutingStore.Did> dids = new HashMap<>();
            RoutingStore.dids(h, e.id()).forEach(d -> dids.put(d.number(), d));
            Map<Long, String> pins = new HashMap<>();
            List<RoutingStore.OutboundRoute> routes = RoutingStore.routes(h, e.id());
            routes.stream().filter(RoutingStore.OutboundRoute::hasPin)
                    .forEach(r -> pins.put(r.id(), RoutingStore.routePin(h, e.id(), r.id()).orElse("")));
            Map<Long, Trunk> trunks = new HashMap<>();
            RoutingStore.trunks(h, e.id()).forEach(t -> trunks.put(t.id(), t));
            Map<Long, String> trunkSecrets = new HashMap<>();
            trunks.values().stream().filter(t -> t.username() != null && !t.username().isBlank())
                    .forEach(t -> RoutingStore.trunkSecret(h, e.id(), t.id()).ifPresent(secret -> trunkSecrets.put(t.id(), secret)));
            Map<String, RoutingStore.ExtensionLine> lines = new HashMap<>();
            Map<String, String> secrets = new HashMap<>();
            record Row(RoutingStore.ExtensionLine line, String secret) {}
            h.createQuery("""
                    SELECT x.number, x.enabled, x.outbound_allowed, x.sip_password, u.username, x.user_id
                    FROM extension x LEFT JOIN app_user u ON u.id = x.user_id WHERE x.enterprise_id = :e""")
                    .bind("e", e.id())
                    .map((rs, c) -> new Row(new RoutingStore.ExtensionLine(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3),
                            rs.getString(5), rs.getObject(6, Long.class)), rs.getString(4)))
                    .forEach(r -> {
                        lines.put(r.line().number(), r.line());
                        if (r.line().enabled()) secrets.put(r.line().number(), r.secret());
                    });
            tenants.put(e.id(), new Tenant(Map.copyOf(dids), List.copyOf(routes), Map.copyOf(pins), Map.copyOf(trunks),
                    List.copyOf(RoutingStore.blacklist(h, e.id())), Map.copyOf(lines), Map.copyOf(secrets),
                    RecordingSettings.load(h, e.id()), ConferenceRooms.load(h, e.id()),
                    Map.copyOf(FlowStore.published(h, e.id())), List.copyOf(RoutingStore.callbacks(h, e.id())),
                    Map.copyOf(ExtensionFeatureStore.all(h, e.id())), Map.copyOf(trunkSecrets), RoutingData.enterpriseMaxChannels(h, e.id()),
                    DisaStore.config(h, e.id())));
        }
        List<RoutingStore.OwnedTrunk> ipTrunks = RoutingStore.allEnabledTrunks(h).stream()
                .filter(t -> t.trunk().kind() == Trunk.Kind.IP).toList();
        List<Enterprise> tenantList = all.stream().filter(e -> !e.code().equals(Enterprise.SYSTEM) && e.enabled()).toList();
        // PBX-2: every enabled registering trunk of an enabled enterprise keeps a registration with its carrier.
        List<RoutingStore.OwnedTrunk> registering = RoutingStore.allEnabledTrunks(h).stream()
                .filter(t -> t.trunk().kind() == Trunk.Kind.REGISTER).toList();
        // SEC-4: a registering trunk by its registration's key, for the INVITEs its carrier sends over that registration's connection
        Map<String, RoutingStore.OwnedTrunk> byRegistration = new HashMap<>();
        registering.forEach(t -> byRegistration.put(registrationKey(t.trunk().id()), t));
        List<TrunkRegistration> regs = registering.stream()
                .map(t -> new TrunkRegistration(registrationKey(t.trunk().id()), t.trunk().host(), t.trunk().port(),
                        t.trunk().transport(), t.trunk().username(), RoutingStore.trunkSecret(h, t.enterpriseId(), t.trunk().id()).orElse(""),
                        t.trunk().host(), Duration.ofSeconds(t.trunk().registerExpires()), Duration.ofSeconds(30)))
                .toList();
        return new RoutingSnapshot(Map.copyOf(byDomain), Map.copyOf(byId), tenantList, ipTrunks, Map.copyOf(tenants), regs,
                Map.copyOf(byRegistration));
    }

    static String registrationKey(long trunkId) {
        return "trunk-" + trunkId;
    }

    /** SEC-4: the enabled registering trunk whose registration has key {@code registration}, if any. */
    Optional<RoutingStore.OwnedTrunk> registeringTrunk(Optional<String> registration) {
        return registration.map(registeringTrunks::get);
    }

    Optional<Tenant> tenant(long enterpriseId) {
        return Optional.ofNullable(byEnterprise.get(enterpriseId));
    }
}
