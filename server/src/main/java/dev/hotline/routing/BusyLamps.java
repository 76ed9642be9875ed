package dev.hotline.routing;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.DialogInfo;
import dev.hotline.engine.call.PresencePolicy;
import dev.hotline.engine.call.Registration;
import dev.hotline.engine.call.Target;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PBX-8: the busy lamps of extensions and parking slots (docs/pbx-features.md). Follows every call event to know the
 * dialogs of each extension's phone: the legs dialled to it, whatever placed them (a direct call, a forward, a ring
 * group, an ACD offer, a pickup), and the calls it makes; and is told by {@link PbxFeatures} what each slot holds. Every
 * change goes to the engine's presence service, which notifies the subscribed phones off the call path. As the
 * engine's {@link PresencePolicy} it admits a subscription to an extension or a slot of the subscriber's own
 * enterprise; anything else is 404, as an INVITE to it would be.
 *
 * <p>Resources are keyed {@code "<enterprise>:<extension>"} (the extension's SIP account key) and
 * {@code "<enterprise>:park:<slot>"}.
 */
final class BusyLamps implements PresencePolicy {
    private final RoutingData data;

    /** One dialog of an extension's phone (a channel). */
    private record Lamp(String resource, String channelId, DialogInfo.Role role, String remote, DialogInfo.State state) {
        Lamp in(DialogInfo.State next) {
            return new Lamp(resource, channelId, role, remote, next);
        }

        DialogInfo info() {
            return new DialogInfo(channelId, state, role, remote);
        }
    }

    /** Channel id → its lamp. */
    private final Map<String, Lamp> lamps = new ConcurrentHashMap<>();
    /** Resource → its lamps by channel id (changed under this): a change reads its own resource's, never every lamp. */
    private final Map<String, Map<String, Lamp>> byResource = new ConcurrentHashMap<>();
    /** Slot resource → the dialog its parked call shows (guarded by this). */
    private final Map<String, DialogInfo> slots = new HashMap<>();

    BusyLamps(RoutingData data) {
        this.data = data;
    }

    static String slotResource(long enterpriseId, int slot) {
        return enterpriseId + ":park:" + slot;
    }

    // --- the policy

    @Override
    public Decision watch(String subscriberAccountKey, String domain, String user) {
        String[] key = subscriberAccountKey.split(":", 2);
        long enterpriseId = Long.parseLong(key[0]);
        if (data.isExtension(enterpriseId, user)) {
            String resource = RoutingData.accountKey(enterpriseId, user);
            synchronized (this) {
                return new Decision.Allowed(resource, dialogs(resource));
            }
        }
        if (PbxFeatures.isSlot(user)) {
            String resource = slotResource(enterpriseId, Integer.parseInt(user));
            synchronized (this) {
                DialogInfo now = slots.get(resource);
                return new Decision.Allowed(resource, now == null ? List.of() : List.of(now));
            }
        }
        return new Decision.Refused(404);
    }

    @Override
    public synchronized List<DialogInfo> now(String resource) {
        if (resource.contains(":park:")) {
            DialogInfo parked = slots.get(resource);
            return parked == null ? List.of() : List.of(parked);
        }
        return dialogs(resource);
    }

    // --- extensions

    /** A call an extension's phone makes (it authenticated as {@code accountKey}). */
    void incoming(CallEvent.IncomingCall call) {
        call.accountKey().ifPresent(account -> change(new Lamp(account, call.channel().id(), DialogInfo.Role.INITIATOR,
                call.callee() == null ? null : call.callee().user(), DialogInfo.State.TRYING)));
    }

    /** Every call event (after the call logged it). */
    void onEvent(CallEvent event) {
        String id = event.channelId();
        DialogInfo.State next;
        if (event instanceof CallEvent.ChannelRinging || event instanceof CallEvent.ChannelProgress) {
            next = DialogInfo.State.EARLY;
        } else if (event instanceof CallEvent.ChannelAnswered) {
            next = DialogInfo.State.CONFIRMED;
        } else if (event instanceof CallEvent.ChannelHungUp) {
            next = DialogInfo.State.TERMINATED;
        } else {
            return;
        }
        Lamp lamp = lamps.get(id);
        if (lamp == null && next != DialogInfo.State.TERMINATED) lamp = phoneLeg(id).orElse(null);
        if (lamp == null || lamp.state() == next || lamp.state() == DialogInfo.State.CONFIRMED && next == DialogInfo.State.EARLY) return;
        change(lamp.in(next));
    }

    /** A leg dialled to a registered phone: the lamp of the extension whose account registered it. */
    private Optional<Lamp> phoneLeg(String channelId) {
        Channel ch = data.engine().channel(channelId).orElse(null);
        if (ch == null || !(ch.target().orElse(null) instanceof Target.Registered phone)) return Optional.empty();
        return data.engine().locations().lookup(phone.domain(), phone.user()).stream().map(Registration::accountKey).findFirst()
                .map(account -> new Lamp(account, channelId, DialogInfo.Role.RECIPIENT, ch.caller() == null ? null : ch.caller().user(),
                        DialogInfo.State.TRYING));
    }

    /** Applies a lamp's new state and tells the subscribers; a terminated dialog is shown once, then forgotten. */
    private synchronized void change(Lamp lamp) {
        lamps.put(lamp.channelId(), lamp);
        Map<String, Lamp> ofResource = byResource.computeIfAbsent(lamp.resource(), r -> new ConcurrentHashMap<>());
        ofResource.put(lamp.channelId(), lamp);
        // The list is built only for a lamp a phone watches: a busy extension without one (a trunk's DID target taking
        // hundreds of calls) would otherwise cost a sorted copy of all its dialogs per call event.
        boolean watched = data.engine().presence().watched(lamp.resource());
        List<DialogInfo> now = watched ? dialogs(lamp.resource()) : List.of();
        if (lamp.state() == DialogInfo.State.TERMINATED) {
            lamps.remove(lamp.channelId(), lamp);
            ofResource.remove(lamp.channelId(), lamp);
            if (ofResource.isEmpty()) byResource.remove(lamp.resource(), ofResource);
        }
        if (watched) data.engine().presence().update(lamp.resource(), now);
    }

    private List<DialogInfo> dialogs(String resource) {
        Map<String, Lamp> ofResource = byResource.get(resource);
        if (ofResource == null) return List.of();
        List<DialogInfo> out = new ArrayList<>(ofResource.size());
        for (Lamp l : ofResource.values()) out.add(l.info());
        out.sort(Comparator.comparing(DialogInfo::id));
        return out;
    }

    /**
     * PBX-3: the extension's phone is on a call: one it makes, or one it answered, whatever placed it (a ring group, the
     * ACD, a forward, a pickup).
     */
    boolean busy(long enterpriseId, String extension) {
        Map<String, Lamp> ofResource = byResource.get(RoutingData.accountKey(enterpriseId, extension));
        if (ofResource == null) return false;
        for (Lamp l : ofResource.values()) {
            if (l.state() == DialogInfo.State.CONFIRMED || l.role() == DialogInfo.Role.INITIATOR && l.state().live()) return true;
        }
        return false;
    }

    // --- parking slots

    /** What slot {@code slot} holds now (empty: free); a call leaving it is shown terminated once. */
    synchronized void slot(long enterpriseId, int slot, Optional<PbxFeatures.Parked> parked) {
        String resource = slotResource(enterpriseId, slot);
        DialogInfo before = slots.get(resource);
        DialogInfo now = parked.map(p -> new DialogInfo("park-" + slot + "-" + p.caller().id(), DialogInfo.State.CONFIRMED,
                DialogInfo.Role.RECIPIENT, p.caller().caller() == null ? null : p.caller().caller().user())).orElse(null);
        if (now == null ? before == null : now.equals(before)) return;
        List<DialogInfo> shown = new ArrayList<>();
        if (before != null && (now == null || !now.id().equals(before.id()))) {
            shown.add(new DialogInfo(before.id(), DialogInfo.State.TERMINATED, before.role(), before.remoteUser()));
        }
        if (now != null) {
            shown.add(now);
            slots.put(resource, now);
        } else {
            slots.remove(resource);
        }
        data.engine().presence().update(resource, shown);
    }
}
