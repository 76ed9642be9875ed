package dev.hotline.engine.webrtc;

import static org.awaitility.Awaitility.await;

import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.codec.G711;
import dev.hotline.engine.testing.RawUa;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SIP phone that speaks A-law only (no telephone-event), called by the engine: it answers, sends 20 ms of silence or
 * of a 1 kHz tone every 20 ms, and keeps the loudest frame it hears and how many packets.
 */
final class G711Phone implements AutoCloseable {
    final Channel channel;
    private final RawUa ua;
    private final DatagramSocket rtp;
    private final InetSocketAddress engineMedia;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "g711-phone-send");
        t.setDaemon(true);
        return t;
    });
    private final Thread receiver;
    private volatile boolean tone;
    private volatile double loudest;
    private volatile int heard;
    private int seq;
    private int ts;
    private double phase;

    private G711Phone(Channel channel, RawUa ua, DatagramSocket rtp, InetSocketAddress engineMedia) {
        this.channel = channel;
        this.ua = ua;
        this.rtp = rtp;
        this.engineMedia = engineMedia;
        this.receiver = new Thread(this::receive, "g711-phone-receive");
        receiver.setDaemon(true);
    }

    static G711Phone answering(TelephonyEngine engine, int engineSipPort) throws Exception {
        RawUa ua = new RawUa(engineSipPort);
        DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Channel ch = engine.originate(DialRequest.to(Target.Uri.udp("phone", "127.0.0.1", ua.port())));
        RawUa.Msg invite = ua.await(m -> m.isRequest("INVITE"), "the engine's INVITE");
        Matcher port = Pattern.compile("m=audio (\\d+)").matcher(invite.body());
        if (!port.find()) {
            throw new AssertionError("no audio in " + invite.body());
        }
        ua.respond(invite, 200, "OK", "phone", null, RawUa.sdp(rtp.getLocalPort()));
        await().atMost(Duration.ofSeconds(10)).until(() -> ch.state() == ChannelState.UP);
        G711Phone phone = new G711Phone(ch, ua, rtp, new InetSocketAddress("127.0.0.1", Integer.parseInt(port.group(1))));
        phone.receiver.start();
        phone.sender.scheduleAtFixedRate(phone::sendOne, 0, 20, TimeUnit.MILLISECONDS);
        return phone;
    }

    void sendTone(boolean on) {
        tone = on;
    }

    double loudestRms() {
        return loudest;
    }

    int packetsHeard() {
        return heard;
    }

    private void sendOne() {
        byte[] p = new byte[172];
        p[0] = (byte) 0x80;
        p[1] = 8;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq++;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        ts += 160;
        p[11] = 0x22;
        for (int i = 0; i < 160; i++) {
            short s = tone ? (short) (8000 * Math.sin(phase)) : 0;
            phase += 2 * Math.PI * 1000 / 8000;
            p[12 + i] = G711.linearToAlaw(s);
        }
        try {
            rtp.send(new DatagramPacket(p, p.length, engineMedia));
        } catch (Exception e) {
            // closed
        }
    }

    private void receive() {
        byte[] buf = new byte[2048];
        while (!rtp.isClosed()) {
            try {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                rtp.receive(in);
                if (in.getLength() <= 12 || (buf[1] & 0x7F) != 8) {
                    continue;
                }
                double sum = 0;
                int n = in.getLength() - 12;
                for (int i = 0; i < n; i++) {
                    double v = G711.alawToLinear(buf[12 + i]);
                    sum += v * v;
                }
                heard++;
                loudest = Math.max(loudest, Math.sqrt(sum / n));
            } catch (Exception e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
        rtp.close();
        ua.close();
    }
}
