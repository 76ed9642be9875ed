package dev.hotline.sms;

import dev.hotline.crm.PhoneNumbers;
import dev.hotline.mail.SecretBox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the queued SMS on a thread of its own ({@code sms-sender}, every 0.5 s), so that no call path or request waits for
 * a gateway: SMPP through the enterprise's {@link SmppLink} (kept bound, binding on the {@code sms-smpp} threads), HTTP
 * through {@link HttpGateway}. A failed attempt is retried after 2 s, 4 s, 8 s ... up to 10 min; after
 * {@value #MAX_ATTEMPTS} attempts the message is failed (and may be sent again by hand). When a link binds, the
 * enterprise's queued messages are due at once. Receipts move sent messages to delivered or failed; inbound parts are
 * joined and stored with the customer their number matches.
 */
public final class SmsSender implements SmppLink.Listener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmsSender.class);
    static final int MAX_ATTEMPTS = 10;
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final Jdbi jdbi;
    private final Clock clock;
    private final SecretBox secrets;
    private final Duration enquireLink;
    private final HttpGateway http = new HttpGateway();
    private final Map<Long, SmppLink> links = new ConcurrentHashMap<>();
    /** Parts of inbound concatenated messages waiting for the others, by enterprise|from|reference|total. */
    private final Map<String, String[]> partial = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String[]> eldest) {
            return size() > 1000;
        }
    };
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sms-sender");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService smpp = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "sms-smpp");
        t.setDaemon(true);
        return t;
    });

    /** @param enquireLink how often a bound SMPP link checks its peer */
    public SmsSender(Jdbi jdbi, Clock clock, SecretBox secrets, Duration enquireLink) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.secrets = secrets;
        this.enquireLink = enquireLink;
    }

    /** Opens the SMPP links of the enterprises that have one and starts sending. */
    public void start() {
        for (long e : jdbi.withHandle(SmsStore::smppEnterprises)) {
            jdbi.withHandle(h -> SmsStore.settings(h, e)).ifPresent(row -> reconfigure(e, row));
        }
        sender.scheduleWithFixedDelay(this::sendDue, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** The enterprise's settings changed: its SMPP link (if any) is closed and, for an SMPP gateway, opened anew. */
    void reconfigure(long enterpriseId, SmsStore.Row row) {
        SmppLink.Config config = "smpp".equals(row.kind()) ? new SmppLink.Config(row.smppHost(), row.smppPort(), row.systemId(),
                row.sealedPassword() == null ? "" : secrets.decrypt(row.sealedPassword()), row.systemType(), row.sourceAddress()) : null;
        SmppLink old = links.get(enterpriseId);
        if (old != null && old.config().equals(config)) return; // the same gateway: the link stays bound
        links.remove(enterpriseId);
        if (old != null) old.close();
        if (config == null) return;
        SmppLink link = new SmppLink(enterpriseId, config, smpp, this, enquireLink);
        links.put(enterpriseId, link);
        link.start();
    }

    Sms.Link link(long enterpriseId, String kind) {
        return switch (kind) {
            case "smpp" -> {
                SmppLink l = links.get(enterpriseId);
                yield l == null ? new Sms.Link("connecting", null) : new Sms.Link(l.state().name().toLowerCase(Locale.ROOT), l.lastError());
            }
            case "http" -> new Sms.Link("ready", null);
            default -> new Sms.Link("none", null);
        };
    }

    // ================================================================ sending

    private void sendDue() {
        try {
            List<SmsStore.Due> due = jdbi.withHandle(h -> SmsStore.due(h, clock.instant(), 20));
            for (SmsStore.Due d : due) sendOne(d);
        } catch (RuntimeException e) {
            log.warn("SMS sending failed: {}", e.toString());
        }
    }

    private void sendOne(SmsStore.Due d) {
        SmsStore.Message m = d.message();
        long e = d.enterpriseId();
        Optional<SmsStore.Row> settings = jdbi.withHandle(h -> SmsStore.settings(h, e));
        String kind = settings.map(SmsStore.Row::kind).orElse("none");
        try {
            switch (kind) {
                case "smpp" -> submitParts(e, m);
                case "http" -> {
                    SmsStore.Row r = settings.get();
                    http.send(new HttpGateway.Config(r.httpUrl(), r.httpMethod(), r.httpContentType(), r.httpBody(), r.httpSuccess()), m.peer(),
                            m.text(), r.sourceAddress());
                }
                default -> throw new IllegalStateException("no SMS gateway: set one in the SMS settings");
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception ex) {
            failedAttempt(m, SmppLink.describe(ex));
            return;
        }
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            SmsStore.lock(h, m.id()); // against a receipt settling the message at the same time
            SmsStore.attempted(h, m.id());
            SmsStore.move(h, m.id(), SmsStatus.QUEUED, SmsStatus.SENT, now, null, null);
            settle(h, m.id(), m.parts(), now);
        });
        log.debug("SMS {} to {} sent ({} part(s), {})", m.id(), m.peer(), m.parts(), kind);
    }

    /** Submits the parts the gateway has not taken yet, recording each part's gateway id as it is taken. */
    private void submitParts(long enterpriseId, SmsStore.Message m) throws Exception {
        SmppLink link = links.get(enterpriseId);
        if (link == null) throw new IllegalStateException("SMPP gateway not configured");
        SmsText.Encoded enc = SmsText.encode(m.text(), (int) (m.id() & 0xFF));
        List<Integer> done = jdbi.withHandle(h -> SmsStore.submittedParts(h, m.id()));
        for (int i = 0; i < enc.count(); i++) {
            int part = i + 1;
            if (done.contains(part)) continue;
            String gatewayId = link.submit(m.peer(), enc.parts().get(i), enc.encoding(), enc.udh());
            jdbi.useHandle(h -> SmsStore.partSubmitted(h, enterpriseId, m.id(), part, gatewayId));
        }
    }

    private void failedAttempt(SmsStore.Message m, String error) {
        Instant now = clock.instant();
        int attempt = m.attempts() + 1;
        jdbi.useTransaction(h -> {
            if (attempt >= MAX_ATTEMPTS) {
                SmsStore.attemptFailed(h, m.id(), error, now);
                SmsStore.move(h, m.id(), SmsStatus.QUEUED, SmsStatus.FAILED, now, null, "gave up after " + attempt + " attempts: " + error);
            } else {
                SmsStore.attemptFailed(h, m.id(), error, now.plus(backoff(attempt)));
            }
        });
        log.info("SMS {} to {} not sent (attempt {}): {}", m.id(), m.peer(), attempt, error);
    }

    /** The wait after the {@code attempt}-th failure: 2 s, 4 s, 8 s, ... up to 10 min. */
    static Duration backoff(int attempt) {
        long ms = FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
    }

    /** A sent message whose parts all have their receipts becomes delivered, or failed when a part failed. */
    private static void settle(Handle h, long messageId, int parts, Instant now) {
        if (SmsStore.status(h, messageId).orElse(null) != SmsStatus.SENT) return;
        SmsStore.PartCounts c = SmsStore.partCounts(h, messageId);
        if (c.failed() > 0) {
            SmsStore.move(h, messageId, SmsStatus.SENT, SmsStatus.FAILED, now, null, "the gateway could not deliver " + c.failed() + " of " + parts
                    + " part(s)");
        } else if (c.delivered() >= parts) {
            SmsStore.move(h, messageId, SmsStatus.SENT, SmsStatus.DELIVERED, now, null, null);
        }
    }

    // ================================================================ what the links report

    @Override
    public void bound(long enterpriseId) {
        sender.execute(() -> {
            int n = jdbi.withHandle(h -> SmsStore.nudge(h, enterpriseId, clock.instant()));
            if (n > 0) log.info("SMPP enterprise {} bound: {} queued SMS due now", enterpriseId, n);
            sendDue();
        });
    }

    @Override
    public void receipt(long enterpriseId, String gatewayId, boolean delivered, String receipt) {
        receipt(enterpriseId, gatewayId, delivered, receipt, 0);
    }

    /** A receipt may overtake the recording of its part's id (submit_sm_resp, then the row): tried again for 30 s. */
    private void receipt(long enterpriseId, String gatewayId, boolean delivered, String receipt, int tries) {
        boolean known = jdbi.inTransaction(h -> {
            Optional<Long> message = SmsStore.receipt(h, enterpriseId, gatewayId, delivered, receipt);
            if (message.isEmpty()) return false;
            int parts = h.createQuery("SELECT parts FROM sms_message WHERE id = :m").bind("m", message.get()).mapTo(Integer.class).one();
            settle(h, message.get(), parts, clock.instant());
            return true;
        });
        if (!known) {
            if (tries < 120) { // 30 s: the part's row may be written late on a loaded machine
                smpp.schedule(() -> receipt(enterpriseId, gatewayId, delivered, receipt, tries + 1), 250, TimeUnit.MILLISECONDS);
            } else {
                log.info("SMPP enterprise {}: receipt for unknown message id {}", enterpriseId, gatewayId);
            }
        }
    }

    @Override
    public void inbound(long enterpriseId, String from, String to, SmsText.Part part) {
        String text;
        int total = Math.max(1, part.total());
        if (total == 1) {
            text = part.text();
        } else {
            String key = enterpriseId + "|" + from + "|" + part.reference() + "|" + total;
            synchronized (partial) {
                String[] parts = partial.computeIfAbsent(key, k -> new String[total]);
                if (part.number() >= 1 && part.number() <= total) parts[part.number() - 1] = part.text();
                for (String p : parts) if (p == null) return; // more to come
                partial.remove(key);
                text = String.join("", parts);
            }
        }
        String encoding = SmsText.encodingOf(text).key();
        String message = SmsStore.clip(text, 4000);
        jdbi.useHandle(h -> SmsStore.insert(h, enterpriseId, new SmsStore.NewMessage("inbound", from, PhoneNumbers.matchingForm(from), to, message,
                encoding, total, SmsStatus.RECEIVED, Sms.customerByNumber(h, enterpriseId, from).orElse(null), null, null, null, null, null),
                clock.instant()));
        log.info("SMS from {} received for enterprise {} ({} part(s))", from, enterpriseId, total);
    }

    @Override
    public void close() {
        sender.shutdownNow();
        links.values().forEach(SmppLink::close);
        links.clear();
        smpp.shutdownNow();
    }
}
