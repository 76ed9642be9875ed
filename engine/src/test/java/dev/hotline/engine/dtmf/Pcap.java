package dev.hotline.engine.dtmf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A tiny libpcap reader for tests: Ethernet/IPv4/UDP records to RTP packets. */
final class Pcap {
    /** One RTP packet from a capture. */
    record Rtp(boolean marker, int payloadType, int seq, int timestamp, long ssrc, byte[] payload) {
    }

    private Pcap() {
    }

    static List<Rtp> readRtp(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xA1B2C3D4) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != 0xA1B2C3D4) {
                throw new IOException("not a pcap file: " + file);
            }
        }
        int linkType = b.getInt(20);
        if (linkType != 1) {
            throw new IOException("only Ethernet captures are supported, link type " + linkType);
        }
        List<Rtp> out = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= b.limit()) {
            int incl = b.getInt(pos + 8);
            int frame = pos + 16;
            pos = frame + incl;
            ByteBuffer p = ByteBuffer.wrap(b.array(), frame, incl).slice().order(ByteOrder.BIG_ENDIAN);
            if ((p.getShort(12) & 0xFFFF) != 0x0800) {
                continue; // not IPv4
            }
            int ip = 14;
            int ihl = (p.get(ip) & 0x0F) * 4;
            if ((p.get(ip + 9) & 0xFF) != 17) {
                continue; // not UDP
            }
            int udp = ip + ihl;
            int udpLen = p.getShort(udp + 4) & 0xFFFF;
            int rtp = udp + 8;
            int rtpLen = udpLen - 8;
            int b0 = p.get(rtp) & 0xFF;
            int b1 = p.get(rtp + 1) & 0xFF;
            int cc = b0 & 0x0F;
            int hdr = 12 + 4 * cc;
            byte[] payload = Arrays.copyOfRange(p.array(), p.arrayOffset() + rtp + hdr, p.arrayOffset() + rtp + rtpLen);
            out.add(new Rtp((b1 & 0x80) != 0, b1 & 0x7F, p.getShort(rtp + 2) & 0xFFFF, p.getInt(rtp + 4),
                    p.getInt(rtp + 8) & 0xFFFFFFFFL, payload));
        }
        return out;
    }
}
