package dev.hotline.campaign;

import dev.hotline.masking.NumberMask;
import dev.hotline.report.ReportExport;
import dev.hotline.report.ReportTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** A campaign's result per number (OUT-2: the key and its answer), exported as CSV or xlsx from the campaign page. */
final class CampaignResults {
    private static final int PAGE = 1000;

    private CampaignResults() {}

    /** The fixed columns, then one per column of the imported list. */
    static List<ReportTable.Column> columns(List<String> varNames) {
        List<ReportTable.Column> c = new ArrayList<>(List.of(
                new ReportTable.Column("number", ReportTable.Kind.TEXT, "Number", "号码"),
                new ReportTable.Column("name", ReportTable.Kind.TEXT, "Name", "姓名"),
                new ReportTable.Column("state", ReportTable.Kind.TEXT, "State", "状态"),
                new ReportTable.Column("attempts", ReportTable.Kind.COUNT, "Attempts", "拨打次数"),
                new ReportTable.Column("lastOutcome", ReportTable.Kind.TEXT, "Last outcome", "最近结果"),
                new ReportTable.Column("key", ReportTable.Kind.TEXT, "Key", "按键"),
                new ReportTable.Column("answer", ReportTable.Kind.TEXT, "Answer", "答复"),
                new ReportTable.Column("answeredAt", ReportTable.Kind.TEXT, "Answered at", "答复时间"),
                new ReportTable.Column("lastAttemptAt", ReportTable.Kind.TEXT, "Last attempt", "最近拨打")));
        for (String v : varNames) c.add(new ReportTable.Column("var:" + v, ReportTable.Kind.TEXT, v, v));
        return c;
    }

    /** Every number of the campaign, a page at a time, in list order, as the viewer of {@code mask} may see it (CRM-5). */
    static void write(Jdbi jdbi, long enterpriseId, long campaignId, NumberMask mask, ReportExport.RowWriter out) {
        for (int offset = 0; ; offset += PAGE) {
            int from = offset;
            List<CampaignStore.Contact> page = jdbi.withHandle(h -> CampaignStore.contacts(h, enterpriseId, campaignId, null, PAGE, from));
            for (CampaignStore.Contact c : page) {
                try {
                    out.row(mask.row(row(c)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (page.size() < PAGE) return;
        }
    }

    static Map<String, Object> row(CampaignStore.Contact c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", c.number());
        m.put("name", c.name());
        m.put("state", c.state());
        m.put("attempts", c.attempts());
        m.put("lastOutcome", c.lastOutcome());
        m.put("key", c.answerKey());
        m.put("answer", c.answer());
        m.put("answeredAt", c.answeredAt() == null ? null : c.answeredAt().toString());
        m.put("lastAttemptAt", c.lastAttemptAt() == null ? null : c.lastAttemptAt().toString());
        for (var e : c.vars().entrySet()) m.put("var:" + e.getKey(), e.getValue());
        return m;
    }
}
