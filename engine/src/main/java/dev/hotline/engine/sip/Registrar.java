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

/** The location service behind the registrar (RFC 3261 §10.3): bindings per address-of-record. */
public final class Registrar implements LocationService {
    private final Clock clock;
    private final Map<String, List<Binding>> bindings = new HashMap<>();

    /**
     * One contact to add, refresh (expires > 0) or remove (expires == 0); {@code natAddress}: where to reach it instead
     * (a phone behind a NAT, {@link Registration#natAddress()}), or null.
     */
    public record ContactUpdate(String contact, int expires, InetSocketAddress natAddress) {
        public ContactUpdate(String contact, int expires) {
            this(contact, expires, null);
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
                if (b.registration().contact().equals(u.contact())) {
                    existing = b;
                }
            }
            if (existing != null && existing.callId().equals(callId) && cseq <= existing.cseq()) {
                continue;
            }
            if (existing != null) {
                list.remove(existing);
            }
            if (u.expires() > 0) {
                list.add(new Binding(new Registration(accountKey, domain, user, u.contact(), source, transport,
                        now.plusSeconds(u.expires()), userAgent, u.natAddress()), callId, cseq));
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
