package dev.hotline.engine.sip;

import dev.hotline.engine.call.SipBans;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SEC-1: recognises SIP scanners and password guessing and bans them for a while.
 * <ul>
 *   <li>A source address is banned after {@code maxFailures} failed authentications within the window, at once
 *       when its User-Agent names a known scanning tool (SIPVicious' "friendly-scanner" and the like), and after
 *       OPTIONS to more than {@code sweepMaxUsers} different users within the window (an svmap/svwar sweep).
 *       A banned source gets no answer at all.</li>
 *   <li>An account is locked after {@code accountMaxFailures} failed authentications within the window from any
 *       number of addresses (guessing spread over many sources): its requests are refused 403 without a check.</li>
 *   <li>Addresses in {@code trusted} (single addresses or CIDR blocks, e.g. a proxy in front) are never banned.</li>
 * </ul>
 * Bans run out by themselves; {@link #list()} lists them and {@link #lift} ends one early. Every decision is in
 * memory: the media path and the SIP threads never wait on a database for it.
 */
public final class SipShield implements SipBans {
    private static final Logger log = LoggerFactory.getLogger(SipShield.class);

    /** User-Agent fragments of SIP scanning and cracking tools (lower case). */
    static final List<String> SCANNERS = List.of("friendly-scanner", "sipvicious", "sipcli", "sip-scan", "sipscan",
            "sundayddr", "iwar", "vaxsipuseragent", "sivus", "smap", "pplsip", "sipptk", "voipbuster");

    /** The shield's thresholds; zero turns a rule off. */
    public record Settings(int maxFailures, int accountMaxFailures, int sweepMaxUsers, Duration window,
                           Duration banFor, List<String> trusted) {
        public Settings {
            if (maxFailures < 0 || accountMaxFailures < 0 || sweepMaxUsers < 0) {
                throw new IllegalArgumentException("SIP shield thresholds must not be negative");
            }
            trusted = List.copyOf(trusted);
            trusted.forEach(Cidr::parse); // fails on a bad entry at start, not at the first request
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final List<Cidr> trusted;
    private final Map<String, Deque<Long>> addressFailures = new ConcurrentHashMap<>();
    private final Map<String, Deque<Long>> accountFailures = new ConcurrentHashMap<>();
    private final Map<String, Deque<Probe>> probes = new ConcurrentHashMap<>();
    private final Map<String, Ban> bans = new ConcurrentHashMap<>();
    private final Map<String, Deque<Long>> unknownTargets = new ConcurrentHashMap<>();
    private volatile Keeper keeper = Keeper.NONE;

    private record Probe(long at, String user) {
    }

    public SipShield(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.trusted = settings.trusted().stream().map(Cidr::parse).toList();
    }

    /** A banned source gets no answer at all. */
    public boolean isBanned(String ip) {
        return active(Kind.ADDRESS, ip);
    }

    /** A locked account is refused without checking its password. */
    public boolean isLocked(String account) {
        return active(Kind.ACCOUNT, account.toLowerCase(Locale.ROOT));
    }

    private boolean active(Kind kind, String key) {
        if (bans.isEmpty()) {
            return false;
        }
        Ban b = bans.get(kind + ":" + key);
        if (b == null) {
            return false;
        }
        if (b.until().isAfter(clock.instant())) {
            return true;
        }
        bans.remove(kind + ":" + key, b);
        return false;
    }

    /**
     * Looks at an out-of-dialog request before it is handled. Returns the reason when it bans its source now (the
     * request is then dropped): a scanner's User-Agent, or an OPTIONS sweep over many users.
     */
    public Optional<String> inspect(String ip, String method, String userAgent, String targetUser) {
        if (userAgent != null && !userAgent.isEmpty()) {
            String ua = userAgent.toLowerCase(Locale.ROOT);
            for (String s : SCANNERS) {
                if (ua.contains(s)) {
                    return ban(Kind.ADDRESS, ip, "scanner User-Agent \"" + userAgent + "\"");
                }
            }
        }
        if (settings.sweepMaxUsers() > 0 && "OPTIONS".equals(method)) {
            long now = clock.millis();
            Deque<Probe> q = probes.computeIfAbsent(ip, k -> new ArrayDeque<>());
            int users;
            synchronized (q) {
                q.addLast(new Probe(now, targetUser == null ? "" : targetUser));
                while (!q.isEmpty() && q.peekFirst().at() < now - settings.window().toMillis()) {
                    q.removeFirst();
                }
                Set<String> distinct = new HashSet<>();
                q.forEach(p -> distinct.add(p.user()));
                users = distinct.size();
                if (users > settings.sweepMaxUsers()) {
                    q.clear();
                }
            }
            if (users > settings.sweepMaxUsers()) {
                return ban(Kind.ADDRESS, ip, "OPTIONS to " + users + " users within " + settings.window().toSeconds() + " s");
            }
        }
        return Optional.empty();
    }

    /**
     * Records an out-of-dialog request from {@code ip} naming {@code user}, who is no account here (a REGISTER
     * without credentials; OPTIONS are the sweep rule's): {@code sweepMaxUsers} of them within the window ban the address
     * (extension enumeration). The request is answered as one for an existing user would be; returns the ban it starts.
     */
    public Optional<String> recordUnknownUser(String ip, String method, String user) {
        if (settings.sweepMaxUsers() <= 0 || !count(unknownTargets, ip, settings.sweepMaxUsers())) {
            return Optional.empty();
        }
        return ban(Kind.ADDRESS, ip, settings.sweepMaxUsers() + " requests to unknown users within "
                + settings.window().toSeconds() + " s (last: " + method + " " + user + ")");
    }

    /** Records a failed authentication of {@code account} from {@code ip}; returns the ban it starts, if any. */
    public Optional<String> recordFailure(String ip, String account) {
        Optional<String> byAddress = count(addressFailures, ip, settings.maxFailures())
                ? ban(Kind.ADDRESS, ip, settings.maxFailures() + " failed authentications") : Optional.empty();
        String key = account == null ? null : account.toLowerCase(Locale.ROOT);
        Optional<String> byAccount = key != null && count(accountFailures, key, settings.accountMaxFailures())
                ? ban(Kind.ACCOUNT, key, settings.accountMaxFailures() + " failed authentications from any address")
                : Optional.empty();
        return byAddress.or(() -> byAccount);
    }

    private boolean count(Map<String, Deque<Long>> failures, String key, int max) {
        if (max <= 0) {
            return false;
        }
        long now = clock.millis();
        Deque<Long> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(now);
            while (!q.isEmpty() && q.peekFirst() < now - settings.window().toMillis()) {
                q.removeFirst();
            }
            if (q.size() >= max) {
                q.clear();
                return true;
            }
        }
        return false;
    }

    private Optional<String> ban(Kind kind, String key, String reason) {
        if (kind == Kind.ADDRESS && isTrusted(key)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Ban b = new Ban(kind, key, reason.length() > 250 ? reason.substring(0, 250) : reason, now, now.plus(settings.banFor()));
        bans.put(kind + ":" + key, b);
        keeper.banned(b);
        log.warn("SIP {} {} banned for {}: {}", kind.name().toLowerCase(Locale.ROOT), key, settings.banFor(), reason);
        return Optional.of(reason);
    }

    boolean isTrusted(String ip) {
        if (trusted.isEmpty()) {
            return false;
        }
        try {
            byte[] a = InetAddress.getByName(ip).getAddress();
            return trusted.stream().anyMatch(c -> c.contains(a));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public List<Ban> list() {
        Instant now = clock.instant();
        List<Ban> out = new ArrayList<>();
        bans.values().stream().filter(b -> b.until().isAfter(now)).forEach(out::add);
        out.sort(Comparator.comparing(Ban::since).reversed());
        return out;
    }

    @Override
    public void keepIn(Keeper keeper, Collection<Ban> kept) {
        Instant now = clock.instant();
        for (Ban b : kept) {
            if (b.until().isAfter(now) && !(b.kind() == Kind.ADDRESS && isTrusted(b.key()))) {
                bans.put(b.kind() + ":" + b.key(), b);
            }
        }
        this.keeper = keeper;
        if (!kept.isEmpty()) {
            log.info("{} SIP ban(s) in force restored", bans.size());
        }
    }

    @Override
    public boolean lift(Kind kind, String key) {
        String k = kind == Kind.ACCOUNT ? key.toLowerCase(Locale.ROOT) : key;
        boolean had = bans.remove(kind + ":" + k) != null;
        if (had) {
            keeper.lifted(kind, k);
            log.info("SIP {} {} unbanned by hand", kind.name().toLowerCase(Locale.ROOT), k);
        }
        return had;
    }

    /** Drops old state; called by the engine's sweeper. */
    public void purge() {
        Instant now = clock.instant();
        long oldest = now.toEpochMilli() - settings.window().toMillis();
        bans.values().removeIf(b -> {
            if (b.until().isAfter(now)) {
                return false;
            }
            keeper.lifted(b.kind(), b.key());
            return true;
        });
        for (Map<String, Deque<Long>> m : List.of(addressFailures, accountFailures, unknownTargets)) {
            m.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    return e.getValue().isEmpty() || e.getValue().peekLast() < oldest;
                }
            });
        }
        probes.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().isEmpty() || e.getValue().peekLast().at() < oldest;
            }
        });
    }

    /** An address block: {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one address. */
    record Cidr(byte[] network, int bits) {
        static Cidr parse(String s) {
            String t = s.trim();
            int slash = t.indexOf('/');
            String address = slash < 0 ? t : t.substring(0, slash);
            if (!address.matches("[0-9A-Fa-f:.]+")) { // a literal only: no name lookup
                throw new IllegalArgumentException("bad trusted address " + s + ": use an IP address or a CIDR block");
            }
            try {
                byte[] net = InetAddress.getByName(address).getAddress();
                int bits = slash < 0 ? net.length * 8 : Integer.parseInt(t.substring(slash + 1));
                if (bits < 0 || bits > net.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in trusted address " + s);
                }
                return new Cidr(net, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("bad trusted address " + s + ": use an IP address or a CIDR block", e);
            }
        }

        boolean contains(byte[] a) {
            if (a.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
