package dev.hotline.routing;

import dev.hotline.engine.call.Registration;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.call.TrunkRegistrationStatus;
import dev.hotline.ivr.Flow;
import dev.hotline.recording.RecordingSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
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
        return guarded(enterpriseId, tenant(enterpriseId).map(t -> OutboundPlan.of(t, number, this::hasRoom))
                .orElse(OutboundPlan.refused("enterprise disabled", 403)));
    }

    /** How a campaign calls an outside number: through its trunk, or its outbound route (OUT-3). */
    public OutboundPlan planThrough(long enterpriseId, Long trunkId, Long routeId, String number) {
        return guarded(enterpriseId, tenant(enterpriseId).map(t -> OutboundPlan.through(t, trunkId, routeId, number, this::hasRoom))
                .orElse(OutboundPlan.refused("enterprise disabled", 403)));
    }

    /** As {@link #plan}, for {@code ownExtension} (null: no extension, no permission check). */
    public OutboundPlan plan(long enterpriseId, String ownExtension, String number) {
        if (ownExtension == null) return plan(enterpriseId, number);
        return guarded(enterpriseId, tenant(enterpriseId).map(t -> OutboundPlan.forExtension(t, ownExtension, number, this::hasRoom))
                .orElse(OutboundPlan.refused("enterprise disabled", 403)));
    }

    /** PBX-2: the trunk has a channel free (always, without a limit). */
    boolean hasRoom(Trunk trunk) {
        return trunkChannels.hasRoom(engine(), trunk);
    }

    /** PBX-2: takes one of the trunk's channels for an inbound leg; false when all are in use. */
    boolean takeInbound(Trunk trunk, String channelId) {
        return trunkChannels.takeInbound(engine(), trunk, channelId);
    }

    /** A leg ended: its trunk channel, if it held one, is free again. */
    public void legEnded(String channelId) {
        trunkChannels.ended(channelId);
    }

    /** The enterprise's recording policy and format (REC-1). */
    public Optional<RecordingSettings> recording(long enterpriseId) {
        return tenant(enterpriseId).map(RoutingSnapshot.Tenant::recording);
    }
}
