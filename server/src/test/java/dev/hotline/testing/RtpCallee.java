package dev.hotline.testing;

import dev.hotline.engine.codec.G711;
import dev.hotline.engine.testing.RawUa;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The far end of a trunk for outbound calls, in Java: answers every INVITE the server sends it after a delay, says what its
 * script gives (8 kHz PCM as A-law RTP, then silence), hears and keeps what the server plays, and hangs up after a while or
 * waits for the server's BYE. Several calls at once. What SIPp cannot do: speak given audio and record what it hears.
 */
public final class RtpCallee implements AutoCloseable {

    /**
     * How one call goes: answered after {@code answerAfterMs} (ringing meanwhile), {@code say} streamed from the answer,
     * BYE sent {@code hangUpAfterMs} after the answer (0: never, wait for the server's).
     */
    public record Script(int answerAfterMs, short[] say, int hangUpAfterMs) {}

    /** One call received: the number dialled, what was heard (A-law frames decoded), whether it ended and who ended it. */
    public static final class Call {
        public final String number;
        public final String from;
        public final List<RtpCaller.Heard> heard = new CopyOnWriteArrayList<>();
        public volatile boolean answered;
        public volatile boolean ended;
        public volatile String endedBy;
        /** When this end started sending its audio (System.nanoTime()). */
        public volatile long mediaStartedNanos;
        final RawUa.Msg invite;
        final String tag = Long.toHexString(System.nanoTime());
        DatagramSocket rtp;
        volatile InetSocketAddress media;

        Call(String number, String from, RawUa.Msg invite) {
            this.number = number;
            this.from = from;
            this.invite = invite;
        }

        /** The stretches of sound heard, [start, end) in ms of RTP time. */
        public List<long[]> soundSpans() {
            return RtpCaller.spans(List.copyOf(heard), 300);
        }
    }

    private final RawUa ua;
    private final Function<String, Script> scripts;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final List<Call> order = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "rtp-callee");
        t.setDaemon(true);
        return t;
    });
    private final Thread loop;
    private volatile boolean closed;

    private RtpCallee(int engineSipPort, Function<String, Script> scripts) throws Exception {
        this.ua = new RawUa(engineSipPort);
        this.scripts = scripts;
        this.loop = new Thread(this::run, "rtp-callee-sip");
        loop.setDaemon(true);
        loop.start();
    }

    /** A far end for the server whose SIP port is {@code engineSipPort}; {@code scripts} says how the call to each number goes. */
    public static RtpCallee start(int engineSipPort, Function<String, Script> scripts) throws Exception {
        return new RtpCallee(engineSipPort, scripts);
    }

    /** The UDP port to point the trunk at. */
    public int port() {
        return ua.port();
    }

    /** The calls received so far, in order. */
    public List<Call> calls() {
        return List.copyOf(order);
    }

    private void run() {
        while (!closed) {
            RawUa.Msg m;
            try {
                m = ua.await(x -> true, "a message");
            } catch (AssertionError e) {
                continue; // nothing for 10 s
            } catch (Exception e) {
                return; // closed
            }
            try {
                handle(m);
            } catch (Exception e) {
                if (!closed) e.printStackTrace();
            }
        }
    }

    private void handle(RawUa.Msg m) throws Exception {
        String callId = m.header("Call-ID");
        if (m.isRequest("INVITE")) {
            if (calls.containsKey(callId)) return; // a retransmission
            Matcher user = Pattern.compile("^INVITE sip:([^@;>]+)").matcher(m.firstLine());
            String number = user.find() ? user.group(1) : "?";
            Matcher fromUser = Pattern.compile("sip:([^@;>]+)@").matcher(m.header("From"));
            Call c = new Call(number, fromUser.find() ? fromUser.group(1) : "?", m);
            calls.put(callId, c);
            order.add(c);
            Matcher port = Pattern.compile("m=audio (\\d+)").matcher(m.body());
            Matcher host = Pattern.compile("c=IN IP4 (\\S+)").matcher(m.body());
            if (port.find() && host.find()) c.media = new InetSocketAddress(host.group(1), Integer.parseInt(port.group(1)));
            c.rtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ua.respond(m, 180, "Ringing", c.tag, null, null);
            Script s = scripts.apply(number);
            timer.schedule(() -> answer(c, s), s.answerAfterMs(), TimeUnit.MILLISECONDS);
        } else if (m.isRequest("ACK")) {
            Call c = calls.get(callId);
            if (c != null && c.answered && !c.ended) startMedia(c, scripts.apply(c.number));
        } else if (m.isRequest("BYE") || m.isRequest("CANCEL")) {
            Call c = calls.get(callId);
            ua.respond(m, 200, "OK", null, null, null);
            if (c != null && !c.ended) {
                if (m.isRequest("CANCEL")) ua.respond(c.invite, 487, "Request Terminated", c.tag, null, null);
                end(c, "server");
            }
        }
    }

    private void answer(Call c, Script s) {
        if (c.ended || closed) return;
        try {
            c.answered = true;
            ua.respond(c.invite, 200, "OK", c.tag, null, RawUa.sdp(c.rtp.getLocalPort()));
        } catch (Exception e) {
            // closed
        }
    }

    private final Map<Call, Boolean> started = new ConcurrentHashMap<>();

    private void startMedia(Call c, Script s) {
        if (started.putIfAbsent(c, true) != null) return;
        c.mediaStartedNanos = System.nanoTime();
        Thread rx = new Thread(() -> receive(c), "rtp-callee-rx");
        rx.setDaemon(true);
        rx.start();
        short[] say = s.say() == null ? new short[0] : s.say();
        int[] frame = {0};
        int[] seq = {0};
        timer.scheduleAtFixedRate(() -> {
            if (c.ended || c.media == null) return;
            int i = frame[0]++;
            byte[] p = new byte[12 + 160];
            p[0] = (byte) 0x80;
            p[1] = (byte) 8;
            int sq = seq[0]++;
            p[2] = (byte) (sq >> 8);
            p[3] = (byte) sq;
            long ts = i * 160L;
            p[4] = (byte) (ts >> 24);
            p[5] = (byte) (ts >> 16);
            p[6] = (byte) (ts >> 8);
            p[7] = (byte) ts;
            p[11] = 7;
            for (int k = 0; k < 160; k++) {
                int at = i * 160 + k;
                p[12 + k] = G711.linearToAlaw(at < say.length ? say[at] : 0);
            }
            try {
                c.rtp.send(new DatagramPacket(p, p.length, c.media));
            } catch (Exception e) {
                // ended
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        if (s.hangUpAfterMs() > 0) timer.schedule(() -> bye(c), s.hangUpAfterMs(), TimeUnit.MILLISECONDS);
    }

    private void receive(Call c) {
        byte[] buf = new byte[2048];
        while (!c.rtp.isClosed()) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                c.rtp.receive(in);
            } catch (SocketException e) {
                return;
            } catch (java.io.IOException e) {
                continue;
            }
            if (in.getLength() <= 12 || (buf[1] & 0x7f) != 8) continue;
            long ts = ((buf[4] & 0xffL) << 24) | ((buf[5] & 0xffL) << 16) | ((buf[6] & 0xffL) << 8) | (buf[7] & 0xffL);
            short[] pcm = new short[in.getLength() - 12];
            for (int i = 0; i < pcm.length; i++) pcm[i] = G711.alawToLinear(buf[12 + i]);
            c.heard.add(new RtpCaller.Heard(ts, System.nanoTime(), pcm));
        }
    }

    /** Hangs the call up from this end. */
    public void bye(Call c) {
        if (c.ended) return;
        try {
            RawUa.Msg inv = c.invite;
            Matcher contact = Pattern.compile("<([^>]+)>").matcher(inv.header("Contact"));
            String uri = contact.find() ? contact.group(1) : "sip:engine@127.0.0.1";
            ua.send("BYE " + uri + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + ua.port() + ";branch=" + RawUa.branch() + "\r\n"
                    + "From: " + inv.header("To") + ";tag=" + c.tag + "\r\n"
                    + "To: " + inv.header("From") + "\r\n"
                    + "Call-ID: " + inv.header("Call-ID") + "\r\n"
                    + "CSeq: 1 BYE\r\nMax-Forwards: 70\r\n\r\n");
            end(c, "callee");
        } catch (Exception e) {
            // closed
        }
    }

    private void end(Call c, String by) {
        c.endedBy = by;
        c.ended = true;
        timer.schedule(() -> c.rtp.close(), 200, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        for (Call c : order) {
            if (!c.ended) bye(c);
            c.rtp.close();
        }
        timer.shutdownNow();
        ua.close();
    }

    /** The numbers of the calls received (for messages). */
    public List<String> numbers() {
        List<String> out = new ArrayList<>();
        for (Call c : order) out.add(c.number + (c.ended ? " ended by " + c.endedBy : ""));
        return out;
    }
}
