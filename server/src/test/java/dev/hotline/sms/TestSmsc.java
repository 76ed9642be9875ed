package dev.hotline.sms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jsmpp.PDUStringException;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.MessageId;

/**
 * An in-process SMSC for tests (jsmpp's server side): accepts binds with one system id and password, records every
 * submit_sm, answers with a message id and (asynchronously) a delivery receipt, DELIVRD unless the destination matches
 * {@link #undeliverable}; {@link #deliver} sends an inbound message to the bound client.
 */
public final class TestSmsc implements AutoCloseable {
    /** A submit_sm as the SMSC got it. */
    public record Submitted(String messageId, String source, String dest, byte destTon, byte esmClass, byte dataCoding, byte registeredDelivery,
                     byte[] shortMessage) {}

    public final BlockingQueue<Submitted> submitted = new LinkedBlockingQueue<>();
    final List<String> binds = new CopyOnWriteArrayList<>();
    volatile Predicate<String> undeliverable = d -> false;
    private final String systemId;
    private final String password;
    private final SMPPServerSessionListener listener;
    private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-smsc");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger ids = new AtomicInteger(1000);
    private volatile boolean closed;

    public TestSmsc(int port, String systemId, String password) throws IOException {
        this.systemId = systemId;
        this.password = password;
        this.listener = new SMPPServerSessionListener(port);
        listener.setMessageReceiverListener(new Receiver());
        executor.execute(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SMPPServerSession s = listener.accept();
                s.setTransactionTimer(15_000); // deliver_sm answered late on a machine loaded by other test JVMs (2 s failed once)
                executor.execute(() -> bind(s));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void bind(SMPPServerSession s) {
        try {
            BindRequest b = s.waitForBind(5000);
            if (systemId.equals(b.getSystemId()) && password.equals(b.getPassword())) {
                b.accept(systemId);
                sessions.add(s);
                binds.add(b.getBindType() + " " + b.getSystemId() + " " + b.getSystemType());
            } else {
                b.reject(0x0E); // ESME_RINVPASWD
            }
        } catch (Exception e) {
            s.close();
        }
    }

    /** The newest session still bound (a client that re-binds leaves its closed sessions behind). */
    SMPPServerSession session() {
        for (int i = sessions.size() - 1; i >= 0; i--) {
            if (sessions.get(i).getSessionState().isBound()) return sessions.get(i);
        }
        throw new IllegalStateException("nobody bound");
    }

    /** Sends an inbound message (one part, or a part with its concatenation header when {@code udhi}) to the client. */
    void deliver(String from, String to, byte[] shortMessage, byte dataCoding, boolean udhi) throws Exception {
        session().deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, from, TypeOfNumber.UNKNOWN,
                NumberingPlanIndicator.ISDN, to, new ESMClass(udhi ? 0x40 : 0), (byte) 0, (byte) 0, new RegisteredDelivery(0),
                DataCodings.newInstance(dataCoding), shortMessage);
    }

    /**
     * Sends the receipt on the session that submitted the message, or, when the client re-bound meanwhile (a settings
     * change), on its newest bound session; like an SMSC that keeps receipts until the client is back, it tries for 15 s.
     */
    private void receipt(Submitted s, SMPPServerSession via) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                receiptOn(s, via.getSessionState().isBound() ? via : session());
                return;
            } catch (RuntimeException e) {
                if (closed || System.nanoTime() > deadline) throw e;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private void receiptOn(Submitted s, SMPPServerSession session) {
        try {
            boolean ok = !undeliverable.test(s.dest());
            DeliveryReceipt r = new DeliveryReceipt(s.messageId(), 1, ok ? 1 : 0, new Date(), new Date(),
                    ok ? DeliveryReceiptState.DELIVRD : DeliveryReceiptState.UNDELIV, ok ? "000" : "001", "");
            session.deliverShortMessage("", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.ISDN, s.dest(), TypeOfNumber.UNKNOWN,
                    NumberingPlanIndicator.ISDN, s.source(), new ESMClass(MessageMode.DEFAULT, MessageType.SMSC_DEL_RECEIPT, GSMSpecificFeature.DEFAULT),
                    (byte) 0, (byte) 0, new RegisteredDelivery(0), DataCodings.ZERO, r.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new IllegalStateException("receipt not sent: " + e, e);
        }
    }

    private final class Receiver implements ServerMessageReceiverListener {
        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm sm, SMPPServerSession source) throws ProcessRequestException {
            String id = Integer.toString(ids.incrementAndGet());
            Submitted s = new Submitted(id, sm.getSourceAddr(), sm.getDestAddress(), sm.getDestAddrTon(), sm.getEsmClass(), sm.getDataCoding(),
                    sm.getRegisteredDelivery(), sm.getShortMessage());
            submitted.add(s);
            if ((sm.getRegisteredDelivery() & 0x03) != 0) executor.execute(() -> receipt(s, source));
            try {
                return new SubmitSmResult(new MessageId(id), new OptionalParameter[0]);
            } catch (PDUStringException e) {
                throw new ProcessRequestException(e.getMessage(), 0x08);
            }
        }

        @Override
        public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm queryBroadcastSm, SMPPServerSession source)
                throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (SMPPServerSession s : sessions) s.close();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        executor.shutdownNow();
    }
}
