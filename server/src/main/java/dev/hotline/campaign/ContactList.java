package dev.hotline.campaign;

import dev.hotline.domain.DomainException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;

/**
 * A campaign's list as uploaded: CSV (UTF-8, a header row) or xlsx (the first sheet, a header row). The column
 * {@code number} (or phone, 电话, 号码) is required, {@code name} (or 姓名) optional, every other column is kept as a
 * variable of the row (for Say and for the record the agent sees). Rows with a bad number are errors naming the row.
 */
public final class ContactList {
    private ContactList() {}

    public static final int MAX_ROWS = 100_000;
    static final List<String> NUMBER_HEADERS = List.of("number", "phone", "电话", "号码", "手机");
    static final List<String> NAME_HEADERS = List.of("name", "姓名", "名字");

    /** One good row: its line in the file (1 = the header), the number normalised, the name and the other columns. */
    public record Entry(int line, String number, String name, Map<String, String> vars) {}

    /** One refused row. */
    public record RowError(int line, String field, String message) {}

    public record Parsed(List<ContactList.Entry> rows, List<RowError> errors) {}

    /** Parses {@code bytes} as xlsx when the name ends in .xlsx, otherwise as CSV. */
    public static Parsed parse(String fileName, byte[] bytes) {
        List<List<String>> table = fileName != null && fileName.toLowerCase(Locale.ROOT).endsWith(".xlsx") ? xlsx(bytes) : csv(bytes);
        if (table.isEmpty()) throw DomainException.invalid("file", "empty: a header row with a number column is required");
        List<String> header = table.get(0).stream().map(h -> h.strip().toLowerCase(Locale.ROOT).replace("\uFEFF", "")).toList();
        int numberCol = indexOf(header, NUMBER_HEADERS);
        if (numberCol < 0) throw DomainException.invalid("file", "no number column in the header (number, phone, 电话 or 号码)");
        int nameCol = indexOf(header, NAME_HEADERS);
        if (table.size() - 1 > MAX_ROWS) throw DomainException.invalid("file", "more than " + MAX_ROWS + " rows");
        List<ContactList.Entry> rows = new ArrayList<>();
        List<RowError> errors = new ArrayList<>();
        for (int i = 1; i < table.size(); i++) {
            List<String> cells = table.get(i);
            int line = i + 1;
            if (cells.stream().allMatch(String::isBlank)) continue;
            String raw = cell(cells, numberCol);
            Optional<String> number = normalise(raw);
            if (number.isEmpty()) {
                errors.add(new RowError(line, "number", raw.isBlank() ? "required" : "not a phone number: " + raw));
                continue;
            }
            String name = nameCol < 0 ? null : cell(cells, nameCol).strip();
            if (name != null && name.length() > 128) {
                errors.add(new RowError(line, "name", "at most 128 characters"));
                continue;
            }
            Map<String, String> vars = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                if (c == numberCol || c == nameCol || header.get(c).isBlank()) continue;
                String v = cell(cells, c).strip();
                if (!v.isEmpty()) vars.put(header.get(c), v.length() > 500 ? v.substring(0, 500) : v);
            }
            rows.add(new ContactList.Entry(line, number.get(), name == null || name.isEmpty() ? null : name, vars));
        }
        return new Parsed(rows, errors);
    }

    /** Digits with an optional leading +, 3 to 20 of them; spaces, dashes, dots and brackets are dropped. */
    public static Optional<String> normalise(String raw) {
        if (raw == null) return Optional.empty();
        String s = raw.strip().replaceAll("[\\s\\-().]", "");
        return s.matches("\\+?[0-9]{3,20}") ? Optional.of(s) : Optional.empty();
    }

    private static int indexOf(List<String> header, List<String> names) {
        for (int i = 0; i < header.size(); i++) if (names.contains(header.get(i))) return i;
        return -1;
    }

    private static String cell(List<String> cells, int i) {
        return i < cells.size() && cells.get(i) != null ? cells.get(i) : "";
    }

    private static List<List<String>> csv(byte[] bytes) {
        try (Reader r = new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true).get().parse(r)) {
            List<List<String>> out = new ArrayList<>();
            for (CSVRecord rec : p) {
                if (out.size() > MAX_ROWS + 1) break;
                out.add(rec.toList());
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw DomainException.invalid("file", "not a readable CSV file: " + e.getMessage());
        }
    }

    private static List<List<String>> xlsx(byte[] bytes) {
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(bytes)); Stream<Row> rows = wb.getFirstSheet().openStream()) {
            List<List<String>> out = new ArrayList<>();
            rows.limit(MAX_ROWS + 2L).forEach(row -> {
                List<String> cells = new ArrayList<>();
                for (int c = 0; c < row.getCellCount(); c++) cells.add(row.getOptionalCell(c).map(ContactList::text).orElse(""));
                out.add(cells);
            });
            return out;
        } catch (IOException | RuntimeException e) {
            throw DomainException.invalid("file", "not a readable xlsx file: " + e.getMessage());
        }
    }

    private static String text(Cell c) {
        if (c.getType() == CellType.NUMBER) return c.asNumber().stripTrailingZeros().toPlainString();
        return c.getText() == null ? "" : c.getText();
    }
}
