package dev.hotline.engine.sip;

import dev.hotline.engine.call.SrtpMode;
import dev.hotline.engine.rtp.RtpEndpoint;
import dev.hotline.engine.sdp.MediaDescription;
import dev.hotline.engine.sdp.ImageDescription;
import dev.hotline.engine.sdp.MediaDirection;
import dev.hotline.engine.sdp.PayloadType;
import dev.hotline.engine.sdp.Sdp;
import dev.hotline.engine.sdp.SdesCrypto;
import dev.hotline.engine.sdp.SdpException;
import dev.hotline.engine.webrtc.SrtpContext;
import dev.hotline.engine.webrtc.SrtpProfile;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leg's SDP offer/answer (RFC 3264): the remote description, the audio format (G.711, G.722, Opus) and
 * telephone-event payload chosen from it, and our own session description. Used on the leg's call executor.
 */
final class SdpNegotiation {
    private static final Logger log = LoggerFactory.getLogger(SdpNegotiation.class);

    private final String legId;
    private final RtpEndpoint media;
    private final String address;
    private final long sessionId = System.currentTimeMillis() & 0xFFFFFFFL;
    private long version = 1;
    private MediaDescription remote;
    private PayloadType codec;
    private int telephoneEventPt = -1;
    private boolean rtcpMux;
    /** SDES-SRTP (RFC 4568): what this leg may do, our m-line's profile, our key and the party's (null: none). */
    private SrtpMode srtpMode = SrtpMode.OFF;
    private boolean savp;
    private SdesCrypto localCrypto;
    private SdesCrypto remoteCrypto;
    private SrtpContext outContext;
    /** T.38 (MSG-5): the party's image stream while this leg relays UDPTL, and the attributes we announce; else null. */
    private ImageDescription image;
    private List<String> imageAttributes;

    /** {@code remote} is the offer of an inbound INVITE, null for an outbound leg until its answer. */
    SdpNegotiation(String legId, RtpEndpoint media, String advertisedAddress, MediaDescription remote) {
        this.legId = legId;
        this.media = media;
        this.address = advertisedAddress;
        this.remote = remote;
    }

    MediaDescription remote() {
        return remote;
    }

    PayloadType codec() {
        return codec;
    }

    int telephoneEventPt() {
        return telephoneEventPt;
    }

    /** Our SDP for the codec already chosen (RFC 3264 §6), or our T.38 stream while the leg relays fax. */
    String localSdp(MediaDirection dir) {
        if (image != null) {
            return Sdp.writeT38(sessionId, version, address, media.localPort(), imageAttributes);
        }
        List<PayloadType> pts = new ArrayList<>(2);
        pts.add(codec);
        if (telephoneEventPt >= 0) {
            pts.add(new PayloadType(telephoneEventPt, "telephone-event", codec.clockRate()));
        }
        return Sdp.write(sessionId, version, address, media.localPort(), pts, dir, rtcpMux, savp,
                remoteCrypto == null ? null : localCrypto);
    }

    /** True when this leg's media is SRTP (SDES keys exchanged). */
    boolean srtp() {
        return remoteCrypto != null;
    }

    /**
     * An inbound leg takes the party's SDES key {@code theirs} from its offer and answers with a key of its own on
     * the same tag and suite (RFC 4568 §7.1.2), on the offer's profile.
     */
    void acceptSrtp(SdesCrypto theirs) {
        localCrypto = theirs.answer();
        savp = remote.savp();
        srtpMode = SrtpMode.OPTIONAL;
        outContext = context(localCrypto);
        remoteCrypto = theirs;
        media.secure(context(theirs), outContext);
    }

    /**
     * What an outbound leg will offer (before {@link #offerSdp}): with {@code mode} OPTIONAL a best-effort a=crypto on
     * RTP/AVP (a party without SRTP ignores it and answers plain RTP), with REQUIRED RTP/SAVP (RFC 4568 §3.1.4).
     */
    void offerSrtp(SrtpMode mode) {
        srtpMode = mode;
        savp = mode == SrtpMode.REQUIRED;
        localCrypto = mode == SrtpMode.OFF ? null : SdesCrypto.generate(1, SdesCrypto.AES_CM_128_HMAC_SHA1_80);
    }

    private static SrtpContext context(SdesCrypto c) {
        return new SrtpContext(c.is32BitTag() ? SrtpProfile.AES128_CM_HMAC_SHA1_32 : SrtpProfile.AES128_CM_HMAC_SHA1_80,
                c.key(), c.salt());
    }

    /**
     * The SDES answer to our offer (RFC 4568 §7.1.3): the a=crypto on our tag and suite starts SRTP; without one the
     * call is plain RTP, or fails when SRTP is required. False when the answer cannot be taken.
     */
    private boolean takeSrtpAnswer(MediaDescription ans) {
        if (localCrypto == null) {
            return !ans.savp(); // we offered RTP/AVP: an RTP/SAVP answer is no answer to it (RFC 3264 §6)
        }
        SdesCrypto theirs = ans.crypto(localCrypto.tag()).filter(c -> c.suite().equals(localCrypto.suite())).orElse(null);
        if (theirs == null) {
            if (srtpMode == SrtpMode.REQUIRED || ans.savp()) {
                log.info("channel {}: SRTP required but the answer has no usable a=crypto", legId);
                return false;
            }
            savp = false;
            remoteCrypto = null;
            media.secure(null, null);
            return true;
        }
        if (!theirs.equals(remoteCrypto)) {
            if (outContext == null) {
                outContext = context(localCrypto);
            }
            remoteCrypto = theirs;
            media.secure(context(theirs), outContext);
        }
        return true;
    }

    /** Our answer to the remote description: the direction that answers its own (RFC 3264 §6.1). */
    String localAnswer() {
        return localSdp(remote.direction().answer());
    }

    /**
     * The offer we make on an outbound leg: the format of {@code from} (the partner's negotiation, or this one for an
     * originated leg) first, so that a party taking it is relayed without transcoding, then both G.711 laws and G.722.
     */
    String offerSdp(SdpNegotiation from) {
        List<PayloadType> pts = new ArrayList<>();
        PayloadType first = from.codec != null ? from.codec
                : from.remote != null ? from.remote.firstSupported().orElse(PayloadType.PCMU) : PayloadType.PCMU;
        if (first.isPcmu()) {
            pts.add(PayloadType.PCMU);
        } else if (first.isPcma()) {
            pts.add(PayloadType.PCMA);
        } else if (first.isG722()) {
            pts.add(PayloadType.G722);
        } else if (first.isOpus()) {
            pts.add(PayloadType.OPUS);
        }
        for (PayloadType p : List.of(PayloadType.PCMU, PayloadType.PCMA, PayloadType.G722)) {
            if (pts.stream().noneMatch(p::sameFormat)) {
                pts.add(p);
            }
        }
        // An originated leg (no partner) offers telephone-event itself, to hear the party's keys (RFC 4733).
        int offered = from == this ? 101 : from.remote != null ? from.remote.telephoneEvent().map(PayloadType::number).orElse(-1) : -1;
        int te = offered >= 0 && pts.stream().anyMatch(p -> p.number() == offered) ? 101 : offered;
        if (te >= 0) {
            pts.add(new PayloadType(te, "telephone-event", 8000));
        }
        return Sdp.write(sessionId, version, address, media.localPort(), pts, MediaDirection.SENDRECV, false, savp,
                localCrypto);
    }

    /**
     * Picks this (inbound) leg's codec from its remote offer: the format of {@code preferred} when offered (relayed
     * untouched), otherwise the first offered format the engine speaks (transcoded by the relay).
     */
    void chooseCodec(PayloadType preferred) {
        PayloadType pick = null;
        if (preferred != null) {
            pick = remote.find(p -> p.sameFormat(preferred)).orElse(null);
        }
        if (pick == null) {
            pick = remote.firstSupported().orElseThrow();
        }
        codec = pick;
        telephoneEventPt = remote.telephoneEvent(pick).map(PayloadType::number).orElse(-1);
        rtcpMux = remote.rtcpMux();
        media.setCodec(codec, telephoneEventPt);
    }

    /** Takes the remote SDP answer of an outbound leg; false when it is unusable. */
    boolean takeAnswer(byte[] body) {
        try {
            MediaDescription ans = Sdp.parse(body);
            PayloadType pt = ans.firstSupported().orElseThrow(() -> new SdpException("no G.711, G.722 or Opus in answer"));
            if (!takeSrtpAnswer(ans)) {
                return false;
            }
            remote = ans;
            codec = pt;
            telephoneEventPt = ans.telephoneEvent(pt).map(PayloadType::number).orElse(-1);
            media.setCodec(codec, telephoneEventPt);
            media.setRemote(ans.address(), ans.port(), ans.rtcpPort(), ans.rtcpMux());
            return true;
        } catch (SdpException ex) {
            log.info("channel {}: bad SDP answer: {}", legId, ex.getMessage());
            return false;
        }
    }

    /** A re-INVITE's offer (RFC 3264 §8): new address unless on hold, the same codec while offered, a new version. */
    void takeReOffer(MediaDescription offer) {
        remote = offer;
        if (remoteCrypto != null) {
            // RFC 4568 §7.1.4: a new offer may carry a new key; without a=crypto the party fell back to plain RTP
            SdesCrypto theirs = offer.crypto().orElse(null);
            if (theirs == null) {
                remoteCrypto = null;
                savp = false;
                media.secure(null, null);
            } else if (!theirs.equals(remoteCrypto)) {
                remoteCrypto = theirs;
                media.secure(context(theirs), outContext);
            }
        }
        if (!offer.isHold()) {
            media.setRemote(offer.address(), offer.port(), offer.rtcpPort(), offer.rtcpMux());
        }
        PayloadType keep = codec;
        if (offer.find(p -> p.number() == keep.number()).isEmpty()) {
            chooseCodec(keep);
        }
        version++;
    }

    /** True while this leg relays T.38 (UDPTL) instead of audio. */
    boolean t38() {
        return image != null;
    }

    /**
     * The T.38 offer made on this leg for its partner's re-INVITE (T.38 Annex D.2.3): our anchored port and the
     * offerer's T.38 attributes, in a new version of our session (RFC 3264 §8).
     */
    String t38Offer(ImageDescription theirs) {
        version++;
        return Sdp.writeT38(sessionId, version, address, media.localPort(), theirs.attributes());
    }

    /**
     * The leg moves to T.38: UDPTL from and to the party's image stream {@code party} on our anchored port, relayed
     * untouched by the media reactor; {@code ours} are the attributes we announce (the negotiated ones).
     */
    void startT38(ImageDescription party, List<String> ours, boolean answering) {
        if (answering) {
            version++;
        }
        image = party;
        imageAttributes = List.copyOf(ours);
        media.setRemote(party.address(), party.port(), party.port() + 1, false);
        media.udptl(true);
    }

    /** The leg leaves T.38 (back to audio, which the caller negotiates next): RTP on the port again. */
    void stopT38() {
        image = null;
        imageAttributes = null;
        media.udptl(false);
    }

    /** The audio offer that takes this leg back from T.38 to its codec (RFC 3264 §8), a new version. */
    String audioReOffer() {
        version++;
        return offerSdp(this);
    }

    /** A browser leg takes the codec and description of the agent's connection it goes through. */
    void useConnection(BrowserConnection conn) {
        codec = conn.codec;
        telephoneEventPt = conn.telephoneEventPt;
        remote = conn.remote;
        if (media != null) {
            media.setCodec(conn.codec, conn.telephoneEventPt);
        }
    }
}
