package dev.hotline.fax;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.fax.FaxDocument;
import dev.hotline.engine.fax.FaxResult;
import dev.hotline.engine.fax.FaxTimers;
import dev.hotline.routing.CallBook.Call;
import dev.hotline.routing.CallBook;
import dev.hotline.routing.CallRouter;
import dev.hotline.routing.OutboundPlan;
import dev.hotline.routing.RoutingData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MSG-5 fax to and from a file. Sending: the uploaded image (TIFF or PNG) is read as fax pages, stored as TIFF, and a
 * call placed to the number through the enterprise's outbound routes and trunks like any outside call; once answered,
 * the leg becomes a T.38 fax terminal (the engine's {@link Channel#fax}). Receiving: a number whose destination is
 * "fax" is answered by a receiving terminal, and the pages that came are stored as a multi-page TIFF. Each fax is a row
 * of {@link FaxStore} whose status moves only as {@link FaxStatus} allows. The T.38 party (trunk, gateway) must take
 * T.38: there is no G.711 fax modem here.
 */
public final class Faxes implements CallRouter.FaxLine {
    private static final Logger log = LoggerFactory.getLogger(Faxes.class);
    /** An upload larger than this is refused. */
    public static final int MAX_UPLOAD_BYTES = 1536 * 1024; // the web server takes requests of 2 MB at most
    static final Duration RING_TIMEOUT = Duration.ofSeconds(60);
    static final String NUMBER = "[+]?[0-9*#]{1,32}";

    private final Jdbi jdbi;
    private final RoutingData routing;
    private final CallBook book;
    private final Path folder;
    private final Clock clock;
    private final FaxTimers timers;
    /** The faxes in progress and where they stand; the only way a status changes is {@link #move}. */
    private final Map<Long, FaxStatus> live = new ConcurrentHashMap<>();

    public Faxes(Jdbi jdbi, RoutingData routing, CallBook book, Path dataDir, Clock clock, FaxTimers timers) {
        this.jdbi = jdbi;
        this.routing = routing;
        this.book = book;
        this.folder = dataDir.resolve("faxes");
        this.clock = clock;
        this.timers = timers;
    }

    /**
     * At start, when this node is the only one: faxes the last run left queued, sending or receiving ended with it (their
     * calls did); they fail with that reason instead of staying in progress for ever. Returns how many.
     */
    public int failInterrupted() {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE fax SET status = 'failed', error = 'interrupted by a restart', done_at = :at "
                + "WHERE status IN ('queued', 'sending', 'receiving')").bind("at", clock.instant()).execute());
    }

    /**
     * Sends {@code file} to {@code number}: refused at once (400 naming the field) when the number is no phone number
     * or the file is no readable image of at most {@link FaxDocument#MAX_PAGES} pages; otherwise stored (queued) and
     * placed. A number the routes cannot call fails the fax with the routes' reason.
     */
    public FaxStore.Fax send(long enterpriseId, Long userId, String number, byte[] file, boolean fine) {
        String n = Validator.clean(number);
        Validator.of().required("number", n).matches("number", n, NUMBER, "a phone number (digits, + * #, at most 32)")
                .throwIfInvalid();
        if (file == null || file.length == 0) throw DomainException.invalid("file", "required");
        if (file.length > MAX_UPLOAD_BYTES) throw DomainException.invalid("file", "at most " + MAX_UPLOAD_BYTES / 1024 + " KB");
        FaxDocument doc;
        try {
            doc = FaxDocument.read(file, fine);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("file", e.getMessage());
        }
        long id = jdbi.withHandle(h -> FaxStore.insert(h, enterpriseId, "outbound", n, null, FaxStatus.QUEUED, fine, userId, clock.instant()));
        live.put(id, FaxStatus.QUEUED);
        String fileName = id + "-sent.tif";
        try {
            write(enterpriseId, fileName, doc.toTiff());
        } catch (UncheckedIOException e) {
            move(id, FaxStatus.FAILED, 0, "the document could not be stored: " + e.getMessage(), null, null, null);
            throw e;
        }
        jdbi.useHandle(h -> h.createUpdate("UPDATE fax SET file_name = :f WHERE id = :id").bind("f", fileName).bind("id", id).execute());
        place(enterpriseId, id, n, doc);
        return get(enterpriseId, id).orElseThrow();
    }

    private void place(long enterpriseId, long id, String number, FaxDocument doc) {
        OutboundPlan plan = routing.plan(enterpriseId, number);
        if (plan.refused()) {
            move(id, FaxStatus.FAILED, 0, "not placed: " + plan.error(), null, null, null);
            return;
        }
        try {
            routing.engine().originate(plan.request(RING_TIMEOUT, null), out -> {
                Call c = book.begin(enterpriseId, out, "outbound", "fax", number, plan.trunk().name(), null);
                move(id, FaxStatus.SENDING, 0, null, null, null, c.callId());
                // told before the answer: the leg takes the party's T.38 re-INVITE however soon it comes
                out.fax(doc, "", timers).whenComplete((r, e) -> {
                    FaxResult result = r != null ? r : FaxResult.failure(0, null, String.valueOf(e), null);
                    move(id, result.ok() ? FaxStatus.SENT : FaxStatus.FAILED, result.pages(), result.error(), result.remoteId(), null, null);
                    out.hangup(HangupCause.NORMAL_CLEARING);
                });
            });
        } catch (RuntimeException e) {
            log.warn("fax {}: call to {} not placed", id, number, e);
            move(id, FaxStatus.FAILED, 0, "not placed: " + e.getMessage(), null, null, null);
        }
    }

    /** A call to fax number {@code number}: answered, the document received and stored (call executor). */
    @Override
    public void receive(Call c, Channel ch, String number) {
        String caller = ch.caller().user() == null ? "" : ch.caller().user();
        long id = jdbi.withHandle(h -> FaxStore.insert(h, c.enterpriseId(), "inbound", caller.length() > 32 ? caller.substring(0, 32) : caller,
                number, FaxStatus.RECEIVING, true, null, clock.instant()));
        live.put(id, FaxStatus.RECEIVING);
        jdbi.useHandle(h -> h.createUpdate("UPDATE fax SET call_id = :c WHERE id = :id").bind("c", c.callId()).bind("id", id).execute());
        ch.answer();
        ch.fax(null, number, timers).whenComplete((r, e) -> {
            FaxResult result = r != null ? r : FaxResult.failure(0, null, String.valueOf(e), null);
            String fileName = null;
            if (result.received() != null) {
                fileName = id + "-received.tif";
                try {
                    write(c.enterpriseId(), fileName, result.received().toTiff());
                } catch (UncheckedIOException ex) {
                    log.error("fax {}: received pages not stored", id, ex);
                    fileName = null;
                }
            }
            boolean fine = result.received() != null && result.received().fine();
            jdbi.useHandle(h -> h.createUpdate("UPDATE fax SET fine = :f WHERE id = :id").bind("f", fine).bind("id", id).execute());
            move(id, result.ok() && fileName != null ? FaxStatus.RECEIVED : FaxStatus.FAILED, result.pages(),
                    result.ok() && fileName == null ? "the document could not be stored" : result.error(), result.remoteId(), fileName, null);
            ch.hangup(HangupCause.NORMAL_CLEARING);
        });
    }

    public Optional<FaxStore.Fax> get(long enterpriseId, long id) {
        return jdbi.withHandle(h -> FaxStore.get(h, enterpriseId, id));
    }

    /** The TIFF of a fax: what was sent, or what was received. */
    public Optional<Path> document(long enterpriseId, long id) {
        return jdbi.withHandle(h -> FaxStore.fileName(h, enterpriseId, id))
                .map(f -> folder.resolve(Long.toString(enterpriseId)).resolve(f)).filter(Files::isRegularFile);
    }

    /** The one place a fax's status changes: checked against {@link FaxStatus}, then stored. */
    private void move(long id, FaxStatus to, int pages, String error, String remoteId, String fileName, String callId) {
        FaxStatus now = live.get(id);
        if (now == null) {
            throw new IllegalStateException("fax " + id + " is not in progress");
        }
        FaxStatus next = now.moveTo(to);
        String err = error == null ? null : error.length() > 500 ? error.substring(0, 500) : error;
        String remote = remoteId == null ? null : remoteId.length() > 32 ? remoteId.substring(0, 32) : remoteId;
        jdbi.useHandle(h -> FaxStore.update(h, id, next, pages, err, remote, fileName, callId, next.ended() ? clock.instant() : null));
        if (next.ended()) {
            live.remove(id);
            log.info("fax {} {}: {} page(s){}", id, next.key(), pages, err == null ? "" : " (" + err + ")");
        } else {
            live.put(id, next);
        }
    }

    private void write(long enterpriseId, String fileName, byte[] tiff) {
        try {
            Path dir = folder.resolve(Long.toString(enterpriseId));
            Files.createDirectories(dir);
            Path tmp = dir.resolve(fileName + ".part");
            Files.write(tmp, tiff);
            Files.move(tmp, dir.resolve(fileName), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
