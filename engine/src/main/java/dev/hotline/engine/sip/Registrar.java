package dev.hotline.engine.sip;

import dev.hotline.engine.call.LocationService;
import dev.hotline.engine.call.Registration;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The location service behind the registrar (RFC 3261 §10.3): bindings per address-of-record, each keyed by its Contact,
 * or, for an RFC 5626 flow, by the instance and reg-id it was registered with (§6: a second flow of the same instance has
 * another reg-id and is a binding of its own; the same instance and reg-id over a new connection replaces the old flow).
 */
public final class Registrar implements LocationService {
    private final Clock clock;
    private final Map<String, List<Binding>> bindings = new HashMap<>();

    /**
     * One contact to add, refresh (expires > 0) or remove (expires == 0); {@code natAddress}: where to reach it instead
     * (a phone behind a NAT, or an RFC 5626 UDP flow, {@link Registration#natAddress()}), or null; {@code instanceId} and
     * {@code regId}: the flow it is bound to (RFC 5626 §6), or null and 0 for a binding keyed by its Contact.
     */
    public record ContactUpdate(String contact, int expires, InetSocketAddress natAddress, String instanceId, int regId) {
        public ContactUpdate(String contact, int expires, InetSocketAddress natAddress) {
            this(contact, expires, natAddress, null, 0);
        }

        public ContactUpdate(String contact, int expires) {
            this(contact, expires, null);
        }

        boolean outbound() {
            return regId > 0;
        }

        /** The binding this update refreshes or removes: the same flow (RFC 5626 §6), else the same Contact (RFC 3261 §10.3). */
        boolean matches(Registration r) {
            if (outbound()) {
                return r.outbound() && r.regId() == regId && r.instanceId().equals(instanceId);
            }
            return !r.outbound() && r.contact().equals(contact);
        }
    }

    private record Binding(Registration registration, String callId, long cseq) {
    }

    public Registrar(Clock clock) {
        this.clock = clock;
    }

    static String key(String domain, String user) {
        return user + "@" + domain.toLowerCase(Locale.ROOT);
    }

    /**
     * Applies a REGISTER's contacts (RFC 3261 §10.3 steps 6–8) and returns the live bindings after it.
     * A request with a lower or equal CSeq for the same Call-ID and contact is ignored (step 7).
     */
    public synchronized List<Registration> apply(String accountKey, String domain, String user, List<ContactUpdate> updates,
                                                 String callId, long cseq, InetSocketAddress source, String transport,
                                                 String userAgent) {
        String k = key(domain, user);
        List<Binding> list = bindings.computeIfAbsent(k, x -> new ArrayList<>());
        Instant now = clock.instant();
        list.removeIf(b -> !b.registration().expiresAt().isAfter(now));
        for (ContactUpdate u : updates) {
            Binding existing = null;
            for (Binding b : list) {
                if (u.matches(b.registration())) {
                    existing = b;
                }
            }
            if (existing != null && existing.callId().equals(callId) && cseq <= existing.cseq()) {
                continue;
            }
            if (existing != null) {
                list.remove(existing); // RFC 5626 §6: a new flow of the same instance and reg-id replaces the old one
            }
            if (u.expires() > 0) {
                list.add(new Binding(new Registration(accountKey, domain, user, u.contact(), source, transport,
                        now.plusSeconds(u.expires()), userAgent, u.natAddress(), u.instanceId(), u.regId()), callId, cseq));
            }
        }
        if (list.isEmpty()) {
            bindings.remove(k);
        }
        return live(list, now);
    }

    /** Contact: * with Expires: 0 (RFC 3261 §10.3 step 6). */
    public synchronized void removeAll(String domain, String user) {
        bindings.remove(key(domain, user));
    }

    @Override
    public synchronized List<Registration> lookup(String domain, String user) {
        List<Binding> list = bindings.get(key(domain, user));
        return list == null ? List.of() : live(list, clock.instant());
    }

    @Override
    public synchronized List<Registration> all() {
        Instant now = clock.instant();
        List<Registration> out = new ArrayList<>();
        for (List<Binding> l : bindings.values()) {
            out.addAll(live(l, now));
        }
        return out;
    }

    public synchronized void purgeExpired() {
        Instant now = clock.instant();
        bindings.values().forEach(l -> l.removeIf(b -> !b.registration().expiresAt().isAfter(now)));
        bindings.values().removeIf(List::isEmpty);
    }

    private static List<Registration> live(List<Binding> list, Instant now) {
        List<Registration> out = new ArrayList<>(list.size());
        for (Binding b : list) {
            if (b.registration().expiresAt().isAfter(now)) {
                out.add(b.registration());
            }
        }
        // Most recently registered (largest expiry) first.
        out.sort(Comparator.comparing(Registration::expiresAt).reversed());
        return out;
    }
}
