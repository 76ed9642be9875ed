package dev.hotline.routing;

import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.SipAccount;
import dev.hotline.engine.call.SipAccountDirectory;
import dev.hotline.engine.call.SrtpMode;
import dev.hotline.tenant.Enterprise;
import java.util.Optional;

/**
 * Who may place calls (PBX-1, PBX-2): which enterprise a SIP domain belongs to, the extensions'
 * SIP accounts, and whether an INVITE comes from a trusted trunk or must authenticate.
 */
public final class SipAdmission implements InboundPolicy, SipAccountDirectory {
    private final RoutingData data;
    private final String defaultEnterprise;

    public SipAdmission(RoutingData data, String defaultEnterprise) {
        this.data = data;
        this.defaultEnterprise = defaultEnterprise;
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

    @Override
    public Optional<SipAccount> lookup(String domain, String user) {
        RoutingSnapshot s = data.snapshot();
        Optional<Enterprise> e = enterpriseOfDomain(s, domain);
        if (e.isEmpty()) return Optional.empty();
        String password = s.tenant(e.get().id()).map(t -> t.sipPasswords().get(user)).orElse(null);
        return password == null ? Optional.empty() : Optional.of(new SipAccount(RoutingData.accountKey(e.get().id(), user), password));
    }

    /**
     * An INVITE from an IP trunk's address is trusted, unless it comes from a phone registered at that
     * same address under its From user: then it is an extension calling and must authenticate. (On one
     * machine, or behind one NAT, phones and the carrier share an address.)
     */
    @Override
    public Decision admit(InviteSource source) {
        String ip = source.source().getAddress().getHostAddress();
        boolean fromTrunk = data.snapshot().ipTrunks().stream().anyMatch(t -> t.trunk().accepts(ip));
        if (!fromTrunk) return Decision.AUTHENTICATE;
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
        String ip = source.source().getAddress().getHostAddress();
        SrtpMode mode = data.snapshot().ipTrunks().stream().filter(t -> t.trunk().accepts(ip)).findFirst()
                .map(t -> t.trunk().srtpMode()).orElse(SrtpMode.OPTIONAL);
        if (mode == SrtpMode.OPTIONAL || (mode == SrtpMode.OFF && !"tls".equals(source.transport()))) return mode;
        return admit(source) == Decision.TRUSTED ? mode : SrtpMode.OPTIONAL;
    }
}
