package gov.nist.javax.sip.stack;

import java.io.IOException;
import java.net.InetAddress;

/**
 * Sends bytes as they are on a JAIN-SIP message channel (its socket, so from the port the request came to). JAIN-SIP keeps
 * that method protected; this class sits in its package for that one call. Used by Hotline's raw answers (503 under
 * overload, 505, 400), which would otherwise be parsed back into a message only to be written out again.
 */
public final class RawSend {
    private RawSend() {}

    public static void send(MessageChannel channel, byte[] message, InetAddress to, int port) throws IOException {
        channel.sendMessage(message, to, port, false);
    }
}
