package dev.hotline.routing;

import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.SipAccount;
import dev.hotline.engine.call.SipAccountDirectory;
import dev.hotline.engine.call.SrtpMode;
import dev.hotline.tenant.Enterprise;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may place calls (PBX-1, PBX-2): which enterprise a SIP domain belongs to, the extensions'
 * SIP accounts, and whether an INVITE comes from a trusted trunk or must authenticate.
 */
public final class SipAdmission implements InboundPolicy, SipAccountDirectory {
    private static final Logger log = LoggerFactory.getLogger(SipAdmission.class);
    private final RoutingData data;
    private final String defaultEnterprise;

    /** OPS-3: whether this node serves an enterprise now (always, on a single server); memory only. */
    private volatile java.util.function.LongPredicate serves = e -> true;

    public SipAdmission(RoutingData data, String defaultEnterprise) {
        this.data = data;
        this.defaultEnterprise = defaultEnterprise;
    }

    /**
     * OPS-3 fencing: an INVITE of an enterprise this node does not serve is refused (403) and its phones' digests fail, so
     * that two nodes never serve one enterprise even if a request reaches the wrong one.
     */
    public void servedBy(java.util.function.LongPredicate serves) {
        this.serves = serves;
    }

    /**
     * OPS-3: the enterprise a request is for, as Kamailio asks (docs/adr/0004-nodes-behind-kamailio.md): the enterprise with
     * DID {@code requestUser}, else the one of {@code requestDomain} or {@code fromDomain} (its SIP domain or the default),
     * else the only one with extension {@code fromUser}.
     */
    public Optional<Long> enterpriseOf(String requestUser, String requestDomain, String fromUser, String fromDomain) {
        RoutingSnapshot s = data.snapshot();
        if (requestUser != null && !requestUser.isBlank()) {
            List<Long> byDid = s.tenants().stream().filter(t -> s.tenant(t.id()).map(x -> x.dids().containsKey(requestUser)).orElse(false))
                    .map(Enterprise::id).toList();
            if (byDid.size() == 1) return Optional.of(byDid.get(0));
        }
        for (String domain : new String[] {requestDomain, fromDomain}) {
            Enterprise byDomain = s.enterprisesByDomain().get(domain == null ? "" : domain.toLowerCase());
            if (byDomain != null) return Optional.of(byDomain.id());
        }
        Optional<Enterprise> e = enterpriseOfDomain(s, fromDomain);
        if (e.isEmpty()) e = onlyEnterpriseWith(s, fromDomain, fromUser);
        return e.map(Enterprise::id);
    }

    /**
     * The enterprise of a SIP domain: the one whose {@code sip_domain} it is, otherwise (an IP
     * address or the engine's default domain) the default enterprise: the configured one, or the
     * only enterprise besides {@code system}.
     */
    Optional<Enterprise> enterpriseOfDomain(RoutingSnapshot s, String domain) {
        Enterprise byDomain = s.enterprisesByDomain().get(domain == null ? "" : domain.toLowerCase());
        if (byDomain != null) return Optional.of(byDomain);
        if (!defaultEnterprise.isBlank()) return s.tenants().stream().filter(e -> e.code().equals(defaultEnterprise)).findFirst();
        return s.tenants().size() == 1 ? Optional.of(s.tenants().get(0)) : Optional.empty();
    }

    /**
     * The account of {@code user} in the enterprise of {@code domain}. A phone set up with the server's address as its domain
     * (no enterprise's SIP domain, no default enterprise, several enterprises) is placed by its user: the one enterprise
     * that has that extension. When several have it the phone must name its enterprise's SIP domain: refused (the digest
     * fails), and the log says so once a minute per user and domain.
     */
    @Override
    public Optional<SipAccount> lookup(String domain, String user) {
        RoutingSnapshot s = data.snapshot();
        Optional<Enterprise> e = enterpriseOfDomain(s, domain);
        if (e.isEmpty()) e = onlyEnterpriseWith(s, domain, user);
        if (e.isEmpty() || !serves.test(e.get().id())) return Optional.empty();
        String password = s.tenant(e.get().id()).map(t -> t.sipPasswords().get(user)).orElse(null);
        return password == null ? Optional.empty() : Optional.of(new SipAccount(RoutingData.accountKey(e.get().id(), user), password));
    }

    private Optional<Enterprise> onlyEnterpriseWith(RoutingSnapshot s, String domain, String user) {
        if (user == null) return Optional.empty();
        List<Enterprise> having = s.tenants().stream()
                .filter(t -> s.tenant(t.id()).map(x -> x.sipPasswords().containsKey(user)).orElse(false)).toList();
        if (having.size() == 1) return Optional.of(having.get(0));
        if (having.size() > 1) {
            String key = user + "@" + domain;
            long now = System.nanoTime();
            Long last = ambiguityLogged.get(key);
            if (last == null || now - last > AMBIGUITY_LOG_EVERY.toNanos()) {
                if (ambiguityLogged.size() > 10_000) ambiguityLogged.clear();
                ambiguityLogged.put(key, now);
                log.warn("SIP user {} at domain {}: the domain names no enterprise and {} enterprises have that extension ({}); set the phone's"
                        + " domain to its enterprise's SIP domain, or sip.default.enterprise", user, domain, having.size(),
                        having.stream().map(Enterprise::code).sorted().collect(Collectors.joining(", ")));
            }
        }
        return Optional.empty();
    }

    private static final Duration AMBIGUITY_LOG_EVERY = Duration.ofMinutes(1);
    private final Map<String, Long> ambiguityLogged = new ConcurrentHashMap<>();

    /**
     * An INVITE from an IP trunk's address is trusted, unless it comes from a phone registered at that
     * same address under its From user: then it is an extension calling and must authenticate. (On one
     * machine, or behind one NAT, phones and the carrier share an address.)
     * <p>
     * SEC-4: an INVITE on the very TCP or TLS connection a registering trunk registered over is its carrier's and is
     * trusted as that trunk's (RFC 3261 §26.3.2.1: requests over a connection whose server we authenticated come from
     * it; over TLS its certificate named the trunk's host, RFC 5922 §7.2). An INVITE from anywhere else that claims to
     * be that carrier is not: a registering trunk has no addresses of its own to trust.
     */
    @Override
    public Decision admit(InviteSource source) {
        Optional<RoutingStore.OwnedTrunk> registered = data.snapshot().registeringTrunk(source.trunkRegistration());
        if (registered.isPresent()) return serves.test(registered.get().enterpriseId()) ? Decision.TRUSTED : Decision.REJECT;
        String ip = source.source().getAddress().getHostAddress();
        List<RoutingStore.OwnedTrunk> trunks = data.snapshot().ipTrunks().stream().filter(t -> t.trunk().accepts(ip)).toList();
        if (trunks.isEmpty()) return Decision.AUTHENTICATE;
        // OPS-3: the trunks' enterprises are all served by another node
        if (trunks.stream().noneMatch(t -> serves.test(t.enterpriseId()))) return Decision.REJECT;
        boolean registeredPhone = data.engine().locations().all().stream().anyMatch(r -> r.user().equals(source.fromUser())
                && r.source() != null && r.source().getAddress().getHostAddress().equals(ip));
        return registeredPhone ? Decision.AUTHENTICATE : Decision.TRUSTED;
    }

    /**
     * SEC-4: a trunk's SRTP setting for the INVITEs trusted as its own (RFC 4568), else optional (an extension gets
     * SRTP when it asks for it over TLS, even from a trunk's address). The registrations are only looked through when
     * the answer depends on it: optional is optional either way, and off changes nothing for a UDP or TCP INVITE
     * (SDES keys are only ever taken over TLS) — the common trunk call pays no second scan.
     */
    @Override
    public SrtpMode srtp(InviteSource source) {
        Optional<RoutingStore.OwnedTrunk> registered = data.snapshot().registeringTrunk(source.trunkRegistration());
        if (registered.isPresent()) return registered.get().trunk().srtpMode();
        String ip = source.source().getAddress().getHostAddress();
        SrtpMode mode = data.snapshot().ipTrunks().stream().filter(t -> t.trunk().accepts(ip)).findFirst()
                .map(t -> t.trunk().srtpMode()).orElse(SrtpMode.OPTIONAL);
        if (mode == SrtpMode.OPTIONAL || (mode == SrtpMode.OFF && !"tls".equals(source.transport()))) return mode;
        return admit(source) == Decision.TRUSTED ? mode : SrtpMode.OPTIONAL;
    }
}
