package dev.hotline.report;

import dev.hotline.auth.Permission;
import dev.hotline.domain.Validator;
import dev.hotline.masking.Masking;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.WebServer;
import java.util.Arrays;
import org.jdbi.v3.core.Jdbi;

/** Call records (RPT-1, first part) and the logged events of one call. */
public final class CallRoutes {
    private CallRoutes() {}

    public static void register(Api root, Jdbi jdbi, Masking masking) {
        Api api = root.tagged("calls");
        api.get("/calls", "Call records, newest first (filters: from, to ISO-8601; number; outcome; disposition; queue; agent (user id);"
                        + " direction; limit ≤ 500; offset)")
                .returns(CallRecordStore.Page.class).handle(Permission.CALL_READ, (ctx, me) -> {
                    Long limit = WebServer.longParam(ctx, "limit");
                    Long offset = WebServer.longParam(ctx, "offset");
                    String outcome = Validator.clean(ctx.queryParam("outcome"));
                    String disposition = Validator.clean(ctx.queryParam("disposition"));
                    String direction = Validator.clean(ctx.queryParam("direction"));
                    Validator.of().check(limit == null || (limit >= 1 && limit <= 500), "limit", "1..500")
                            .check(offset == null || offset >= 0, "offset", "0 or more")
                            .check(outcome == null || Arrays.stream(CallRecord.Outcome.values()).anyMatch(o -> o.key().equals(outcome)),
                                    "outcome", "unknown outcome")
                            .check(disposition == null || Arrays.stream(CallRecord.Disposition.values()).anyMatch(d -> d.key().equals(disposition)),
                                    "disposition", "one of answered, voicemail, ivr_only, abandoned_ivr, abandoned_queue, abandoned_ringing, unanswered")
                            .check(direction == null || direction.matches("inbound|outbound|internal"), "direction", "inbound, outbound or internal")
                            .throwIfInvalid();
                    var f = new CallRecordStore.Filter(WebServer.instantParam(ctx, "from"), WebServer.instantParam(ctx, "to"),
                            masking.real(me.enterpriseId(), Validator.clean(ctx.queryParam("number")), "number"), outcome, disposition, Validator.clean(ctx.queryParam("queue")),
                            WebServer.longParam(ctx, "agent"), direction, limit == null ? 50 : limit.intValue(),
                            offset == null ? 0 : offset.intValue());
                    ctx.json(masking.forViewer(me).json(jdbi.withHandle(h -> CallRecordStore.search(h, me.enterpriseId(), f))));
                });
        api.get("/calls/{callId}/events", "Every logged event of one call, in order").returnsList(CallRecordStore.LoggedEvent.class)
                .handle(Permission.CALL_READ, (ctx, me) -> {
                    var events = jdbi.withHandle(h -> CallRecordStore.timeline(h, me.enterpriseId(), ctx.pathParam("callId")));
                    if (events.isEmpty()) throw ApiException.notFound("call");
                    ctx.json(masking.forViewer(me).json(events));
                });
    }
}
