package dev.hotline.crm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.dhatim.fastexcel.reader.ReadableWorkbook;

/**
 * Customer files (CRM-2): CSV (UTF-8, a byte-order mark for spreadsheet programs) and xlsx, for the template, exports
 * and imports. The columns are {@code name}, {@code phones} (several numbers separated by ';') and one column per
 * field, headed by its label (an import also accepts the field's key); an export adds {@code id}, {@code owner},
 * {@code sharing} and {@code created}, which an import of the same file ignores.
 */
public final class CustomerFiles {
    private CustomerFiles() {}

    public enum Format {
        CSV("csv", "text/csv; charset=utf-8"),
        XLSX("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        private final String extension;
        private final String contentType;

        Format(String extension, String contentType) {
            this.extension = extension;
            this.contentType = contentType;
        }

        public String extension() { return extension; }
        public String contentType() { return contentType; }

        public static java.util.Optional<Format> parse(String s) {
            if (s == null || s.isBlank()) return java.util.Optional.of(CSV);
            String k = s.strip().toLowerCase(Locale.ROOT);
            for (Format f : values()) if (f.extension.equals(k)) return java.util.Optional.of(f);
            return java.util.Optional.empty();
        }

        /** The format of an uploaded file by its name (xlsx, else CSV). */
        public static Format ofFileName(String name) {
            return name != null && name.toLowerCase(Locale.ROOT).endsWith(".xlsx") ? XLSX : CSV;
        }
    }

    static final Set<String> NAME = Set.of("name", "姓名", "名称", "客户名称", "客户");
    static final Set<String> PHONES = Set.of("phones", "phone", "电话", "号码", "手机", "电话号码");
    static final Set<String> EXPORT_ONLY = Set.of("id", "owner", "sharing", "created", "updated", "所有者", "共享");

    /** The header of the template and of exports (without the export-only columns). */
    static List<String> header(List<CustomerField> fields) {
        List<String> h = new ArrayList<>(List.of("name", "phones"));
        for (CustomerField f : fields) h.add(f.label());
        return h;
    }

    /** The template: the header row only. */
    public static void template(Format format, List<CustomerField> fields, OutputStream out) throws IOException {
        write(format, header(fields), List.<List<Object>>of().iterator(), out);
    }

    /** An export: the header, then one row per customer of the chunks. */
    public static void export(Format format, List<CustomerField> fields, Iterator<List<Customer>> chunks, OutputStream out) throws IOException {
        List<String> header = new ArrayList<>(List.of("id"));
        header.addAll(header(fields));
        header.addAll(List.of("owner", "sharing", "created"));
        Iterator<List<Object>> rows = new Iterator<>() {
            Iterator<Customer> current = List.<Customer>of().iterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && chunks.hasNext()) current = chunks.next().iterator();
                return current.hasNext();
            }

            @Override
            public List<Object> next() {
                hasNext();
                Customer c = current.next();
                List<Object> row = new ArrayList<>();
                row.add(c.id());
                row.add(c.name());
                row.add(String.join(";", c.phones().stream().map(Customer.Phone::number).toList()));
                for (CustomerField f : fields) {
                    Object v = c.fields().get(f.key());
                    row.add(v == null ? null : v instanceof List<?> l ? String.join(";", l.stream().map(String::valueOf).toList())
                            : v instanceof BigDecimal b ? b : String.valueOf(v));
                }
                row.add(c.ownerName());
                row.add(c.sharing().key());
                row.add(c.createdAt().toString());
                return row;
            }
        };
        write(format, header, rows, out);
    }

    private static void write(Format format, List<String> header, Iterator<List<Object>> rows, OutputStream out) throws IOException {
        if (format == Format.CSV) {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write('\ufeff');
            CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get());
            while (rows.hasNext()) p.printRecord(rows.next());
            p.flush();
            return;
        }
        Workbook wb = new Workbook(out, "Hotline", "1.0");
        Worksheet ws = wb.newWorksheet("customers");
        for (int c = 0; c < header.size(); c++) {
            ws.value(0, c, header.get(c));
            ws.style(0, c).bold().set();
        }
        int r = 1;
        while (rows.hasNext()) {
            List<Object> row = rows.next();
            for (int c = 0; c < row.size(); c++) {
                Object v = row.get(c);
                if (v instanceof Number n) ws.value(r, c, n);
                else if (v != null) ws.value(r, c, v.toString());
            }
            if (r % 1000 == 0) ws.flush();
            r++;
        }
        wb.finish();
    }

    /** One row of an imported file: its number as a spreadsheet shows it (the header is row 1) and its cells. */
    public record Row(int number, List<Object> cells) {
        Object cell(int i) {
            return i < cells.size() ? cells.get(i) : null;
        }

        boolean blank() {
            return cells.stream().allMatch(FieldType::blank);
        }
    }

    /** Reads {@code in}: the header row to {@code header}, then every row to {@code rows}, streaming. */
    public static void read(Format format, InputStream in, Consumer<List<String>> header, Consumer<Row> rows) throws IOException {
        if (format == Format.CSV) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            r.mark(1);
            if (r.read() != '\ufeff') r.reset();
            try (CSVParser p = CSVParser.parse(r, CSVFormat.DEFAULT)) {
                boolean first = true;
                for (CSVRecord rec : p) {
                    List<Object> cells = new ArrayList<>(rec.size());
                    for (String s : rec) cells.add(s);
                    if (first) {
                        header.accept(cells.stream().map(o -> String.valueOf(o).strip()).toList());
                        first = false;
                    } else {
                        rows.accept(new Row((int) rec.getRecordNumber(), cells));
                    }
                }
                if (first) header.accept(List.of());
            }
            return;
        }
        try (ReadableWorkbook wb = new ReadableWorkbook(in); Stream<org.dhatim.fastexcel.reader.Row> stream = wb.getFirstSheet().openStream()) {
            boolean[] first = {true};
            stream.forEach(x -> {
                List<Object> cells = new ArrayList<>(x.getCellCount());
                for (int i = 0; i < x.getCellCount(); i++) {
                    var cell = x.getCell(i);
                    cells.add(cell == null ? null : cell.getValue());
                }
                if (first[0]) {
                    header.accept(cells.stream().map(o -> o == null ? "" : String.valueOf(o).strip()).toList());
                    first[0] = false;
                } else {
                    rows.accept(new Row(x.getRowNum(), cells));
                }
            });
            if (first[0]) header.accept(List.of());
        }
    }
}
