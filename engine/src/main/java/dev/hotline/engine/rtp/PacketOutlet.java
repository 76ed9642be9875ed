package dev.hotline.engine.rtp;

import java.nio.ByteBuffer;

/**
 * Where the packets of an endpoint without sockets of its own go (see
 * {@link MediaRelay#virtualEndpoint}): e.g. a browser leg whose RTP is protected with SRTP and sent
 * from its WebRTC connection's port. Called on media threads (reactors, the clock), possibly two at
 * once; must never block. It must not change the buffer's position, limit or content.
 */
@FunctionalInterface
public interface PacketOutlet {
    /** Sends the plain RTP (or RTCP, when {@code rtcp}) packet in {@code packet}; false when dropped. */
    boolean send(ByteBuffer packet, boolean rtcp);
}
