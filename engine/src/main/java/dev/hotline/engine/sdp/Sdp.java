package dev.hotline.engine.sdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import javax.sdp.Attribute;
import javax.sdp.Connection;
import javax.sdp.Media;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;

/**
 * SDP reading (with JAIN-SIP's RFC 4566 parser, then strict checks of what the engine needs) and
 * writing of the engine's own offers and answers.
 */
public final class Sdp {
    /** Upper bound on a session description we accept; real audio offers are well under 4 KiB. */
    public static final int MAX_SDP_BYTES = 16 * 1024;

    private Sdp() {
    }

    public static dev.hotline.engine.sdp.MediaDescription parse(byte[] body)
            throws dev.hotline.engine.sdp.SdpException {
        if (body == null || body.length == 0) {
            throw new dev.hotline.engine.sdp.SdpException("missing SDP body");
        }
        if (body.length > MAX_SDP_BYTES) {
            throw new dev.hotline.engine.sdp.SdpException("SDP too large: " + body.length + " bytes");
        }
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    public static dev.hotline.engine.sdp.MediaDescription parse(String text)
            throws dev.hotline.engine.sdp.SdpException {
        if (text == null || text.isBlank()) {
            throw new dev.hotline.engine.sdp.SdpException("missing SDP body");
        }
        // RFC 4566 §5: the first line must be v=0.
        if (!text.startsWith("v=0")) {
            throw new dev.hotline.engine.sdp.SdpException("SDP must start with v=0");
        }
        SessionDescription sd;
        try {
            sd = SdpFactory.getInstance().createSessionDescription(text);
        } catch (SdpException | RuntimeException e) {
            throw new dev.hotline.engine.sdp.SdpException("unparsable SDP: " + e.getMessage(), e);
        }
        try {
            if (sd.getOrigin() == null) {
                throw new dev.hotline.engine.sdp.SdpException("SDP has no o= line");
            }
            Vector<MediaDescription> medias = sd.getMediaDescriptions(false);
            if (medias == null || medias.isEmpty()) {
                throw new dev.hotline.engine.sdp.SdpException("SDP has no m= line");
            }
            MediaDescription audio = null;
            for (MediaDescription md : medias) {
                if ("audio".equalsIgnoreCase(md.getMedia().getMediaType()) && md.getMedia().getMediaPort() > 0) {
                    audio = md;
                    break;
                }
            }
            if (audio == null) {
                throw new dev.hotline.engine.sdp.SdpException("SDP has no active audio stream");
            }
            Media media = audio.getMedia();
            String proto = media.getProtocol();
            if (proto == null || !proto.toUpperCase().startsWith("RTP/")) {
                throw new dev.hotline.engine.sdp.SdpException("unsupported transport " + proto);
            }
            int port = media.getMediaPort();
            if (port <= 0 || port > 65535) {
                throw new dev.hotline.engine.sdp.SdpException("bad media port " + port);
            }
            Connection c = audio.getConnection() != null ? audio.getConnection() : sd.getConnection();
            if (c == null || c.getAddress() == null || c.getAddress().isBlank()) {
                throw new dev.hotline.engine.sdp.SdpException("SDP has no c= line for audio");
            }
            if (!"IN".equalsIgnoreCase(c.getNetworkType()) || !"IP4".equalsIgnoreCase(c.getAddressType())) {
                throw new dev.hotline.engine.sdp.SdpException("only IN IP4 connections are supported");
            }
            String address = c.getAddress().trim();
            if (!isIpv4Literal(address)) {
                throw new dev.hotline.engine.sdp.SdpException("connection address is not an IPv4 literal: " + address);
            }
            Vector<String> formats = media.getMediaFormats(false);
            if (formats == null || formats.isEmpty()) {
                throw new dev.hotline.engine.sdp.SdpException("m=audio line has no formats");
            }
            Map<Integer, String[]> rtpmap = new HashMap<>();
            MediaDirection direction = directionOf(sd.getAttributes(false), MediaDirection.SENDRECV);
            direction = directionOf(audio.getAttributes(false), direction);
            boolean mux = false;
            int rtcpPort = port + 1;
            int ptime = 20;
            List<SdesCrypto> cryptos = new ArrayList<>();
            Vector<Attribute> attrs = audio.getAttributes(false);
            if (attrs != null) {
                for (Attribute a : attrs) {
                    String name = a.getName();
                    String value = a.getValue();
                    switch (name.toLowerCase()) {
                        case "rtpmap" -> {
                            if (value == null) {
                                throw new dev.hotline.engine.sdp.SdpException("empty a=rtpmap");
                            }
                            String[] sp = SPACES.split(value.trim(), 2);
                            if (sp.length != 2) {
                                throw new dev.hotline.engine.sdp.SdpException("bad a=rtpmap: " + value);
                            }
                            rtpmap.put(parseInt(sp[0], "rtpmap payload type"), sp[1].split("/"));
                        }
                        case "rtcp-mux" -> mux = true;
                        case "rtcp" -> rtcpPort = parseInt(SPACES.split(value.trim())[0], "a=rtcp port");
                        case "ptime" -> ptime = parseInt(value.trim(), "a=ptime");
                        case "crypto" -> SdesCrypto.parse(value).ifPresent(cryptos::add); // RFC 4568 §9.1
                        default -> {
                        }
                    }
                }
            }
            List<PayloadType> payloads = new ArrayList<>();
            for (String f : formats) {
                int pt = parseInt(f, "payload type");
                if (pt < 0 || pt > 127) {
                    throw new dev.hotline.engine.sdp.SdpException("payload type out of range: " + f);
                }
                String[] map = rtpmap.get(pt);
                if (map != null) {
                    int rate = map.length > 1 ? parseInt(map[1], "clock rate") : 8000;
                    payloads.add(new PayloadType(pt, map[0], rate));
                } else if (pt == 0) {
                    payloads.add(PayloadType.PCMU);
                } else if (pt == 8) {
                    payloads.add(PayloadType.PCMA);
                } else if (pt == 9) {
                    payloads.add(PayloadType.G722);
                } else {
                    payloads.add(new PayloadType(pt, "", 0));
                }
            }
            if (rtcpPort <= 0 || rtcpPort > 65535) {
                throw new dev.hotline.engine.sdp.SdpException("bad a=rtcp port " + rtcpPort);
            }
            // RFC 4568 §4: SDES keys belong to RTP/SAVP; on RTP/AVP they are a best-effort offer (RFC 8643 style)
            boolean savp = proto.equalsIgnoreCase("RTP/SAVP");
            return new dev.hotline.engine.sdp.MediaDescription(address, port, mux ? port : rtcpPort, mux,
                    payloads, direction, ptime, savp, cryptos);
        } catch (SdpException e) {
            throw new dev.hotline.engine.sdp.SdpException("bad SDP: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new dev.hotline.engine.sdp.SdpException("bad SDP: " + e, e);
        }
    }

    /**
     * The T.38 stream of an offer or answer that moves the call to fax (T.38 Annex D): an active {@code m=image <port>
     * udptl t38} line and no active audio stream (the audio line, if kept, has port 0). Empty for any other SDP (an
     * audio offer, a declined image stream, something unparsable).
     */
    @SuppressWarnings("unchecked")
    public static java.util.Optional<ImageDescription> t38(byte[] body) {
        if (body == null || body.length == 0 || body.length > MAX_SDP_BYTES) {
            return java.util.Optional.empty();
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (!text.startsWith("v=0")) {
            return java.util.Optional.empty();
        }
        try {
            SessionDescription sd = SdpFactory.getInstance().createSessionDescription(text);
            Vector<MediaDescription> medias = sd.getMediaDescriptions(false);
            if (medias == null) {
                return java.util.Optional.empty();
            }
            MediaDescription image = null;
            for (MediaDescription md : medias) {
                Media m = md.getMedia();
                if ("audio".equalsIgnoreCase(m.getMediaType()) && m.getMediaPort() > 0) {
                    return java.util.Optional.empty();
                }
                Vector<String> formats = m.getMediaFormats(false);
                if (image == null && "image".equalsIgnoreCase(m.getMediaType()) && m.getMediaPort() > 0
                        && m.getMediaPort() <= 65535 && "udptl".equalsIgnoreCase(m.getProtocol())
                        && formats != null && formats.stream().anyMatch(f -> "t38".equalsIgnoreCase(f.trim()))) {
                    image = md;
                }
            }
            if (image == null) {
                return java.util.Optional.empty();
            }
            Connection c = image.getConnection() != null ? image.getConnection() : sd.getConnection();
            if (c == null || c.getAddress() == null || !isIpv4Literal(c.getAddress().trim())) {
                return java.util.Optional.empty();
            }
            List<String> attributes = new ArrayList<>();
            Vector<Attribute> attrs = image.getAttributes(false);
            if (attrs != null) {
                for (Attribute a : attrs) {
                    String value = a.getValue();
                    attributes.add(value == null ? a.getName() : a.getName() + ":" + value.trim());
                }
            }
            return java.util.Optional.of(new ImageDescription(c.getAddress().trim(), image.getMedia().getMediaPort(), attributes));
        } catch (SdpException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** The session-level lines of every description we write (RFC 4566 §5: v, o, s, c, t). */
    private static StringBuilder sessionLines(long sessionId, long version, String address) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("v=0\r\n");
        sb.append("o=hotline ").append(sessionId).append(' ').append(version).append(" IN IP4 ").append(address).append("\r\n");
        sb.append("s=hotline\r\n");
        sb.append("c=IN IP4 ").append(address).append("\r\n");
        sb.append("t=0 0\r\n");
        return sb;
    }

    /**
     * The engine's own T.38 description (RFC 3362 §3, T.38 Annex D.2.3): one {@code m=image} stream on our anchored port
     * in place of the audio one (the same number of m-lines as before, RFC 3264 §8), with the T.38 attributes given.
     */
    public static String writeT38(long sessionId, long version, String address, int port, List<String> attributes) {
        StringBuilder sb = sessionLines(sessionId, version, address);
        sb.append("m=image ").append(port).append(" udptl t38\r\n");
        for (String a : attributes) {
            if (a.indexOf('\r') < 0 && a.indexOf('\n') < 0) {
                sb.append("a=").append(a).append("\r\n");
            }
        }
        return sb.toString();
    }

    private static MediaDirection directionOf(Vector<?> attrs, MediaDirection fallback) throws SdpException {
        if (attrs == null) {
            return fallback;
        }
        for (Object o : attrs) {
            String name = o instanceof Attribute af ? af.getName() : String.valueOf(o);
            if (name == null) {
                continue;
            }
            switch (name.toLowerCase()) {
                case "sendrecv" -> { return MediaDirection.SENDRECV; }
                case "sendonly" -> { return MediaDirection.SENDONLY; }
                case "recvonly" -> { return MediaDirection.RECVONLY; }
                case "inactive" -> { return MediaDirection.INACTIVE; }
                default -> { }
            }
        }
        return fallback;
    }

    private static int parseInt(String s, String what) throws dev.hotline.engine.sdp.SdpException {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new dev.hotline.engine.sdp.SdpException("bad " + what + ": " + s);
        }
    }

    /** Whitespace between an attribute's fields (compiled once: an offer is parsed on every call's signalling path). */
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");

    static boolean isIpv4Literal(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the engine's own session description for one leg: one audio stream on our anchored port.
     * RFC 4566 §5 field order (v, o, s, c, t, m, a).
     */
    public static String write(long sessionId, long version, String address, int port,
                               List<PayloadType> payloads, MediaDirection direction, boolean rtcpMux) {
        return write(sessionId, version, address, port, payloads, direction, rtcpMux, false, null);
    }

    /**
     * As {@link #write(long, long, String, int, List, MediaDirection, boolean)}, with the transport RTP/SAVP when
     * {@code savp} and our SDES key in an a=crypto line when {@code crypto} is not null (RFC 4568 §9.1).
     */
    public static String write(long sessionId, long version, String address, int port, List<PayloadType> payloads,
                               MediaDirection direction, boolean rtcpMux, boolean savp, SdesCrypto crypto) {
        StringBuilder sb = sessionLines(sessionId, version, address);
        sb.append("m=audio ").append(port).append(savp ? " RTP/SAVP" : " RTP/AVP");
        for (PayloadType p : payloads) {
            sb.append(' ').append(p.number());
        }
        sb.append("\r\n");
        for (PayloadType p : payloads) {
            sb.append("a=rtpmap:").append(p.number()).append(' ').append(p.rtpmap()).append("\r\n");
            if (p.isTelephoneEvent()) {
                sb.append("a=fmtp:").append(p.number()).append(" 0-16\r\n");
            } else if (p.isOpus()) {
                sb.append("a=fmtp:").append(p.number()).append(" minptime=10;useinbandfec=1\r\n");
            }
        }
        if (rtcpMux) {
            sb.append("a=rtcp-mux\r\n");
        }
        if (crypto != null) {
            sb.append("a=crypto:").append(crypto.attribute()).append("\r\n");
        }
        sb.append("a=ptime:20\r\n");
        sb.append("a=").append(direction.attribute()).append("\r\n");
        return sb.toString();
    }
}
