package dev.hotline.ticket;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The escalation stages (BIZ-1): run every few seconds by the server's scheduler (and directly by tests, whose clock they
 * control), it fires each stage whose share of the SLA the ticket's running clock has used: a notification to the assignee
 * or to the supervisors (users whose role holds ticket.manage), and a line on the timeline. A stage fires once.
 */
public final class TicketEscalation {
    private final Jdbi jdbi;
    private final Clock clock;

    public TicketEscalation(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** One pass over the running tickets; returns how many stages fired. */
    public int runOnce() {
        return jdbi.inTransaction(h -> {
            Instant now = clock.instant();
            int fired = 0;
            for (var en : TicketStore.running(h)) {
                long e = en.getKey();
                var r = en.getValue();
                TicketSettings s = TicketStore.settings(h, e);
                List<TicketSettings.Escalation> stages = s.escalations();
                if (r.escalated() >= stages.size()) continue;
                long used = Tickets.used(r, s.calendar(), now);
                int stage = r.escalated();
                while (stage < stages.size() && used * 100 >= (long) stages.get(stage).percent() * r.slaSeconds()) {
                    var st = stages.get(stage);
                    String text = r.trackingNumber() + " " + r.title() + ": " + st.percent() + "% of the SLA used";
                    List<Long> to = "assignee".equals(st.target()) && r.assigneeId() != null ? List.of(r.assigneeId()) : TicketStore.supervisors(h, e);
                    for (long u : to) TicketStore.notify(h, e, u, now, "ticket.escalated", r.id(), text);
                    TicketStore.event(h, e, r.id(), now, null, "escalated", st.percent() + "% → " + st.target() + " (" + to.size() + " notified)");
                    stage++;
                    fired++;
                }
                if (stage != r.escalated()) {
                    h.createUpdate("UPDATE ticket SET escalated = :s WHERE id = :id AND enterprise_id = :e").bind("s", stage).bind("id", r.id())
                            .bind("e", e).execute();
                }
            }
            return fired;
        });
    }
}
