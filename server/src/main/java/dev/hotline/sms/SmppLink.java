package dev.hotline.sms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.InvalidDeliveryReceiptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One enterprise's SMPP 3.4 connection (jsmpp), bound as a transceiver: it submits parts and receives delivery receipts and
 * inbound messages on the same bind. An enquire_link every {@code enquireLink} keeps it up and notices a dead peer; a
 * lost or refused bind is tried again after 1 s, 2 s, 4 s ... up to {@link #MAX_BACKOFF}. Binding runs on the links' own
 * executor, never on a call path.
 */
final class SmppLink {
    private static final Logger log = LoggerFactory.getLogger(SmppLink.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(15);
    static final int TIMEOUT_MILLIS = 10_000;

    /** Where and how to bind; the password in clear only here, on its way to the gateway. */
    record Config(String host, int port, String systemId, String password, String systemType, String sourceAddress) {}

    /** How the link stands: connecting (binding or waiting to), bound, or closed (settings changed or the server stops). */
    enum State { CONNECTING, BOUND, CLOSED }

    /** What the link reports: bound (queued messages may go now), a receipt, an inbound part. */
    interface Listener {
        void bound(long enterpriseId);

        void receipt(long enterpriseId, String gatewayId, boolean delivered, String receipt);

        void inbound(long enterpriseId, String from, String to, SmsText.Part part);
    }

    private final long enterpriseId;
    private final Config config;
    private final ScheduledExecutorService executor;
    private final Listener listener;
    private final Duration enquireLink;
    private SMPPSession session;
    private State state = State.CONNECTING;
    private String lastError;
    private int failures;
    private ScheduledFuture<?> pending;

    SmppLink(long enterpriseId, Config config, ScheduledExecutorService executor, Listener listener, Duration enquireLink) {
        this.enterpriseId = enterpriseId;
        this.config = config;
        this.executor = executor;
        this.listener = listener;
        this.enquireLink = enquireLink;
    }

    Config config() {
        return config;
    }

    synchronized State state() {
        return state;
    }

    synchronized String lastError() {
        return lastError;
    }

    void start() {
        schedule(Duration.ZERO);
    }

    private synchronized void schedule(Duration delay) {
        if (state == State.CLOSED) return;
        state = State.CONNECTING;
        if (pending != null && !pending.isDone()) return;
        pending = executor.schedule(this::bind, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void bind() {
        SMPPSession s = new SMPPSession();
        s.setEnquireLinkTimer((int) enquireLink.toMillis());
        s.setTransactionTimer(TIMEOUT_MILLIS);
        s.setMessageReceiverListener(new Receiver());
        s.addSessionStateListener((newState, oldState, source) -> lost(s, newState));
        try {
            s.connectAndBind(config.host(), config.port(), new BindParameter(BindType.BIND_TRX, config.systemId(), config.password(),
                    config.systemType(), TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), TIMEOUT_MILLIS);
        } catch (IOException | RuntimeException e) {
            s.close();
            Duration wait;
            synchronized (this) {
                if (state == State.CLOSED) return;
                failures++;
                lastError = "bind to " + config.host() + ":" + config.port() + " failed: " + describe(e);
                wait = backoff(failures);
                pending = null;
            }
            log.info("SMPP enterprise {}: {} (again in {} s)", enterpriseId, lastError(), wait.toSeconds());
            schedule(wait);
            return;
        }
        synchronized (this) {
            if (state == State.CLOSED) {
                s.unbindAndClose();
                return;
            }
            session = s;
            state = State.BOUND;
            failures = 0;
            lastError = null;
            pending = null;
        }
        log.info("SMPP enterprise {}: bound to {}:{} as {}", enterpriseId, config.host(), config.port(), config.systemId());
        listener.bound(enterpriseId);
    }

    /** The session {@code s} went down: bind again after a back-off, unless the link was closed or replaced. */
    private void lost(SMPPSession s, SessionState newState) {
        if (newState != SessionState.CLOSED && newState != SessionState.UNBOUND) return;
        synchronized (this) {
            if (session != s || state == State.CLOSED) return;
            session = null;
            failures++;
            lastError = "connection lost (" + newState + ")";
        }
        log.info("SMPP enterprise {}: {}", enterpriseId, lastError());
        schedule(backoff(failures));
    }

    static Duration backoff(int failures) {
        long ms = FIRST_BACKOFF.toMillis() << Math.min(Math.max(failures - 1, 0), 10);
        return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
    }

    /**
     * Submits one part to {@code to}; returns the gateway's message id. {@code udh}: the part starts with a concatenation
     * header (esm_class UDHI). Throws when the link is not bound or the gateway refuses.
     */
    String submit(String to, byte[] shortMessage, SmsText.Encoding encoding, boolean udh) throws Exception {
        SMPPSession s;
        synchronized (this) {
            s = session;
            if (s == null || state != State.BOUND) throw new IOException("SMPP gateway not bound" + (lastError == null ? "" : ": " + lastError));
        }
        String src = config.sourceAddress() == null ? "" : config.sourceAddress();
        boolean alpha = !src.matches("\\+?[0-9]*");
        boolean intl = to.startsWith("+");
        return s.submitShortMessage("", alpha ? TypeOfNumber.ALPHANUMERIC : TypeOfNumber.UNKNOWN,
                alpha ? NumberingPlanIndicator.UNKNOWN : NumberingPlanIndicator.ISDN, src.startsWith("+") ? src.substring(1) : src,
                intl ? TypeOfNumber.INTERNATIONAL : TypeOfNumber.UNKNOWN, NumberingPlanIndicator.ISDN, intl ? to.substring(1) : to,
                new ESMClass(udh ? 0x40 : 0), (byte) 0, (byte) 1, null, null, new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE),
                (byte) 0, DataCodings.newInstance(encoding.dataCoding()), (byte) 0, shortMessage).getMessageId();
    }

    void close() {
        SMPPSession s;
        synchronized (this) {
            state = State.CLOSED;
            s = session;
            session = null;
            if (pending != null) pending.cancel(false);
        }
        if (s != null) s.unbindAndClose();
    }

    /** deliver_sm: a delivery receipt (esm_class says so) updates its part; anything else is an inbound message. */
    private final class Receiver implements MessageReceiverListener {
        @Override
        public void onAcceptDeliverSm(DeliverSm d) throws ProcessRequestException {
            try {
                if (d.isSmscDeliveryReceipt()) {
                    DeliveryReceipt r = d.getShortMessageAsDeliveryReceipt();
                    String id = r.getId();
                    OptionalParameter receipted = d.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID);
                    if (receipted instanceof OptionalParameter.COctetString c) id = c.getValueAsString();
                    DeliveryReceiptState st = r.getFinalStatus();
                    if (st == DeliveryReceiptState.ENROUTE || st == DeliveryReceiptState.ACCEPTD) return; // not final
                    listener.receipt(enterpriseId, id, st == DeliveryReceiptState.DELIVRD, new String(d.getShortMessage(),
                            StandardCharsets.ISO_8859_1));
                } else {
                    SmsText.Part part = SmsText.readPart(d.getShortMessage() == null ? new byte[0] : d.getShortMessage(),
                            udhi(d.getEsmClass()), d.getDataCoding());
                    String from = d.getSourceAddr();
                    if (d.getSourceAddrTon() == TypeOfNumber.INTERNATIONAL.value() && !from.startsWith("+")) from = "+" + from;
                    listener.inbound(enterpriseId, from, d.getDestAddress(), part);
                }
            } catch (InvalidDeliveryReceiptException | RuntimeException e) {
                log.warn("SMPP enterprise {}: deliver_sm not understood: {}", enterpriseId, e.toString());
                throw new ProcessRequestException("not processed: " + e.getMessage(), 0x08); // ESME_RSYSERR
            }
        }

        @Override
        public void onAcceptAlertNotification(AlertNotification a) {
            // not used
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("data_sm not supported", 0x03); // ESME_RINVCMDID
        }
    }

    private static boolean udhi(byte esm) {
        return (esm & 0x40) != 0;
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 300; t = t.getCause()) {
            if (!sb.isEmpty()) sb.append(": ");
            sb.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip());
            if (t.getCause() == t) break;
        }
        return sb.toString();
    }
}
