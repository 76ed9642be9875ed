package dev.hotline.engine.fax;

import dev.hotline.engine.fax.Ifp.DataPacket;
import dev.hotline.engine.fax.Ifp.DataType;
import dev.hotline.engine.fax.Ifp.Field;
import dev.hotline.engine.fax.Ifp.FieldType;
import dev.hotline.engine.fax.Ifp.Indicator;
import dev.hotline.engine.fax.Ifp.IndicatorPacket;
import dev.hotline.engine.fax.T30Frame.Fcf;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A T.38 fax terminal (ITU-T T.38 §4: an Internet-aware fax device): the T.30 procedure of a calling terminal sending a
 * document or a called terminal receiving one, non-ECM, one-dimensional coding, over IFP packets in UDPTL datagrams.
 * Phase B: DIS from the called side, DCS and TCF (zeros) from the caller, CFR or FTT (a slower modem then); phase C:
 * the T.4 page data at the modem's rate; phase D: MPS or EOP, answered by MCF or RTN (retrain and send the page
 * again); phase E: DCN. A silent or lost far end ends the session with an error by the T.30 timers, never hangs.
 * <p>
 * Threading: everything runs on the terminal's own thread; {@link #datagram} may be called from any thread, and the
 * transport is called from the terminal's thread. The listener hears once, at the end.
 */
public final class FaxTerminal {
    private static final Logger log = LoggerFactory.getLogger(FaxTerminal.class);
    /** T.30 §5.3.6, TCF: zeros for 1.5 s. */
    private static final int TCF_MILLIS = 1500;
    /** Pause between a V.21 response or command and the fast modem's training (T.30 §5.3.2.4: 75 ms ± 20). */
    private static final int GAP_MILLIS = 75;
    /** How long we give the far end's fast modem to train before data follows. */
    private static final int TRAINING_MILLIS = 200;
    /** Page data goes out in chunks this often, at the modem's rate. */
    private static final int CHUNK_MILLIS = 40;
    /** UDPTL redundancy: each datagram carries the previous IFP packets (T.38 §9.1.4.1). */
    private static final int REDUNDANCY = 3;

    /** Where our UDPTL datagrams go. */
    public interface Transport {
        void send(byte[] datagram);
    }

    /** The T.30 phases a terminal moves through; each names where it may go next. */
    enum State {
        // calling terminal (sends the document)
        WAIT_DIS, TRAINING, SEND_PAGE, POST_PAGE, CLOSING,
        // called terminal (receives)
        WAIT_DCS, TCF, WAIT_PAGE, PAGE, WAIT_POST, WAIT_DCN,
        // both
        DONE, FAILED;

        private Set<State> next;

        static {
            WAIT_DIS.next = EnumSet.of(TRAINING);
            TRAINING.next = EnumSet.of(TRAINING, SEND_PAGE);
            SEND_PAGE.next = EnumSet.of(POST_PAGE);
            POST_PAGE.next = EnumSet.of(SEND_PAGE, TRAINING, CLOSING);
            CLOSING.next = EnumSet.of(DONE);
            WAIT_DCS.next = EnumSet.of(TCF);
            TCF.next = EnumSet.of(WAIT_DCS, WAIT_PAGE, TCF);
            WAIT_PAGE.next = EnumSet.of(PAGE, TCF, WAIT_DCS);
            PAGE.next = EnumSet.of(WAIT_POST, TCF);
            WAIT_POST.next = EnumSet.of(WAIT_PAGE, WAIT_DCS, WAIT_DCN);
            WAIT_DCN.next = EnumSet.of(DONE);
            DONE.next = EnumSet.noneOf(State.class);
            FAILED.next = EnumSet.noneOf(State.class);
        }

        boolean ended() {
            return this == DONE || this == FAILED;
        }
    }

    private final boolean calling;
    private final FaxDocument document;
    private final String ident;
    private final Transport transport;
    private final Consumer<FaxResult> listener;
    private final FaxTimers timers;
    private final ScheduledExecutorService thread;
    private final UdptlStream udptl = new UdptlStream(REDUNDANCY);
    private final long startNanos = System.nanoTime();

    private State state;
    private ScheduledFuture<?> timer;
    private int timerGeneration;
    /** A burst of frames or page data being sent; cancelled when the state moves on. */
    private ScheduledFuture<?> sending;
    /** True from a training indicator to the end of its data. */
    private boolean streaming;
    private String remoteId;

    // sender
    private FaxCapabilities far;
    private Modem modem;
    private int page;
    private int tries;
    private int trainings;
    private int pageTries;
    private List<T30Frame> lastCommand;

    // receiver: what is coming in
    private final ByteArrayOutputStream hdlc = new ByteArrayOutputStream();
    private boolean hdlcDamaged;
    private final List<T30Frame> frames = new ArrayList<>();
    private final ByteArrayOutputStream nonEcm = new ByteArrayOutputStream();
    private boolean nonEcmDamaged;
    private FaxCapabilities.Dcs dcs;
    private final List<BufferedImage> received = new ArrayList<>();
    private boolean receivedFine;
    private BufferedImage pendingPage;
    private List<T30Frame> lastResponse;

    private FaxTerminal(boolean calling, FaxDocument document, String ident, Transport transport,
                        Consumer<FaxResult> listener, FaxTimers timers) {
        this.calling = calling;
        this.document = document;
        this.ident = ident == null ? "" : ident;
        this.transport = transport;
        this.listener = listener;
        this.timers = timers;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, calling ? "fax-send" : "fax-receive");
            t.setDaemon(true);
            return t;
        });
    }

    /** A calling terminal that sends {@code document}; {@code ident} is our TSI (a number, up to 20 characters). */
    public static FaxTerminal sender(FaxDocument document, String ident, Transport transport,
                                     Consumer<FaxResult> listener, FaxTimers timers) {
        return new FaxTerminal(true, document, ident, transport, listener, timers);
    }

    /** A called terminal that receives a document; {@code ident} is our CSI. */
    public static FaxTerminal receiver(String ident, Transport transport, Consumer<FaxResult> listener,
                                       FaxTimers timers) {
        return new FaxTerminal(false, null, ident, transport, listener, timers);
    }

    public void start() {
        thread.execute(() -> {
            if (state != null) {
                throw new IllegalStateException("fax terminal started twice");
            }
            if (calling) {
                // T.30 §5.1 phase A: the calling tone, then wait for the called terminal's DIS for T1
                state = State.WAIT_DIS;
                sendIndicator(Indicator.CNG);
                arm(timers.t1(), () -> fail("no fax terminal answered: no DIS within T1"));
            } else {
                // T.30 §5.1 phase A: the answer tone, then DIS (with our CSI) repeated every T4 until DCS or T1
                state = State.WAIT_DCS;
                sendIndicator(Indicator.CED);
                sendDis();
            }
        });
    }

    /** A UDPTL datagram from the far end; any thread. */
    public void datagram(byte[] data, int length) {
        byte[] copy = java.util.Arrays.copyOf(data, length);
        post(() -> receive(copy));
    }

    /** Ends the session now (the call went away); the listener hears the failure unless it ended already. */
    public void cancel(String why) {
        post(() -> fail(why));
    }

    private void post(Runnable r) {
        try {
            thread.execute(r);
        } catch (RejectedExecutionException e) {
            // the session ended and its thread is gone: nothing is left to do
        }
    }

    // ---- state

    /** The one place the state changes: FAILED from any state not ended, else only to a state {@code next} names. */
    private void move(State to) {
        boolean allowed = !state.ended() && (to == State.FAILED || state.next.contains(to));
        if (!allowed) {
            throw new IllegalStateException("fax " + (calling ? "sender" : "receiver") + ": " + state + " -> " + to);
        }
        log.debug("fax {}: {} -> {}", calling ? "sender" : "receiver", state, to);
        state = to;
    }

    private void arm(Duration after, Runnable onExpiry) {
        if (timer != null) {
            timer.cancel(false);
        }
        int generation = ++timerGeneration;
        timer = thread.schedule(() -> {
            if (generation == timerGeneration && !state.ended()) {
                onExpiry.run();
            }
        }, after.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        timerGeneration++;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void fail(String why) {
        if (state == null || state.ended()) {
            return;
        }
        log.info("fax {} failed in {}: {}", calling ? "send" : "receive", state, why);
        if (state != State.WAIT_DIS && state != State.WAIT_DCS) {
            sendFrames(List.of(new T30Frame(true, Fcf.DCN, calling)));
        }
        move(State.FAILED);
        end(FaxResult.failure(calling ? page : received.size(), receivedDocument(), why, remoteId));
    }

    private void succeed() {
        move(State.DONE);
        log.info("fax {} done: {} page(s) in {} ms", calling ? "sent" : "received",
                calling ? page : received.size(), (System.nanoTime() - startNanos) / 1_000_000);
        end(FaxResult.success(calling ? page : received.size(), receivedDocument(), remoteId));
    }

    private void end(FaxResult result) {
        disarm();
        try {
            listener.accept(result);
        } finally {
            // let the last datagrams (DCN, MCF) leave before the thread goes
            thread.schedule(thread::shutdown, 200, TimeUnit.MILLISECONDS);
        }
    }

    private FaxDocument receivedDocument() {
        return calling || received.isEmpty() ? null : new FaxDocument(received, receivedFine);
    }

    // ---- receiving IFP

    private void receive(byte[] datagram) {
        if (state == null || state.ended()) {
            return;
        }
        UdptlStream.Arrival a;
        try {
            a = udptl.unwrap(datagram, datagram.length);
        } catch (FaxProtocolException e) {
            log.debug("fax: bad UDPTL datagram dropped: {}", e.getMessage());
            return;
        }
        if (a.lost() > 0) {
            // T.38 §9.1.4: what redundancy could not bring back damages the frame or page being received
            hdlcDamaged = true;
            nonEcmDamaged = true;
        }
        for (byte[] ifp : a.ifps()) {
            try {
                Ifp.Packet p = Ifp.decode(ifp);
                if (p instanceof IndicatorPacket i) {
                    indicator(i.indicator());
                } else {
                    DataPacket d = (DataPacket) p;
                    for (Field f : d.fields()) {
                        field(d.type(), f);
                        if (state.ended()) {
                            return;
                        }
                    }
                }
            } catch (FaxProtocolException e) {
                log.debug("fax: IFP packet ignored: {}", e.getMessage());
            }
        }
    }

    private void indicator(Indicator i) {
        if (i.ordinal() >= Indicator.V27_2400_TRAINING.ordinal() && expectsNonEcm()) {
            startNonEcm();
        }
    }

    private boolean expectsNonEcm() {
        return state == State.TCF || state == State.WAIT_PAGE;
    }

    private void startNonEcm() {
        if (state == State.WAIT_PAGE) {
            move(State.PAGE);
            arm(timers.t2(), () -> fail("page data stopped: nothing within T2"));
        }
        nonEcm.reset();
        nonEcmDamaged = false;
    }

    private void field(DataType type, Field f) {
        byte[] data = f.data();
        switch (f.type()) {
            case HDLC_DATA -> hdlc.writeBytes(data);
            case HDLC_FCS_OK, HDLC_FCS_OK_SIG_END -> {
                if (hdlc.size() > 0 && !hdlcDamaged) {
                    frame(hdlc.toByteArray());
                }
                hdlc.reset();
                hdlcDamaged = false;
            }
            case HDLC_FCS_BAD, HDLC_FCS_BAD_SIG_END, HDLC_SIG_END -> {
                // T.30 §5.4.2: a bad frame is dropped; the command or response comes again
                hdlc.reset();
                hdlcDamaged = false;
                frames.clear();
            }
            case T4_NON_ECM_DATA, T4_NON_ECM_SIG_END -> {
                if (state == State.WAIT_PAGE) {
                    startNonEcm(); // the training indicator was lost
                }
                if (state == State.TCF || state == State.PAGE) {
                    nonEcm.writeBytes(data);
                    if (state == State.PAGE) {
                        arm(timers.t2(), () -> fail("page data stopped: nothing within T2"));
                    }
                    if (f.type() == FieldType.T4_NON_ECM_SIG_END) {
                        nonEcmEnded();
                    }
                }
            }
        }
    }

    private void frame(byte[] t38) {
        T30Frame f;
        try {
            f = T30Frame.fromT38(t38);
        } catch (FaxProtocolException e) {
            log.debug("fax: frame ignored: {}", e.getMessage());
            frames.clear();
            return;
        }
        frames.add(f);
        if (f.last()) {
            List<T30Frame> group = List.copyOf(frames);
            frames.clear();
            for (T30Frame g : group) {
                if (g.fcf() == Fcf.CSI || g.fcf() == Fcf.TSI) {
                    remoteId = T30Frame.identity(g.info());
                }
            }
            if (f.fcf() == Fcf.DCN && !(state == State.WAIT_DCN || state == State.CLOSING)) {
                String during = state.name();
                move(State.FAILED);
                end(FaxResult.failure(calling ? page : received.size(), receivedDocument(),
                        "the far end disconnected (DCN) in " + during, remoteId));
                return;
            }
            if (calling) {
                senderGot(f);
            } else {
                receiverGot(f);
            }
        }
    }

    // ---- calling terminal

    private void senderGot(T30Frame f) {
        switch (state) {
            case WAIT_DIS -> {
                if (f.fcf() == Fcf.DIS) {
                    try {
                        far = FaxCapabilities.fromDis(f.info());
                    } catch (FaxProtocolException e) {
                        fail("the far end's DIS: " + e.getMessage());
                        return;
                    }
                    if (document.fine() && !far.fine()) {
                        fail("the far end does not receive fine resolution");
                        return;
                    }
                    modem = far.fastest();
                    move(State.TRAINING);
                    tries = 0;
                    train();
                }
            }
            case TRAINING -> {
                if (f.fcf() == Fcf.CFR) {
                    disarm();
                    move(State.SEND_PAGE);
                    sendPage();
                } else if (f.fcf() == Fcf.FTT) {
                    // T.30 §5.3.6, FTT: train again, at a slower rate
                    disarm();
                    Modem slower = modem.fallBack(far);
                    if (slower == null || ++trainings >= 2 * Modem.values().length) {
                        fail("training failed at every rate (FTT)");
                        return;
                    }
                    modem = slower;
                    move(State.TRAINING);
                    tries = 0;
                    train();
                } else if (f.fcf() == Fcf.DIS && !streaming) {
                    // our DCS was lost: the called terminal repeats its DIS (T.30 §5.4.2)
                    train();
                }
            }
            case POST_PAGE -> {
                if (f.fcf() == Fcf.MCF) {
                    disarm();
                    page++;
                    pageTries = 0;
                    if (page < document.pages().size()) {
                        move(State.SEND_PAGE);
                        sendPage();
                    } else {
                        move(State.CLOSING);
                        sendFrames(List.of(new T30Frame(true, Fcf.DCN, true)));
                        succeed();
                    }
                } else if (f.fcf() == Fcf.RTP) {
                    // T.30 §5.3.6: RTP, the page is confirmed but the modem must train again
                    disarm();
                    page++;
                    pageTries = 0;
                    if (page < document.pages().size()) {
                        move(State.TRAINING);
                        tries = 0;
                        train();
                    } else {
                        move(State.CLOSING);
                        sendFrames(List.of(new T30Frame(true, Fcf.DCN, true)));
                        succeed();
                    }
                } else if (f.fcf() == Fcf.RTN) {
                    disarm();
                    if (++pageTries >= timers.tries()) {
                        fail("page " + (page + 1) + " refused " + pageTries + " times (RTN)");
                        return;
                    }
                    move(State.TRAINING);
                    tries = 0;
                    train();
                }
            }
            default -> {
            }
        }
    }

    /** DCS (with our TSI) then TCF; CFR or FTT is awaited for T4, the whole repeated up to the tries. */
    private void train() {
        if (++tries > timers.tries()) {
            fail("no answer to DCS (" + timers.tries() + " tries)");
            return;
        }
        disarm();
        List<T30Frame> dcsFrames = new ArrayList<>();
        if (!ident.isEmpty()) {
            dcsFrames.add(new T30Frame(false, Fcf.TSI, true, T30Frame.identity(ident)));
        }
        dcsFrames.add(new T30Frame(true, Fcf.DCS, true,
                FaxCapabilities.toDcs(modem, document.fine(), far.unlimitedLength())));
        long after = sendFrames(dcsFrames);
        byte[] zeros = new byte[modem.octetsIn(TCF_MILLIS)];
        sendNonEcm(after + GAP_MILLIS, zeros, () -> arm(timers.t4(), this::train));
    }

    private void sendPage() {
        byte[] data = T4.encode(document.pages().get(page));
        sendNonEcm(GAP_MILLIS, data, () -> {
            move(State.POST_PAGE);
            tries = 0;
            boolean more = page + 1 < document.pages().size();
            lastCommand = List.of(new T30Frame(true, more ? Fcf.MPS : Fcf.EOP, true));
            arm(Duration.ofMillis(GAP_MILLIS), this::postPage);
        });
    }

    /** MPS or EOP after the page, repeated every T4 without an answer (T.30 §5.4.2). */
    private void postPage() {
        if (++tries > timers.tries()) {
            fail("no answer after page " + (page + 1) + " (" + timers.tries() + " tries)");
            return;
        }
        sendFrames(lastCommand);
        arm(timers.t4(), this::postPage);
    }

    // ---- called terminal

    private void sendDis() {
        if (Duration.ofNanos(System.nanoTime() - startNanos).compareTo(timers.t1()) > 0) {
            fail("no fax terminal called: no DCS within T1");
            return;
        }
        List<T30Frame> dis = new ArrayList<>();
        if (!ident.isEmpty()) {
            dis.add(new T30Frame(false, Fcf.CSI, false, T30Frame.identity(ident)));
        }
        dis.add(new T30Frame(true, Fcf.DIS, false, FaxCapabilities.HOTLINE.toDis()));
        lastResponse = dis;
        sendFrames(dis);
        arm(timers.t4(), this::sendDis);
    }

    private void receiverGot(T30Frame f) {
        switch (f.fcf()) {
            case DCS -> {
                if (state == State.WAIT_DCS || state == State.TCF || state == State.WAIT_PAGE || state == State.PAGE) {
                    try {
                        dcs = FaxCapabilities.fromDcs(f.info());
                    } catch (FaxProtocolException e) {
                        fail("the caller's DCS: " + e.getMessage());
                        return;
                    }
                    move(State.TCF);
                    nonEcm.reset();
                    nonEcmDamaged = false;
                    arm(timers.t2(), () -> fail("no training (TCF) after DCS within T2"));
                }
            }
            case MPS, EOP -> {
                if (state == State.WAIT_POST) {
                    pageJudged(f.fcf() == Fcf.EOP);
                } else if ((state == State.WAIT_PAGE || state == State.WAIT_DCN) && lastResponse != null) {
                    sendFrames(lastResponse); // our MCF or RTN was lost: the caller repeats (T.30 §5.4.2)
                }
            }
            case DCN -> {
                if (state == State.WAIT_DCN) {
                    succeed();
                }
            }
            default -> {
            }
        }
    }

    private void nonEcmEnded() {
        byte[] data = nonEcm.toByteArray();
        boolean damaged = nonEcmDamaged;
        nonEcm.reset();
        if (state == State.TCF) {
            // T.30 §5.3.6, TCF: the training is good when zeros came through for most of the 1.5 s
            boolean good = !damaged && data.length >= dcs.modem().octetsIn(TCF_MILLIS) * 2 / 3 && allZero(data);
            List<T30Frame> answer = List.of(new T30Frame(true, good ? Fcf.CFR : Fcf.FTT, false));
            lastResponse = answer;
            sendFrames(answer);
            move(good ? State.WAIT_PAGE : State.TCF);
            if (good) {
                arm(timers.t2(), () -> fail("no page after CFR within T2"));
            } else {
                arm(timers.t2(), () -> fail("no new training after FTT within T2"));
            }
        } else if (state == State.PAGE) {
            pendingPage = null;
            if (!damaged) {
                try {
                    pendingPage = T4.decode(data);
                } catch (FaxProtocolException e) {
                    log.info("fax: page {} not readable: {}", received.size() + 1, e.getMessage());
                }
            }
            move(State.WAIT_POST);
            arm(timers.t2(), () -> fail("no MPS or EOP after the page within T2"));
        }
    }

    /** Phase D: MCF when the page came whole, RTN to have it again (T.30 §5.3.6). */
    private void pageJudged(boolean last) {
        boolean good = pendingPage != null;
        if (good) {
            received.add(pendingPage);
            receivedFine = dcs.fine();
            pendingPage = null;
        }
        List<T30Frame> answer = List.of(new T30Frame(true, good ? Fcf.MCF : Fcf.RTN, false));
        lastResponse = answer;
        sendFrames(answer);
        if (!good) {
            move(State.WAIT_DCS);
            arm(timers.t2(), () -> fail("no DCS after RTN within T2"));
        } else if (last) {
            move(State.WAIT_DCN);
            arm(timers.t2(), this::succeed); // T.30 §5.4.3: the DCN may be lost; the pages are confirmed
        } else {
            move(State.WAIT_PAGE);
            arm(timers.t2(), () -> fail("no next page after MPS within T2"));
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return b.length > 0;
    }

    // ---- sending IFP

    private void sendIndicator(Indicator i) {
        send(Ifp.encode(new IndicatorPacket(i)), false);
    }

    /**
     * Sends frames at V.21 (T.38 §7.3): preamble indicator, each frame as hdlc-data then hdlc-fcs-OK, the last one
     * hdlc-fcs-OK-sig-end. Returns about how long V.21 would take (300 bit/s), for what follows.
     */
    private long sendFrames(List<T30Frame> group) {
        sendIndicator(Indicator.V21_PREAMBLE);
        int octets = 0;
        for (int i = 0; i < group.size(); i++) {
            boolean lastFrame = i == group.size() - 1;
            byte[] t38 = group.get(i).toT38();
            octets += t38.length + 2;
            send(Ifp.encode(new DataPacket(DataType.V21, List.of(
                    new Field(FieldType.HDLC_DATA, t38),
                    new Field(lastFrame ? FieldType.HDLC_FCS_OK_SIG_END : FieldType.HDLC_FCS_OK)))), lastFrame);
        }
        // the frames' time at 300 bit/s (V.21 channel 2, T.30 §5.3.1), the preamble not counted
        return octets * 8L * 1000 / 300;
    }

    /** Training indicator, then {@code data} at the modem's rate in chunks, the last one t4-non-ecm-sig-end. */
    private void sendNonEcm(long delayMillis, byte[] data, Runnable then) {
        Modem m = calling ? modem : dcs.modem();
        int chunk = Math.max(1, m.octetsIn(CHUNK_MILLIS));
        int[] offset = {0};
        streaming = true;
        thread.schedule(() -> {
            if (state.ended()) {
                return;
            }
            sendIndicator(m.training);
            sending = thread.scheduleAtFixedRate(() -> {
                if (state.ended()) {
                    sending.cancel(false);
                    return;
                }
                int n = Math.min(chunk, data.length - offset[0]);
                byte[] part = java.util.Arrays.copyOfRange(data, offset[0], offset[0] + n);
                offset[0] += n;
                boolean end = offset[0] >= data.length;
                send(Ifp.encode(new DataPacket(m.dataType,
                        new Field(end ? FieldType.T4_NON_ECM_SIG_END : FieldType.T4_NON_ECM_DATA, part))), end);
                if (end) {
                    sending.cancel(false);
                    streaming = false;
                    sendIndicator(Indicator.NO_SIGNAL);
                    then.run(); // at once: an answer to what we just ended can only come after it on this thread
                }
            }, TRAINING_MILLIS, CHUNK_MILLIS, TimeUnit.MILLISECONDS);
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * One IFP packet in a UDPTL datagram. The datagram that ends a burst goes three times (the same sequence number,
     * so the far end takes it once): no later datagram would carry it as redundancy before the far end answers.
     */
    private void send(byte[] ifp, boolean endOfBurst) {
        byte[] datagram = udptl.wrap(ifp);
        int copies = endOfBurst ? 3 : 1;
        for (int i = 0; i < copies; i++) {
            try {
                transport.send(datagram);
            } catch (RuntimeException e) {
                log.debug("fax: datagram not sent: {}", e.toString());
            }
        }
    }

    /** The state now, for tests. */
    State state() {
        return state;
    }
}
