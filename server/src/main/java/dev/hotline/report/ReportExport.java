package dev.hotline.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * Writes a {@link ReportTable} as CSV (commons-csv) or xlsx (fastexcel): its rows, then the total row if any, same numbers as
 * the JSON. A long table (the detailed bill) is written a row at a time as it is read ({@link #writer}), never held whole.
 */
public final class ReportExport {
    private ReportExport() {}

    /** Rows written one at a time into an export; {@link #close} ends the file (and flushes it to the stream). */
    public interface RowWriter extends AutoCloseable {
        void row(Map<String, Object> row) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** A writer of {@code format} (csv or xlsx) with these columns' headers in {@code lang}, onto {@code out}. */
    public static RowWriter writer(String format, String sheet, List<ReportTable.Column> columns, String lang, OutputStream out)
            throws IOException {
        return switch (format) {
            case "csv" -> csvWriter(columns, lang, out);
            case "xlsx" -> xlsxWriter(sheet, columns, lang, out);
            default -> throw new IllegalArgumentException("format " + format);
        };
    }

    /** CSV with a UTF-8 byte order mark (so that spreadsheet programs read Chinese headers right) and a header row. */
    public static void csv(ReportTable t, String lang, OutputStream out) throws IOException {
        write(t, csvWriter(t.columns(), lang, out));
    }

    /** One worksheet named after the report: a header row, the rows, the total row; numbers as numeric cells. */
    public static void xlsx(ReportTable t, String lang, OutputStream out) throws IOException {
        write(t, xlsxWriter(t.report(), t.columns(), lang, out));
    }

    private static void write(ReportTable t, RowWriter w) throws IOException {
        try (w) {
            for (Map<String, Object> row : t.rows()) w.row(row);
            if (t.total() != null) w.row(t.total());
        }
    }

    private static RowWriter csvWriter(List<ReportTable.Column> columns, String lang, OutputStream out) throws IOException {
        out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        List<String> header = columns.stream().map(c -> c.label(lang)).toList();
        CSVPrinter p = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get());
        return new RowWriter() {
            private final List<Object> values = new ArrayList<>(columns.size());

            @Override
            public void row(Map<String, Object> row) throws IOException {
                values.clear();
                for (ReportTable.Column c : columns) values.add(row.get(c.key()));
                p.printRecord(values);
            }

            @Override
            public void close() throws IOException {
                p.close();
            }
        };
    }

    /** Rows are flushed to the stream every {@value #XLSX_FLUSH_ROWS} (fastexcel keeps only the rows not flushed yet). */
    private static final int XLSX_FLUSH_ROWS = 1_000;

    private static RowWriter xlsxWriter(String sheet, List<ReportTable.Column> cols, String lang, OutputStream out) {
        Workbook wb = new Workbook(out, "Hotline", "1.0");
        // The fastest deflate: a long export is bound by compressing its XML (a few percent larger file).
        wb.setCompressionLevel(1);
        Worksheet ws = wb.newWorksheet(sheet);
        for (int c = 0; c < cols.size(); c++) {
            ws.value(0, c, cols.get(c).label(lang));
            ws.style(0, c).bold().set();
        }
        return new RowWriter() {
            private int r = 1;

            @Override
            public void row(Map<String, Object> row) throws IOException {
                for (int c = 0; c < cols.size(); c++) {
                    Object v = row.get(cols.get(c).key());
                    if (v instanceof Number n) ws.value(r, c, n);
                    else if (v != null) ws.value(r, c, v.toString());
                }
                if (++r % XLSX_FLUSH_ROWS == 0) ws.flush();
            }

            @Override
            public void close() throws IOException {
                wb.finish();
            }
        };
    }
}
