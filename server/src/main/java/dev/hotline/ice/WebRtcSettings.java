package dev.hotline.ice;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.store.EnterpriseSettings;
import org.jdbi.v3.core.Handle;

/**
 * An enterprise's browser media settings (MEDIA-6). {@code opus}: whether browsers (agents' browser phones, the "call
 * us" widget) are answered with Opus when they offer it (on by default); off, they get G.711, which costs no encoding
 * or decoding where the other leg is a G.711 phone (Opus costs ~13 % of a core per browser leg here, docs/media.md).
 * Read at each browser offer: a widget's next call, an agent's next connection (the desks are told to offer again).
 */
public record WebRtcSettings(boolean opus) {
    static final String OPUS = "webrtc.opus";

    public record Input(Boolean opus) {}

    public static WebRtcSettings load(Handle h, long enterpriseId) {
        return EnterpriseSettings.get(h, enterpriseId, OPUS).map(v -> new WebRtcSettings(Boolean.parseBoolean(v))).orElse(new WebRtcSettings(true));
    }

    public static WebRtcSettings validate(Input in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        Validator.of().required("opus", in.opus()).throwIfInvalid();
        return new WebRtcSettings(in.opus());
    }

    public void save(Handle h, long enterpriseId) {
        EnterpriseSettings.put(h, enterpriseId, OPUS, Boolean.toString(opus));
    }
}
