package dev.hotline.ticket;

import dev.hotline.auth.Permission;
import dev.hotline.crm.Scope;
import dev.hotline.domain.Validator;
import dev.hotline.masking.Masking;
import dev.hotline.masking.NumberMask;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import java.util.ArrayList;
import java.util.Collections;
import org.jdbi.v3.core.Jdbi;

/**
 * Tickets (BIZ-1, BIZ-2) and memos (BIZ-5) over HTTP: settings and types (ticket.manage), tickets (ticket.read to read,
 * ticket.write to open and change), the lookup by tracking number (for the IVR), the user's notification inbox and memos on
 * customers and calls. The enterprise is always the caller's.
 */
public final class TicketRoutes {
    private TicketRoutes() {}

    public record Done(boolean ok) {}

    /** BIZ-1 closing the loop: places a call-back from the user's device (the desk's click-to-dial, wired by the app). */
    @FunctionalInterface
    public interface CallBack {
        /** Rings the user's device, then {@code number}; the agent's leg and the call it belongs to. */
        Placed dial(long enterpriseId, long userId, String number);

        record Placed(String legId, String callId) {}
    }

    /** @param number the number dialled (masked for a viewer under CRM-5) */
    public record CallBackPlaced(String legId, String callId, String number) {}

    public static void register(Api root, Jdbi jdbi, Tickets tickets, Masking masking, CallBack callBack, CallBackOutcomes outcomes) {
        Api api = root.tagged("tickets");
        api.get("/ticket-settings", "Tracking-number prefix, business-hours calendar (zone, working days 1..7, HH:mm start and end) and"
                + " escalation stages (percent of the SLA, target assignee or supervisor) and the notices by e-mail and SMS (BIZ-1)")
                .returns(TicketSettings.class)
                .handle(Permission.TICKET_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> tickets.settings(h, me.enterpriseId()))));
        api.put("/ticket-settings", "Change the ticket settings (notices left out: unchanged)").body(TicketSettings.class).returns(TicketSettings.class)
                .handle(Permission.TICKET_MANAGE, (ctx, me) -> {
                    var in = Json.body(ctx, TicketSettings.class);
                    ctx.json(jdbi.inTransaction(h -> tickets.saveSettings(h, me.enterpriseId(), in)));
                });
        api.get("/ticket-types", "Ticket types with their SLA (business minutes) and form fields in display order").returnsList(TicketType.class)
                .handle(Permission.TICKET_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> TicketStore.types(h, me.enterpriseId()))));
        api.get("/ticket-types/{id}", "One ticket type").returns(TicketType.class).handle(Permission.TICKET_READ, (ctx, me) -> {
            long id = WebServer.id(ctx);
            ctx.json(jdbi.withHandle(h -> TicketStore.type(h, me.enterpriseId(), id)).orElseThrow(() -> ApiException.notFound("ticket type")));
        });
        api.post("/ticket-types", "Create a ticket type: code, name, slaMinutes, fields (key, label, type text|single|multiple|datetime|number,"
                + " required, options)").body(Tickets.TypeInput.class).returns(TicketType.class).handle(Permission.TICKET_MANAGE, (ctx, me) -> {
                    var in = Json.body(ctx, Tickets.TypeInput.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> tickets.saveType(h, me.enterpriseId(), null, in)));
                });
        api.put("/ticket-types/{id}", "Change a ticket type's name, SLA, form or enabled flag (the code stays)").body(Tickets.TypeInput.class)
                .returns(TicketType.class).handle(Permission.TICKET_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        TicketStore.type(h, me.enterpriseId(), id).orElseThrow(() -> ApiException.notFound("ticket type"));
                        return tickets.saveType(h, me.enterpriseId(), id, Json.body(ctx, Tickets.TypeInput.class));
                    }));
                });

        api.get("/tickets", "Tickets, newest first. Parameters: status, open (true: not resolved or closed), typeId, assigneeId, customerId, callId, callerNumber, q (title or"
                + " tracking number), limit (1..500, default 100)").returnsList(Ticket.class).handle(Permission.TICKET_READ, (ctx, me) -> {
                    String status = Validator.clean(ctx.queryParam("status"));
                    Long limit = WebServer.longParam(ctx, "limit");
                    Validator.of().check(status == null || TicketStatus.parse(status).isPresent(), "status", "a ticket status")
                            .check(limit == null || (limit >= 1 && limit <= 500), "limit", "1..500").throwIfInvalid();
                    var f = new TicketStore.Filter(status == null ? null : TicketStatus.parse(status).get(), "true".equals(ctx.queryParam("open")),
                            WebServer.longParam(ctx, "typeId"),
                            WebServer.longParam(ctx, "assigneeId"), WebServer.longParam(ctx, "customerId"), Validator.clean(ctx.queryParam("callId")),
                            masking.real(me.enterpriseId(), Validator.clean(ctx.queryParam("callerNumber")), "callerNumber"), Validator.clean(ctx.queryParam("q")), limit == null ? 100 : limit.intValue());
                    ctx.json(masking.forViewer(me).json(jdbi.withHandle(h -> tickets.list(h, me.enterpriseId(), f, Scope.of(h, me)))));
                });
        api.post("/tickets", "Open a ticket: typeId (or type, its code), title, description, customerId, callerNumber, callId, departmentId,"
                + " assigneeId, form (values by field key). Returns it with its tracking number and due time").body(Tickets.OpenInput.class)
                .returns(Ticket.class).handle(Permission.TICKET_WRITE, (ctx, me) -> {
                    var body = Json.body(ctx, Tickets.OpenInput.class);
                    var in = body == null ? null : new Tickets.OpenInput(body.typeId(), body.type(), body.title(), body.description(), body.customerId(),
                            masking.real(me.enterpriseId(), body.callerNumber(), "callerNumber"), body.callId(), body.departmentId(), body.assigneeId(),
                            body.form());
                    ctx.status(201).json(masking.forViewer(me).json(jdbi.inTransaction(h -> tickets.open(h, me.enterpriseId(), me.userId(), in, Scope.of(h, me)))));
                });
        api.get("/tickets/by-number/{trackingNumber}", "A ticket's status by its tracking number (what an IVR node speaks to the caller)")
                .returns(Ticket.Status.class).handle(Permission.TICKET_READ, (ctx, me) -> {
                    String n = ctx.pathParam("trackingNumber");
                    ctx.json(jdbi.withHandle(h -> tickets.status(h, me.enterpriseId(), n, Scope.of(h, me))));
                });
        api.get("/tickets/{id}", "A ticket with its timeline (who, when, what)").returns(Ticket.Detail.class)
                .handle(Permission.TICKET_READ, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(masking.forViewer(me).json(jdbi.withHandle(h -> {
                        tickets.visible(h, Scope.of(h, me), id);
                        return tickets.detail(h, me.enterpriseId(), id);
                    })));
                });
        api.put("/tickets/{id}", "Change a ticket's title, description, customer, caller number, call and form values")
                .body(Tickets.EditInput.class).returns(Ticket.class).handle(Permission.TICKET_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    var body = Json.body(ctx, Tickets.EditInput.class);
                    NumberMask mask = masking.forViewer(me);
                    ctx.json(mask.json(jdbi.inTransaction(h -> {
                        Scope scope = Scope.of(h, me);
                        var t = tickets.visible(h, scope, id);
                        // CRM-5: the masked number shown, sent back unchanged, keeps the ticket's number; a reference is opened.
                        var in = body == null ? null : new Tickets.EditInput(body.title(), body.description(), body.customerId(),
                                masking.realOrKept(mask, me.enterpriseId(), body.callerNumber(), "callerNumber", new ArrayList<>(Collections.singletonList(t.callerNumber()))),
                                body.callId(), body.form());
                        return tickets.edit(h, me.enterpriseId(), me.userId(), id, in, scope);
                    })));
                });
        api.post("/tickets/{id}/status", "Move a ticket to another state (new, assigned, in_progress, waiting_customer, resolved, closed,"
                + " reopened); an illegal move is a 409. The SLA clock pauses while waiting on the customer")
                .body(Tickets.MoveInput.class).returns(Ticket.class).handle(Permission.TICKET_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(masking.forViewer(me).json(jdbi.inTransaction(h -> {
                        tickets.visible(h, Scope.of(h, me), id);
                        return tickets.move(h, me.enterpriseId(), me.userId(), id, Json.body(ctx, Tickets.MoveInput.class));
                    })));
                });
        api.post("/tickets/{id}/assign", "Assign a ticket to a department and/or a person (notified)").body(Tickets.AssignInput.class)
                .returns(Ticket.class).handle(Permission.TICKET_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(masking.forViewer(me).json(jdbi.inTransaction(h -> {
                        tickets.visible(h, Scope.of(h, me), id);
                        return tickets.assign(h, me.enterpriseId(), me.userId(), id, Json.body(ctx, Tickets.AssignInput.class));
                    })));
                });
        api.post("/tickets/{id}/comments", "Add a comment to a ticket's timeline (text; forCustomer=true: a reply sent to the customer"
                + " when the notices choose the comment event; the assignee is notified when the notices say so)").body(Tickets.NoteInput.class).returns(Ticket.class)
                .handle(Permission.TICKET_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(masking.forViewer(me).json(jdbi.inTransaction(h -> {
                        tickets.visible(h, Scope.of(h, me), id);
                        return tickets.comment(h, me.enterpriseId(), me.userId(), id, Json.body(ctx, Tickets.NoteInput.class));
                    })));
                });
        api.post("/tickets/{id}/callbacks", "Note on the timeline what the agent says of a call-back: result (reached, no_answer, busy,"
                + " wrong_number, resolved) and/or note; the call's own outcome is written by the server when it ends").body(Tickets.CallbackInput.class).returns(Ticket.class).handle(Permission.TICKET_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(masking.forViewer(me).json(jdbi.inTransaction(h -> {
                        tickets.visible(h, Scope.of(h, me), id);
                        return tickets.callback(h, me.enterpriseId(), me.userId(), id, Json.body(ctx, Tickets.CallbackInput.class));
                    })));
                });

        api.post("/tickets/{id}/call-back", "Close the loop: ring your device (log in as an agent first), then the ticket's caller number (else"
                + " its customer's first phone); the call is noted on the timeline and, when it ends, its outcome (answered with the"
                + " talk seconds, no_answer, busy, failed) by the server, linked to the callId returned. Add a note with POST"
                + " /tickets/{id}/callbacks").returns(CallBackPlaced.class).handle(Permission.TICKET_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    String number = jdbi.withHandle(h -> tickets.callbackNumber(h, me.enterpriseId(), tickets.visible(h, Scope.of(h, me), id)));
                    if (!me.can(Permission.AGENT_DESK)) throw ApiException.forbidden("calling back needs agent.desk");
                    CallBack.Placed placed = callBack.dial(me.enterpriseId(), me.userId(), number);
                    jdbi.useTransaction(h -> tickets.callbackDialled(h, me.enterpriseId(), me.userId(), id, number, placed.callId()));
                    outcomes.dialled(me.enterpriseId(), id, number, placed.callId()); // committed: its outcome is written when the call closes
                    ctx.status(201).json(masking.forViewer(me).json(new CallBackPlaced(placed.legId(), placed.callId(), number)));
                });

        Api inbox = root.tagged("notifications");
        inbox.get("/notifications", "Your notifications, newest first (at most 200). Parameter: unread=true for the unread only")
                .returnsList(TicketStore.Notification.class).handleAuthenticated((ctx, me) -> {
                    boolean unread = "true".equals(ctx.queryParam("unread"));
                    ctx.json(jdbi.withHandle(h -> tickets.notifications(h, me.enterpriseId(), me.userId(), unread)));
                });
        inbox.post("/notifications/{id}/read", "Mark one of your notifications read").returns(Done.class).handleAuthenticated((ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> tickets.markRead(h, me.enterpriseId(), me.userId(), id));
            ctx.json(new Done(true));
        });

        Api memos = root.tagged("memos");
        memos.get("/memos", "Memos on a customer (customerId) or a call (callId), newest first").returnsList(TicketStore.Memo.class)
                .handle(Permission.TICKET_READ, (ctx, me) -> {
                    Long customer = WebServer.longParam(ctx, "customerId");
                    String call = Validator.clean(ctx.queryParam("callId"));
                    ctx.json(jdbi.withHandle(h -> tickets.memos(h, me.enterpriseId(), customer, call, Scope.of(h, me))));
                });
        memos.post("/memos", "Write a memo on a customer (customerId) or a call (callId)").body(Tickets.MemoInput.class)
                .returns(TicketStore.Memo.class).handle(Permission.TICKET_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, Tickets.MemoInput.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> tickets.addMemo(h, me.enterpriseId(), me.userId(), in, Scope.of(h, me))));
                });
        memos.delete("/memos/{id}", "Delete a memo (its author, or a holder of ticket.manage)").handle(Permission.TICKET_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> tickets.deleteMemo(h, me.enterpriseId(), me.userId(), me.can(Permission.TICKET_MANAGE), id, Scope.of(h, me)));
            ctx.status(204);
        });
    }

}
