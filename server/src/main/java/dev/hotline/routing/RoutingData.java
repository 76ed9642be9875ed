package dev.hotline.routing;

import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.Registration;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.call.TrunkRegistrationStatus;
import dev.hotline.ivr.Flow;
import dev.hotline.recording.RecordingSettings;
import dev.hotline.store.EnterpriseSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The routing data in force, read from memory on the call path: a {@link RoutingSnapshot} rebuilt
 * after any change through the API, the engine's registrations (who is reachable where) and the
 * carrier registrations of the trunks. Everything that asks "is this an extension, is it
 * registered, how is this outside number called" asks here.
 */
public final class RoutingData {
    private final Jdbi jdbi;
    private volatile TelephonyEngine engine;

    /** Bumped by every change made through the API; the snapshot is rebuilt when it is behind. */
    private final AtomicLong changes = new AtomicLong();
    private volatile RoutingSnapshot snapshot;
    private volatile long snapshotVersion = -1;
    private final TrunkChannels trunkChannels = new TrunkChannels();
    private volatile TollCheck toll = TollCheck.NONE;

    public RoutingData(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The engine, once started; then the trunks register with their carriers. */
    public void attach(TelephonyEngine engine) {
        this.engine = engine;
        engine.outboundPolicy(this::admitOutbound);
        syncTrunkRegistrations();
    }

    public TelephonyEngine engine() {
        TelephonyEngine e = engine;
        if (e == null) throw new IllegalStateException("engine not started");
        return e;
    }

    /** Tells routing that its data may have changed (any successful API write). */
    public void invalidate() {
        changes.incrementAndGet();
        syncTrunkRegistrations();
    }

    /** Makes the engine's carrier registrations match the registering trunks in the database. */
    private void syncTrunkRegistrations() {
        engine().trunkRegistrations().configure(snapshot().registrations());
    }

    /** Registration state of the enterprise's registering trunks, by trunk id. */
    public Map<Long, TrunkRegistrationStatus> trunkStatus(long enterpriseId) {
        Map<Long, TrunkRegistrationStatus> out = new HashMap<>();
        var tenant = snapshot().tenant(enterpriseId);
        if (tenant.isEmpty()) return out;
        for (var st : engine().trunkRegistrations().status()) {
            for (Long id : tenant.get().trunks().keySet()) {
                if (RoutingSnapshot.registrationKey(id).equals(st.key())) out.put(id, st);
            }
        }
        return out;
    }

    RoutingSnapshot snapshot() {
        long wanted = changes.get();
        RoutingSnapshot s = snapshot;
        if (s != null && snapshotVersion == wanted) return s;
        synchronized (this) {
            if (snapshot == null || snapshotVersion != changes.get()) {
                long v = changes.get();
                snapshot = jdbi.withHandle(RoutingSnapshot::load);
                snapshotVersion = v;
            }
            return snapshot;
        }
    }

    /** The enterprise's published flows by name (none for an enterprise not routed). */
    public Map<String, Flow.Graph> publishedFlows(long enterpriseId) {
        return tenant(enterpriseId).map(RoutingSnapshot.Tenant::flows).orElse(Map.of());
    }

    Optional<RoutingSnapshot.Tenant> tenant(long enterpriseId) {
        return snapshot().tenant(enterpriseId);
    }

    /** True when the enterprise is enabled (routing knows it). */
    public boolean knows(long enterpriseId) {
        return tenant(enterpriseId).isPresent();
    }

    /** Account keys are "enterpriseId:extension". */
    static String accountKey(long enterpriseId, String extension) {
        return enterpriseId + ":" + extension;
    }

    /** The live binding of an extension: registrations are keyed by the domain the phone used, so find it by account key. */
    Optional<Registration> binding(long enterpriseId, String extension) {
        String key = accountKey(enterpriseId, extension);
        return engine().locations().all().stream().filter(r -> key.equals(r.accountKey())).findFirst();
    }

    public boolean isRegistered(long enterpriseId, String extension) {
        return binding(enterpriseId, extension).isPresent();
    }

    /** Where extension {@code extension}'s phone is reached now, if it is registered. */
    public Optional<Target.Registered> registered(long enterpriseId, String extension) {
        return binding(enterpriseId, extension).map(b -> new Target.Registered(b.domain(), b.user()));
    }

    /** As {@link #registered}, for an enabled extension only. */
    Optional<Target> phone(long enterpriseId, String extension) {
        var line = tenant(enterpriseId).map(t -> t.extensions().get(extension));
        if (line.isEmpty() || !line.get().enabled()) return Optional.empty();
        return registered(enterpriseId, extension).map(t -> t);
    }

    public boolean isExtension(long enterpriseId, String number) {
        return tenant(enterpriseId).map(t -> t.extensions().containsKey(number)).orElse(false);
    }

    /** The extension of a user (an agent), if they have one. */
    public Optional<String> extensionOfUser(long enterpriseId, long userId) {
        return tenant(enterpriseId).flatMap(t -> t.extensions().values().stream().filter(x -> Long.valueOf(userId).equals(x.userId()))
                .map(RoutingStore.ExtensionLine::number).findFirst());
    }

    /** The user an extension belongs to, if any. */
    public Optional<Long> userOfExtension(long enterpriseId, String extension) {
        return tenant(enterpriseId).map(t -> t.extensions().get(extension)).map(RoutingStore.ExtensionLine::userId);
    }

    /**
     * The user whose extension's phone leg {@code channelId} is: a leg the engine dialled to a phone registered for an
     * extension of the enterprise that belongs to a user, whatever placed it (a direct call, a phone's transfer, a forward).
     */
    public Optional<Long> userOfPhoneLeg(long enterpriseId, String channelId) {
        Channel ch = engine().channel(channelId).orElse(null);
        if (ch == null || !(ch.target().orElse(null) instanceof Target.Registered phone)) return Optional.empty();
        String prefix = enterpriseId + ":";
        return engine().locations().lookup(phone.domain(), phone.user()).stream().map(Registration::accountKey)
                .filter(k -> k != null && k.startsWith(prefix)).findFirst()
                .flatMap(k -> userOfExtension(enterpriseId, k.substring(prefix.length())));
    }

    /** SEC-1: the toll-fraud limits every call out through a trunk is checked against, once its route is chosen. */
    public void tollCheck(TollCheck check) {
        this.toll = check;
    }

    /** A plan that would call out, if the toll-fraud limits let it (a refusal is 403 with the limit named). */
    private OutboundPlan guarded(long enterpriseId, OutboundPlan plan) {
        if (plan.refused()) return plan;
        return toll.refusal(enterpriseId, plan.number()).map(why -> OutboundPlan.refused(why, 403)).orElse(plan);
    }

    /** How an outside number is called for the enterprise. */
    public OutboundPlan plan(long enterpriseId, String number) {
        return guarded(enterpriseId, tenant(enterpriseId).map(t -> enterpriseFull(enterpriseId, t)
                        .orElseGet(() -> OutboundPlan.of(t, number, trunk -> hasRoom(enterpriseId, t, trunk))))
                .orElse(OutboundPlan.refused("enterprise disabled", 403)));
    }

    /** How a campaign calls an outside number: through its trunk, or its outbound route (OUT-3). */
    public OutboundPlan planThrough(long enterpriseId, Long trunkId, Long routeId, String number) {
        return guarded(enterpriseId, tenant(enterpriseId).map(t -> enterpriseFull(enterpriseId, t)
                        .orElseGet(() -> OutboundPlan.through(t, trunkId, routeId, number, trunk -> hasRoom(enterpriseId, t, trunk))))
                .orElse(OutboundPlan.refused("enterprise disabled", 403)));
    }

    /** As {@link #plan}, for {@code ownExtension} (null: no extension, no permission check). */
    public OutboundPlan plan(long enterpriseId, String ownExtension, String number) {
        if (ownExtension == null) return plan(enterpriseId, number);
        return guarded(enterpriseId, tenant(enterpriseId).map(t -> enterpriseFull(enterpriseId, t)
                        .orElseGet(() -> OutboundPlan.forExtension(t, ownExtension, number, trunk -> hasRoom(enterpriseId, t, trunk))))
                .orElse(OutboundPlan.refused("enterprise disabled", 403)));
    }

    /** PBX-2: every one of the enterprise's trunk channels in use: a 503 plan. */
    private Optional<OutboundPlan> enterpriseFull(long enterpriseId, RoutingSnapshot.Tenant t) {
        return trunkChannels.enterpriseFull(engine(), enterpriseId, t.maxChannels()).map(f -> OutboundPlan.refused(f.reason(), 503));
    }

    /** PBX-2: the trunk has a channel free (always, without a limit): a quick look, the leg's start decides. */
    private boolean hasRoom(long enterpriseId, RoutingSnapshot.Tenant t, Trunk trunk) {
        return trunkChannels.full(engine(), enterpriseId, t.maxChannels(), trunk).isEmpty();
    }

    /** PBX-2: takes one of the trunk's (and the enterprise's) channels for an inbound leg; why not when all are in use. */
    Optional<String> takeInbound(long enterpriseId, Trunk trunk, String channelId) {
        int max = tenant(enterpriseId).map(RoutingSnapshot.Tenant::maxChannels).orElse(0);
        return trunkChannels.take(engine(), enterpriseId, max, trunk, channelId).map(TrunkChannels.Full::reason);
    }

    /** A trunk leg the engine refused because its channels were full: the leg, its enterprise and why. */
    public record Refusal(String channelId, long enterpriseId, String reason) {}

    private volatile Consumer<Refusal> refusals = r -> { };

    /** Who is told of outbound legs refused for a full trunk (the call router, which logs them on their call). */
    void onRefusal(Consumer<Refusal> listener) {
        this.refusals = listener;
    }

    /**
     * PBX-2, the engine's {@link dev.hotline.engine.call.OutboundPolicy}: a trunk leg takes its channel just before its
     * INVITE, under the channel lock; a leg over the trunk's or the enterprise's limit is refused (503).
     */
    private boolean admitOutbound(Channel leg) {
        if (!(leg.target().orElse(null) instanceof Target.Uri u) || u.account() == null) return true;
        String key = u.account().key();
        for (var en : snapshot().byEnterprise().entrySet()) {
            for (Trunk trunk : en.getValue().trunks().values()) {
                if (!RoutingSnapshot.registrationKey(trunk.id()).equals(key)) continue;
                var full = trunkChannels.take(engine(), en.getKey(), en.getValue().maxChannels(), trunk, leg.id());
                full.ifPresent(f -> refusals.accept(new Refusal(leg.id(), en.getKey(), f.reason())));
                return full.isEmpty();
            }
        }
        return true; // a trunk removed meanwhile: nothing to count it against
    }

    /** The enterprise-wide trunk channel limit (0: none), PBX-2. */
    static int enterpriseMaxChannels(Handle h, long enterpriseId) {
        return EnterpriseSettings.get(h, enterpriseId, MAX_CHANNELS).map(Integer::parseInt).orElse(0);
    }

    static final String MAX_CHANNELS = "routing.maxChannels";

    /** A leg ended: its trunk channel, if it held one, is free again. */
    public void legEnded(String channelId) {
        trunkChannels.ended(channelId);
    }

    /** The enterprise's recording policy and format (REC-1). */
    public Optional<RecordingSettings> recording(long enterpriseId) {
        return tenant(enterpriseId).map(RoutingSnapshot.Tenant::recording);
    }
}
