package dev.hotline.masking;

import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import dev.hotline.domain.DomainException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * CRM-5 number masking (docs/masking.md): the one place that says how a viewer sees outside numbers and turns what a
 * masked viewer sends back (an opaque reference) into the number the server dials. Policies are cached per enterprise
 * and replaced when saved.
 */
public final class Masking {
    /** The name of the customer having a number (any of the enterprise's customers), for the {@code name} mode. */
    public interface Names {
        Optional<String> nameOf(long enterpriseId, String number);
    }

    /**
     * A number as a masked viewer was shown it: 3 digits, stars, the last 4 digits (feature codes such as *72 are not),
     * or the placeholder.
     */
    private static final Pattern MASKED = Pattern.compile("\\+?[0-9 ()\\-.]*[0-9]{3}\\*+[0-9]{4}|\\*{4}");

    private final Jdbi jdbi;
    private final Names names;
    private final RefCipher refs;
    private final Map<Long, MaskPolicy> policies = new ConcurrentHashMap<>();

    /**
     * @param refKeyFile the file holding the key that seals number references (made at the first start), so that references
     *                   survive a restart until they expire
     */
    public Masking(Jdbi jdbi, Names names, Path refKeyFile, Clock clock) {
        this.jdbi = jdbi;
        this.names = names;
        this.refs = RefCipher.fromKeyFile(refKeyFile, clock);
    }

    public MaskPolicy policy(long enterpriseId) {
        return policies.computeIfAbsent(enterpriseId, e -> jdbi.withHandle(h -> MaskPolicy.load(h, e)));
    }

    /** Drops the cached policy of the enterprise (after its change is committed). */
    public void forget(long enterpriseId) {
        policies.remove(enterpriseId);
    }

    /**
     * The mask of a user or API token: numbers are masked when the enterprise's policy masks the viewer's role and the
     * viewer does not hold number.unmasked.
     */
    public NumberMask forViewer(Principal p) {
        MaskPolicy policy = policy(p.enterpriseId());
        boolean masked = policy.masksRole(p.role()) && !p.can(Permission.NUMBER_UNMASKED);
        return new NumberMask(p.enterpriseId(), policy, masked, names::nameOf, refs);
    }

    /**
     * The mask of reports sent by e-mail (MSG-2 scheduled reports): numbers masked wherever the policy masks them for any
     * role, since the mail leaves the server and its readers are not users.
     */
    public NumberMask forMail(long enterpriseId) {
        return new NumberMask(enterpriseId, policy(enterpriseId), true, names::nameOf, null);
    }

    /** The mask of the enterprise's webhook deliveries: masked unless the policy lets webhooks see numbers. */
    public NumberMask forWebhooks(long enterpriseId) {
        MaskPolicy policy = policy(enterpriseId);
        return new NumberMask(enterpriseId, policy, !policy.webhooksUnmasked(), names::nameOf, null);
    }

    /**
     * The number to dial or look up for what a viewer sent as {@code field}: a reference (from a {@code <field>Ref} of
     * a masked answer) is opened to the real number; a masked number is refused (400 naming the field), never dialled.
     */
    public String real(long enterpriseId, String value, String field) {
        if (value == null) return null;
        if (value.startsWith(RefCipher.PREFIX)) {
            return refs.open(enterpriseId, value).orElseThrow(() -> DomainException.badRequest("unknown or expired number reference", field,
                    "a reference from this server's answers (a reloaded page gets new ones)"));
        }
        if (MASKED.matcher(value.trim()).matches()) {
            throw DomainException.badRequest("a masked number cannot be dialled", field, "a masked number: send its reference (<field>Ref) instead");
        }
        return value;
    }

    /**
     * {@link #real} for an edit of something that has numbers already ({@code current}, in the order they were shown): a
     * value the viewer sends back unchanged, equal to how {@code mask} shows one of {@code current} (a masked number, or the
     * customer's name in the name mode), keeps that number, which is taken off {@code current} (two phones shown alike
     * keep their own numbers in order); anything else is opened or refused as by {@link #real} (a real number typed in is
     * taken as it is).
     */
    public String realOrKept(NumberMask mask, long enterpriseId, String value, String field, List<String> current) {
        if (value != null && mask.active()) {
            for (Iterator<String> it = current.iterator(); it.hasNext(); ) {
                String c = it.next();
                if (c != null && value.trim().equals(mask.number(c, null))) {
                    it.remove();
                    return c;
                }
            }
        }
        return real(enterpriseId, value, field);
    }
}
