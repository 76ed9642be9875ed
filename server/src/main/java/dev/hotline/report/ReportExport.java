package dev.hotline.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/** Writes a {@link ReportTable} as CSV (commons-csv) or xlsx (fastexcel): its rows, then the total row if any, same numbers as the JSON. */
public final class ReportExport {
    private ReportExport() {}

    /** CSV with a UTF-8 byte order mark (so that spreadsheet programs read Chinese headers right) and a header row. */
    public static void csv(ReportTable t, String lang, OutputStream out) throws IOException {
        out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        List<String> header = t.columns().stream().map(c -> c.label(lang)).toList();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get())) {
            for (Map<String, Object> row : all(t)) {
                List<Object> values = new ArrayList<>();
                for (ReportTable.Column c : t.columns()) values.add(row.get(c.key()));
                p.printRecord(values);
            }
        }
    }

    /** One worksheet named after the report: a header row, the rows, the total row; numbers as numeric cells. */
    public static void xlsx(ReportTable t, String lang, OutputStream out) throws IOException {
        Workbook wb = new Workbook(out, "Hotline", "1.0");
        Worksheet ws = wb.newWorksheet(t.report());
        List<ReportTable.Column> cols = t.columns();
        for (int c = 0; c < cols.size(); c++) {
            ws.value(0, c, cols.get(c).label(lang));
            ws.style(0, c).bold().set();
        }
        int r = 1;
        for (Map<String, Object> row : all(t)) {
            for (int c = 0; c < cols.size(); c++) {
                Object v = row.get(cols.get(c).key());
                if (v instanceof Number n) ws.value(r, c, n);
                else if (v != null) ws.value(r, c, v.toString());
            }
            r++;
        }
        wb.finish();
    }

    private static List<Map<String, Object>> all(ReportTable t) {
        List<Map<String, Object>> rows = new ArrayList<>(t.rows());
        if (t.total() != null) rows.add(t.total());
        return rows;
    }
}
