package dev.hotline.testing;

import static org.awaitility.Awaitility.await;

import dev.hotline.engine.codec.G711;
import dev.hotline.engine.testing.RawUa;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A caller from the trunk (this machine) that keeps what it hears, for checks SIPp cannot make: the
 * audio the server sends to the caller's leg. SIP through {@link RawUa}; media on an RTP socket of its
 * own: A-law silence every 20 ms (so the server's media timeout never fires), RFC 4733 keys on demand,
 * and every received A-law packet decoded and kept with its RTP timestamp, so that lengths are taken
 * from the audio itself (8 samples a millisecond), not from the wall clock of a loaded machine.
 */
public final class RtpCaller implements AutoCloseable {
    /** One received packet: its RTP timestamp (8 kHz units), when it arrived, and its samples. */
    public record Heard(long timestamp, long arrivedNanos, short[] pcm) {
        public double rms() {
            double sum = 0;
            for (short s : pcm) sum += (double) s * s;
            return Math.sqrt(sum / Math.max(1, pcm.length));
        }

        /**
         * The 400 Hz tone of {@link #tone}: loud, and each sample the opposite of the one half a period (10 samples) later
         * (the server's own beep, at 1 kHz, is not: its samples 10 apart are a quarter period apart, uncorrelated).
         */
        public boolean tone() {
            double same = 0;
            double half = 0;
            for (int i = 0; i + 10 < pcm.length; i++) {
                same += (double) pcm[i] * pcm[i];
                half += (double) pcm[i] * pcm[i + 10];
            }
            return rms() > 2000 && half / same < -0.9;
        }
    }

    /** The longest unbroken run of the 400 Hz tone among {@code frames} (20 ms each), in ms; a vowel may pass for a frame or three. */
    public static long toneMs(List<Heard> frames) {
        long best = 0;
        long run = 0;
        for (Heard h : frames) {
            run = h.tone() ? run + 20 : 0;
            best = Math.max(best, run);
        }
        return best;
    }

    /**
     * Waits until sound was heard after packet {@code fromIndex} and then nothing loud for {@code quietMs} (the server
     * sends no packets at all between prompts, so this one wait is on the wall clock); returns the packets heard by then.
     */
    public int awaitSoundThenQuiet(int fromIndex, long quietMs) {
        try {
            return await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(20)).until(() -> {
                List<Heard> all = heard();
                Heard lastSound = null;
                for (Heard h : all.subList(fromIndex, all.size())) if (h.rms() >= SOUND_RMS) lastSound = h;
                if (lastSound == null) return -1;
                return System.nanoTime() - lastSound.arrivedNanos() >= quietMs * 1_000_000 ? all.size() : -1;
            }, n -> n >= 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no sound then " + quietMs + " ms of quiet after packet " + fromIndex + ": " + summary(), e);
        }
    }

    /** Frames as characters, for failure messages: T the tone, s other sound, . quiet; | where RTP time jumps. */
    public static String pattern(List<Heard> frames) {
        StringBuilder b = new StringBuilder();
        long expect = -1;
        for (Heard h : frames) {
            if (expect >= 0 && h.timestamp() != expect) b.append('|');
            b.append(h.tone() ? 'T' : h.rms() >= SOUND_RMS ? 's' : '.');
            expect = (h.timestamp() + h.pcm().length) & 0xffffffffL;
        }
        return b.toString();
    }

    /** What was heard, for failure messages: packets, other packets, the loudest frame, the stretches of sound. */
    public String summary() {
        List<Heard> all = heard();
        StringBuilder b = new StringBuilder(all.size() + " audio packets, " + others + " others, loudest rms "
                + Math.round(all.stream().mapToDouble(Heard::rms).max().orElse(0)) + ", sound at");
        for (long[] x : spans(all, 300)) b.append(' ').append(x[0]).append('-').append(x[1]);
        return b.toString();
    }

    /** Frames with an RMS above this are sound; G.711 idle noise and encoded silence stay far below it. */
    public static final double SOUND_RMS = 300;

    private final RawUa ua;
    private final DatagramSocket rtp;
    private final String callId = "rtpcaller-" + System.nanoTime();
    private final String from;
    private final String dialled;
    private final String fromTag = Long.toHexString(System.nanoTime());
    private final List<Heard> heard = new ArrayList<>();
    private final Deque<byte[]> outbox = new ArrayDeque<>();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rtp-caller-send");
        t.setDaemon(true);
        return t;
    });
    private final Thread receiver;
    private final int ssrc = new Random().nextInt();
    private volatile InetSocketAddress media;
    private volatile int others;
    private String toTag;
    private int seq;
    private long timestamp;
    private final Random impairments = new Random(3550);
    private volatile int dropEvery;
    private volatile int timestampJitter;
    private volatile int dropped;
    private volatile int sent;

    private RtpCaller(int sipPort, String from, String dialled) throws Exception {
        this.ua = new RawUa(sipPort);
        this.rtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.from = from;
        this.dialled = dialled;
        this.receiver = new Thread(this::receive, "rtp-caller-receive");
        receiver.setDaemon(true);
    }

    /** Calls {@code dialled} at the server on {@code sipPort} from {@code from}; returns once answered (ACK sent). */
    public static RtpCaller call(int sipPort, String from, String dialled) throws Exception {
        RtpCaller c = new RtpCaller(sipPort, from, dialled);
        c.invite();
        return c;
    }

    private String headers(String method, int cseq) {
        return "Via: SIP/2.0/UDP 127.0.0.1:" + ua.port() + ";branch=" + RawUa.branch() + "\r\n"
                + "From: <sip:" + from + "@127.0.0.1:" + ua.port() + ">;tag=" + fromTag + "\r\n"
                + "To: <sip:" + dialled + "@127.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:" + from + "@127.0.0.1:" + ua.port() + ">\r\n"
                + "Max-Forwards: 70\r\n";
    }

    private void invite() throws Exception {
        String sdp = "v=0\r\no=c 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + rtp.getLocalPort() + " RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-15\r\na=ptime:20\r\n";
        ua.send("INVITE sip:" + dialled + "@127.0.0.1 SIP/2.0\r\n" + headers("INVITE", 1) + "Content-Type: application/sdp\r\n\r\n" + sdp);
        RawUa.Msg ok = ua.await(m -> m.status() >= 200 && m.header("CSeq").endsWith("INVITE"), "final answer to the INVITE");
        if (ok.status() != 200) throw new AssertionError("call refused: " + ok.firstLine());
        toTag = ok.tag("To");
        Matcher port = Pattern.compile("m=audio (\\d+)").matcher(ok.body());
        Matcher host = Pattern.compile("c=IN IP4 (\\S+)").matcher(ok.body());
        if (!port.find() || !host.find()) throw new AssertionError("no media in " + ok.body());
        media = new InetSocketAddress(host.group(1), Integer.parseInt(port.group(1)));
        ua.send("ACK sip:" + dialled + "@127.0.0.1 SIP/2.0\r\n" + headers("ACK", 1) + "\r\n");
        receiver.start();
        sender.scheduleAtFixedRate(this::sendOne, 0, 20, TimeUnit.MILLISECONDS);
    }

    /**
     * MEDIA-1: from now on every {@code every}-th packet is not sent (its sequence number is skipped: lost on the way) and the
     * silence packets' timestamps are moved by up to {@code jitterUnits} (8 kHz units) at random, as a network's delay
     * variation moves their arrival (RFC 3550 §6.4.1 counts the difference of the two alike). 0 turns either off.
     */
    public void impair(int every, int jitterUnits) {
        dropEvery = every;
        timestampJitter = jitterUnits;
    }

    /** RTP packets taken out of the stream by {@link #impair} so far, and packets sent. */
    public int dropped() {
        return dropped;
    }

    public int sent() {
        return sent;
    }

    /** Every 20 ms: a queued packet (keys, tone), else 20 ms of A-law silence. */
    private void sendOne() {
        try {
            byte[] next;
            synchronized (outbox) {
                next = outbox.poll();
                if (next == null) {
                    int jitter = timestampJitter;
                    next = packet(8, false, timestamp + (jitter > 0 ? impairments.nextInt(jitter) : 0), silentFrame());
                    timestamp += 160;
                }
            }
            int every = dropEvery;
            if (every > 0 && (((next[2] & 0xFF) << 8) | (next[3] & 0xFF)) % every == 0) {
                dropped++;
                return;
            }
            sent++;
            rtp.send(new DatagramPacket(next, next.length, media));
        } catch (Exception e) {
            // the socket closed at the end of the call
        }
    }

    /** One packet sent by {@link #sendOnSchedule}: when it left (System.nanoTime, just before the send) and its RTP timestamp. */
    public record Sent(long sentNanos, long timestamp) {}

    private long slotZeroNanos;
    private long slotZeroTimestamp;
    private boolean scheduled;
    private long nextSlot;

    /**
     * OPS-4: stops the regular 20 ms stream (for good: {@link #keys}, {@link #tone} and {@link #quiet} no longer go out) and
     * sends {@code count} A-law silence packets on a clock of its own: 20 ms slots, a slot's RTP timestamp 160 after the
     * previous slot's, packet {@code i} of this call sent at its slot's time plus {@code deviationNanos(i)} (a delay the network
     * could have caused; negative: early, e.g. {@code -20 ms * i} sends them all at once, a burst after a stall). A later call
     * carries on with the first slot still ahead, so a pause between two calls is a gap in RTP time as long as the pause (a
     * sender's silence suppression) and adds no jitter. Returns when each packet left.
     */
    public List<Sent> sendOnSchedule(int count, java.util.function.IntToLongFunction deviationNanos) throws InterruptedException {
        if (!scheduled) {
            sender.shutdownNow();
            if (!sender.awaitTermination(5, TimeUnit.SECONDS)) throw new AssertionError("the 20 ms sender did not stop");
            scheduled = true;
            slotZeroNanos = System.nanoTime() + 20_000_000L;
            slotZeroTimestamp = timestamp;
        }
        long slot = Math.max(nextSlot, (System.nanoTime() - slotZeroNanos) / 20_000_000L + 2);
        List<Sent> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++, slot++) {
            long due = slotZeroNanos + slot * 20_000_000L + deviationNanos.applyAsLong(i);
            long wait;
            while ((wait = due - System.nanoTime()) > 1_000_000L) java.util.concurrent.locks.LockSupport.parkNanos(wait - 1_000_000L);
            while (System.nanoTime() < due) Thread.onSpinWait(); // the last millisecond spun: parking wakes late on a loaded machine
            long ts = (slotZeroTimestamp + slot * 160) & 0xffffffffL;
            byte[] p = packet(8, false, ts, silentFrame());
            long now = System.nanoTime();
            try {
                rtp.send(new DatagramPacket(p, p.length, media));
            } catch (java.io.IOException e) {
                throw new AssertionError("RTP send failed", e);
            }
            sent++;
            out.add(new Sent(now, ts));
        }
        nextSlot = slot;
        return out;
    }

    private static byte[] silentFrame() {
        byte[] b = new byte[160];
        java.util.Arrays.fill(b, (byte) 0xD5); // A-law zero
        return b;
    }

    private byte[] packet(int payloadType, boolean marker, long ts, byte[] payload) {
        byte[] p = new byte[12 + payload.length];
        p[0] = (byte) 0x80;
        p[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        int s = seq++;
        p[2] = (byte) (s >> 8);
        p[3] = (byte) s;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        p[8] = (byte) (ssrc >> 24);
        p[9] = (byte) (ssrc >> 16);
        p[10] = (byte) (ssrc >> 8);
        p[11] = (byte) ssrc;
        System.arraycopy(payload, 0, p, 12, payload.length);
        return p;
    }

    /**
     * Queues RFC 4733 events for {@code keys}: each key 80 ms long (four packets of a growing duration,
     * then the end three times, as senders repeat it), then 200 ms of silence before the next key.
     */
    public void keys(String keys) {
        synchronized (outbox) {
            for (char k : keys.toCharArray()) {
                int event = k == '*' ? 10 : k == '#' ? 11 : k - '0';
                long start = timestamp;
                for (int i = 1; i <= 4; i++) outbox.add(eventPacket(event, false, i == 1, start, 160 * i));
                for (int i = 0; i < 3; i++) outbox.add(eventPacket(event, true, false, start, 640));
                timestamp = start + 640;
                for (int i = 0; i < 10; i++) {
                    outbox.add(packet(8, false, timestamp, silentFrame()));
                    timestamp += 160;
                }
            }
        }
    }

    /** Packets queued and not sent yet (0: everything queued has gone out). */
    public int queued() {
        synchronized (outbox) {
            return outbox.size();
        }
    }

    /** Queues {@code ms} of silence, after what is queued. */
    public void quiet(int ms) {
        synchronized (outbox) {
            for (int f = 0; f < ms / 20; f++) {
                outbox.add(packet(8, false, timestamp, silentFrame()));
                timestamp += 160;
            }
        }
    }

    /** Queues {@code ms} of a 400 Hz tone at about a quarter of full scale (A-law), after what is queued. */
    public void tone(int ms) {
        synchronized (outbox) {
            for (int f = 0; f < ms / 20; f++) {
                byte[] payload = new byte[160];
                for (int i = 0; i < 160; i++) payload[i] = G711.linearToAlaw((short) (8000 * Math.sin(2 * Math.PI * 400 * (f * 160 + i) / 8000.0)));
                outbox.add(packet(8, false, timestamp, payload));
                timestamp += 160;
            }
        }
    }

    private byte[] eventPacket(int event, boolean end, boolean marker, long ts, int duration) {
        byte[] payload = {(byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
        return packet(101, marker, ts, payload);
    }

    private void receive() {
        byte[] buf = new byte[2048];
        while (!rtp.isClosed()) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                rtp.receive(in);
            } catch (SocketException e) {
                return;
            } catch (java.io.IOException e) {
                continue;
            }
            long now = System.nanoTime();
            if (in.getLength() <= 12 || (buf[1] & 0x7f) != 8) { // A-law audio only
                others++;
                continue;
            }
            long ts = ((buf[4] & 0xffL) << 24) | ((buf[5] & 0xffL) << 16) | ((buf[6] & 0xffL) << 8) | (buf[7] & 0xffL);
            short[] pcm = new short[in.getLength() - 12];
            for (int i = 0; i < pcm.length; i++) pcm[i] = G711.alawToLinear(buf[12 + i]);
            synchronized (heard) {
                heard.add(new Heard(ts, now, pcm));
            }
        }
    }

    /** Everything heard so far, in arrival order. */
    public List<Heard> heard() {
        synchronized (heard) {
            return List.copyOf(heard);
        }
    }

    /** The stretches of sound heard since packet {@code fromIndex}, in milliseconds of audio (RTP time, not wall time). */
    public List<long[]> soundSpans(int fromIndex, long maxGapMs) {
        List<Heard> all = heard();
        return spans(all.subList(fromIndex, all.size()), maxGapMs);
    }

    /**
     * Runs of frames with sound, as [start, end) in ms of RTP time relative to the first packet;
     * runs closer than {@code maxGapMs} (pauses between words) are one.
     */
    public static List<long[]> spans(List<Heard> frames, long maxGapMs) {
        List<long[]> out = new ArrayList<>();
        if (frames.isEmpty()) return out;
        long t0 = frames.get(0).timestamp();
        for (Heard h : frames) {
            if (h.rms() < SOUND_RMS) continue;
            long start = ((h.timestamp() - t0) & 0xffffffffL) / 8;
            long end = start + h.pcm().length / 8;
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && start - last[1] <= maxGapMs) last[1] = Math.max(last[1], end);
            else out.add(new long[] {start, end});
        }
        return out;
    }

    /** Hangs up with BYE and waits for its 200. */
    public void bye() throws Exception {
        ua.send("BYE sip:" + dialled + "@127.0.0.1 SIP/2.0\r\n" + headers("BYE", 2) + "\r\n");
        ua.await(m -> m.status() == 200 && m.header("CSeq").endsWith("BYE"), "200 to BYE");
    }

    /** Waits (10 s at most) for the server's BYE, the call ended from its side, and answers it 200. */
    public void awaitServerBye() throws Exception {
        RawUa.Msg bye = ua.await(m -> m.isRequest("BYE"), "the server's BYE");
        ua.respond(bye, 200, "OK", null, null, null);
    }

    @Override
    public void close() {
        sender.shutdownNow();
        rtp.close();
        ua.close();
    }

    /** 8 kHz 16-bit samples of a WAV (the first channel), e.g. a TTS preview or a voicemail download. */
    public static short[] samples(byte[] wavBytes) throws Exception {
        try (var in = javax.sound.sampled.AudioSystem.getAudioInputStream(new java.io.ByteArrayInputStream(wavBytes))) {
            var pcm16 = javax.sound.sampled.AudioSystem.getAudioInputStream(new javax.sound.sampled.AudioFormat(8000, 16, 1, true, false), in);
            byte[] b = pcm16.readAllBytes();
            short[] out = new short[b.length / 2];
            for (int i = 0; i < out.length; i++) out[i] = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
            return out;
        }
    }

    /** Samples cut in 20 ms frames as a call's RTP would carry them (as this caller keeps what it hears: RTP time). */
    public static List<Heard> frames(short[] pcm) {
        List<Heard> out = new ArrayList<>();
        for (int i = 0; i + 160 <= pcm.length; i += 160) out.add(new Heard(i, 0, java.util.Arrays.copyOfRange(pcm, i, i + 160)));
        return out;
    }
}
