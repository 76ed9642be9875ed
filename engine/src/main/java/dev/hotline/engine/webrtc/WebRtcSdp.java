package dev.hotline.engine.webrtc;

import dev.hotline.engine.sdp.PayloadType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a browser's SDP offer (JSEP, as Chromium writes it) and writes our ICE-lite, DTLS-passive
 * answer for its first audio stream. Other m-lines are refused with port 0 (RFC 3264 §6).
 * Line-based on purpose: the JAIN-SIP SDP parser rejects several attributes browsers send.
 */
public final class WebRtcSdp {
    /** Upper bound on an offer; Chromium's audio offers are about 3 KiB. */
    public static final int MAX_OFFER_CHARS = 32 * 1024;

    private WebRtcSdp() {
    }

    /** One m= section of the offer. */
    public record Section(String type, int port, String proto, List<String> formats, String mid) {
    }

    /**
     * What the answer needs from the offer.
     *
     * @param sections         every m= section in order
     * @param audioIndex       index of the audio section we accept
     * @param codec            Opus when offered, else PCMU or PCMA, the first one the browser listed
     * @param telephoneEvent   the telephone-event payload type at the codec's clock rate, -1 when not offered
     * @param telephoneEventFmtp its a=fmtp value ({@code 0-15} when absent)
     * @param bundled          the offer groups the audio mid with a=group:BUNDLE (RFC 8843)
     * @param direction        the offer's direction attribute of the audio section
     */
    public record Offer(List<Section> sections, int audioIndex, String iceUfrag, String icePwd, String fingerprint,
                        String setup, PayloadType codec, int telephoneEvent, String telephoneEventFmtp,
                        boolean bundled, String direction) {
        public Section audio() {
            return sections.get(audioIndex);
        }
    }

    /** Parses a browser's offer, taking Opus when offered; throws {@link IllegalArgumentException} saying what is wrong. */
    public static Offer parseOffer(String sdp) {
        return parseOffer(sdp, true);
    }

    /**
     * Parses a browser's offer: the audio format is Opus when offered and {@code preferOpus}, else the first G.711 law
     * listed; throws {@link IllegalArgumentException} saying what is wrong.
     */
    public static Offer parseOffer(String sdp, boolean preferOpus) {
        if (sdp == null || sdp.isBlank()) {
            throw new IllegalArgumentException("empty SDP offer");
        }
        if (sdp.length() > MAX_OFFER_CHARS) {
            throw new IllegalArgumentException("SDP offer too large: " + sdp.length() + " characters");
        }
        String[] lines = sdp.split("\r?\n");
        if (!lines[0].trim().equals("v=0")) {
            throw new IllegalArgumentException("not an SDP offer: it must start with v=0");
        }
        Map<String, String> session = new HashMap<>();
        List<String> bundleGroup = new ArrayList<>();
        List<Section> sections = new ArrayList<>();
        List<Map<String, List<String>>> sectionAttrs = new ArrayList<>();
        Map<String, List<String>> current = null;
        String[] currentM = null;
        for (String raw : lines) {
            String line = raw.trim();
            if (line.length() < 2 || line.charAt(1) != '=') {
                continue;
            }
            char kind = line.charAt(0);
            String value = line.substring(2);
            if (kind == 'm') {
                if (currentM != null) {
                    sections.add(section(currentM, current));
                }
                currentM = value.trim().split("\\s+");
                if (currentM.length < 3) {
                    throw new IllegalArgumentException("bad m= line: " + line);
                }
                current = new HashMap<>();
                sectionAttrs.add(current);
            } else if (kind == 'a') {
                int colon = value.indexOf(':');
                String name = (colon < 0 ? value : value.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
                String v = colon < 0 ? "" : value.substring(colon + 1).trim();
                if (current == null) {
                    if (name.equals("group") && v.toUpperCase(Locale.ROOT).startsWith("BUNDLE")) {
                        String[] g = v.split("\\s+");
                        for (int i = 1; i < g.length; i++) {
                            bundleGroup.add(g[i]);
                        }
                    }
                    session.putIfAbsent(name, v);
                } else {
                    current.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
                }
            }
        }
        if (currentM != null) {
            sections.add(section(currentM, current));
        }
        int audioIndex = -1;
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            if (s.type().equalsIgnoreCase("audio") && s.port() != 0) {
                audioIndex = i;
                break;
            }
        }
        if (audioIndex < 0) {
            throw new IllegalArgumentException("the offer has no audio m-line (Hotline takes audio only)");
        }
        Section audio = sections.get(audioIndex);
        Map<String, List<String>> a = sectionAttrs.get(audioIndex);
        // RFC 5764 §8: DTLS-SRTP is UDP/TLS/RTP/SAVP or SAVPF; plain RTP/AVP has no keys for us.
        String proto = audio.proto().toUpperCase(Locale.ROOT);
        if (!proto.contains("TLS/RTP/SAVP")) {
            throw new IllegalArgumentException("audio transport " + audio.proto() + " is not DTLS-SRTP (UDP/TLS/RTP/SAVPF)");
        }
        String ufrag = attr(a, session, "ice-ufrag");
        String pwd = attr(a, session, "ice-pwd");
        if (ufrag == null || ufrag.isEmpty() || pwd == null || pwd.isEmpty()) {
            throw new IllegalArgumentException("the offer has no a=ice-ufrag/a=ice-pwd (RFC 8839)");
        }
        String fingerprint = attr(a, session, "fingerprint");
        if (fingerprint == null || !fingerprint.toLowerCase(Locale.ROOT).startsWith("sha-256 ")) {
            throw new IllegalArgumentException("the offer has no a=fingerprint:sha-256 (RFC 8122); got " + fingerprint);
        }
        String setup = attr(a, session, "setup");
        setup = setup == null ? "actpass" : setup.toLowerCase(Locale.ROOT);
        // RFC 5763 §5: we are always the DTLS server (a=setup:passive), so the browser must be able to be the client.
        if (!setup.equals("actpass") && !setup.equals("active")) {
            throw new IllegalArgumentException("a=setup:" + setup + " in the offer: Hotline is DTLS server only (needs actpass or active)");
        }
        // RFC 5761 §5.1.3 / RFC 8843: one port for RTP and RTCP; we do not do separate RTCP.
        if (!a.containsKey("rtcp-mux") && !session.containsKey("rtcp-mux")) {
            throw new IllegalArgumentException("the offer has no a=rtcp-mux (RFC 5761): Hotline needs RTP and RTCP on one port");
        }
        Map<Integer, String> rtpmap = new HashMap<>();
        for (String v : a.getOrDefault("rtpmap", List.of())) {
            String[] sp = v.split("\\s+", 2);
            if (sp.length == 2) {
                try {
                    rtpmap.put(Integer.parseInt(sp[0]), sp[1].toLowerCase(Locale.ROOT));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad a=rtpmap:" + v);
                }
            }
        }
        // Opus first (RFC 7587; every browser has it), else the first G.711 law the browser listed.
        PayloadType codec = null;
        PayloadType g711 = null;
        int te8000 = -1;
        int te48000 = -1;
        for (String f : audio.formats()) {
            int pt;
            try {
                pt = Integer.parseInt(f);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad payload type " + f + " in the audio m-line");
            }
            String map = rtpmap.get(pt);
            boolean pcmu = map != null ? map.equals("pcmu/8000") || map.equals("pcmu/8000/1") : pt == 0;
            boolean pcma = map != null ? map.equals("pcma/8000") || map.equals("pcma/8000/1") : pt == 8;
            if (codec == null && preferOpus && map != null && map.equals("opus/48000/2")) {
                codec = new PayloadType(pt, "opus", 48000);
            } else if (g711 == null && pcmu) {
                g711 = new PayloadType(pt, "PCMU", 8000);
            } else if (g711 == null && pcma) {
                g711 = new PayloadType(pt, "PCMA", 8000);
            } else if (te8000 < 0 && map != null && map.startsWith("telephone-event/8000")) {
                te8000 = pt;
            } else if (te48000 < 0 && map != null && map.startsWith("telephone-event/48000")) {
                te48000 = pt;
            }
        }
        if (codec == null) {
            codec = g711;
        }
        if (codec == null) {
            throw new IllegalArgumentException(preferOpus ? "the offer has neither Opus nor PCMU nor PCMA"
                    : "the offer has neither PCMU nor PCMA (Opus is switched off)");
        }
        // RFC 4733 §2.1: the events count at the audio's clock rate
        int te = codec.isOpus() ? te48000 : te8000;
        String teFmtp = "0-15";
        if (te >= 0) {
            for (String v : a.getOrDefault("fmtp", List.of())) {
                String[] sp = v.split("\\s+", 2);
                if (sp.length == 2 && sp[0].equals(Integer.toString(te))) {
                    teFmtp = sp[1];
                }
            }
        }
        String direction = "sendrecv";
        for (String d : List.of("sendrecv", "sendonly", "recvonly", "inactive")) {
            if (a.containsKey(d)) {
                direction = d;
            }
        }
        boolean bundled = audio.mid() != null && bundleGroup.contains(audio.mid());
        return new Offer(List.copyOf(sections), audioIndex, ufrag, pwd, fingerprint, setup, codec, te, teFmtp, bundled,
                direction);
    }

    private static Section section(String[] m, Map<String, List<String>> attrs) {
        int port;
        try {
            port = Integer.parseInt(m[1].split("/")[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in m=" + String.join(" ", m));
        }
        List<String> formats = new ArrayList<>();
        for (int i = 3; i < m.length; i++) {
            formats.add(m[i]);
        }
        List<String> mid = attrs.get("mid");
        return new Section(m[0], port, m[2], List.copyOf(formats), mid == null ? null : mid.get(0));
    }

    private static String attr(Map<String, List<String>> media, Map<String, String> session, String name) {
        List<String> v = media.get(name);
        if (v != null && !v.isEmpty()) {
            return v.get(0);
        }
        return session.get(name);
    }

    /**
     * Our answer: ICE-lite (RFC 8445 §2.5) with one host candidate, DTLS passive (RFC 5763 §5),
     * rtcp-mux (RFC 5761), the offer's BUNDLE mid (RFC 8843 §7.3), the codec + telephone-event.
     */
    public static String answer(Offer offer, String address, int port, String ufrag, String pwd,
                                String fingerprint, long sessionId) {
        StringBuilder sb = new StringBuilder(1024);
        String nl = "\r\n";
        sb.append("v=0").append(nl);
        sb.append("o=hotline ").append(sessionId).append(" 1 IN IP4 ").append(address).append(nl);
        sb.append("s=-").append(nl);
        sb.append("t=0 0").append(nl);
        Section audio = offer.audio();
        if (offer.bundled()) {
            sb.append("a=group:BUNDLE ").append(audio.mid()).append(nl);
        }
        sb.append("a=ice-lite").append(nl); // RFC 8839 §5.3: a lite agent says so at session level
        sb.append("a=msid-semantic: WMS hotline").append(nl);
        for (int i = 0; i < offer.sections().size(); i++) {
            Section s = offer.sections().get(i);
            if (i != offer.audioIndex()) {
                // RFC 3264 §6: a refused stream keeps its m-line with port 0.
                sb.append("m=").append(s.type()).append(" 0 ").append(s.proto()).append(' ')
                        .append(s.formats().isEmpty() ? "0" : String.join(" ", s.formats())).append(nl);
                sb.append("c=IN IP4 0.0.0.0").append(nl);
                if (s.mid() != null) {
                    sb.append("a=mid:").append(s.mid()).append(nl);
                }
                sb.append("a=inactive").append(nl);
                continue;
            }
            sb.append("m=audio ").append(port).append(' ').append(s.proto()).append(' ').append(offer.codec().number());
            if (offer.telephoneEvent() >= 0) {
                sb.append(' ').append(offer.telephoneEvent());
            }
            sb.append(nl);
            sb.append("c=IN IP4 ").append(address).append(nl);
            sb.append("a=rtcp:").append(port).append(" IN IP4 ").append(address).append(nl);
            sb.append("a=ice-ufrag:").append(ufrag).append(nl);
            sb.append("a=ice-pwd:").append(pwd).append(nl);
            sb.append("a=fingerprint:").append(fingerprint).append(nl);
            sb.append("a=setup:passive").append(nl); // RFC 5763 §5: the answerer that is not active is passive
            if (s.mid() != null) {
                sb.append("a=mid:").append(s.mid()).append(nl);
            }
            sb.append("a=").append(answerDirection(offer.direction())).append(nl);
            sb.append("a=msid:hotline hotline-audio").append(nl);
            sb.append("a=rtcp-mux").append(nl);
            sb.append("a=rtpmap:").append(offer.codec().number()).append(' ').append(offer.codec().rtpmap()).append(nl);
            if (offer.codec().isOpus()) {
                // RFC 7587 §7: mono voice is what we send; in-band FEC is welcome
                sb.append("a=fmtp:").append(offer.codec().number()).append(" minptime=10;useinbandfec=1").append(nl);
            }
            if (offer.telephoneEvent() >= 0) {
                sb.append("a=rtpmap:").append(offer.telephoneEvent()).append(" telephone-event/")
                        .append(offer.codec().clockRate()).append(nl);
                sb.append("a=fmtp:").append(offer.telephoneEvent()).append(' ').append(offer.telephoneEventFmtp()).append(nl);
            }
            sb.append("a=ptime:20").append(nl);
            sb.append("a=candidate:1 1 udp 2130706431 ").append(address).append(' ').append(port)
                    .append(" typ host").append(nl);
            sb.append("a=end-of-candidates").append(nl);
        }
        return sb.toString();
    }

    /** RFC 3264 §6.1: the answer's direction mirrors the offer's. */
    private static String answerDirection(String offered) {
        switch (offered) {
            case "sendonly":
                return "recvonly";
            case "recvonly":
                return "sendonly";
            case "inactive":
                return "inactive";
            default:
                return "sendrecv";
        }
    }
}
