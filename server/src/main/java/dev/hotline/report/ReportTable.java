package dev.hotline.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One report as rows of named values: what the API returns as JSON and what the xlsx and CSV exports write, so the
 * three always carry the same numbers. Counts are whole numbers, times are seconds (one decimal), rates are fractions
 * 0..1 (four decimals); a rate of nothing (e.g. service level with nothing offered) is null. A list report (one row per
 * call or state change) has no total row and says which page of its rows it holds.
 */
public record ReportTable(String report, String from, String to, String zone, String group, List<Column> columns,
                          List<Map<String, Object>> rows, Map<String, Object> total,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Paging page) {

    /** A report of totals per period: every row at once. */
    public ReportTable(String report, String from, String to, String zone, String group, List<Column> columns, List<Map<String, Object>> rows,
                       Map<String, Object> total) {
        this(report, from, to, zone, group, columns, rows, total, null);
    }

    /**
     * The rows of a list report (one row per call or state change) are a page: {@code total} rows in all, these from {@code offset};
     * {@code next}, for a report paged by cursor (the detailed bill), the cursor of the page after this one (none on the last page).
     */
    public record Paging(long total, int limit, int offset, @JsonInclude(JsonInclude.Include.NON_NULL) String next) {
        public Paging(long total, int limit, int offset) {
            this(total, limit, offset, null);
        }
    }

    /** A column: its key in the rows, its kind of value, and its header in English and Chinese. */
    public record Column(String key, Kind kind, String en, String zh) {
        public String label(String lang) {
            return "zh".equals(lang) ? zh : en;
        }
    }

    public enum Kind {
        TEXT, COUNT, SECONDS, RATE,
        /** An exact decimal amount of money (billing, RPT-5). */
        MONEY;

        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return name().toLowerCase();
        }
    }
}
