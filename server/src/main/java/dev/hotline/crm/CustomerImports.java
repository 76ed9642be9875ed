package dev.hotline.crm;

import dev.hotline.domain.DomainException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Customer import jobs (CRM-2). The uploaded file is kept on disk and read by one import thread of its own (never a
 * request, SIP or media thread) in batches of {@link #BATCH} rows, each batch one transaction that also moves the
 * job's progress, so a 100 000-row file imports while calls go on and the console shows how far it got. A row with any
 * bad cell is not imported and each of its problems is reported as (row, column, reason); the other rows are.
 * A row whose number already belongs to a customer the importer may see is skipped, updates that customer (filled cells
 * overwrite, numbers are added) or becomes a new customer, as the importer chose.
 */
public final class CustomerImports implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CustomerImports.class);
    public static final int BATCH = 500;
    public static final int MAX_ERRORS = 10_000;
    public static final long MAX_BYTES = 64L * 1024 * 1024;

    /** A job's life: queued, running, then done or failed; {@link #to} refuses any other move. */
    public enum State {
        QUEUED, RUNNING, DONE, FAILED;

        State to(State next) {
            boolean ok = switch (this) {
                case QUEUED -> next == RUNNING || next == FAILED;
                case RUNNING -> next == DONE || next == FAILED;
                case DONE, FAILED -> false;
            };
            if (!ok) throw new IllegalStateException("import job cannot go from " + this + " to " + next);
            return next;
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What to do with a row whose number matches a customer the importer sees. */
    public enum OnDuplicate {
        SKIP, UPDATE, CREATE;

        static Optional<OnDuplicate> parse(String s) {
            if (s == null || s.isBlank()) return Optional.of(SKIP);
            for (OnDuplicate d : values()) if (d.name().equalsIgnoreCase(s.strip())) return Optional.of(d);
            return Optional.empty();
        }
    }

    public record RowError(int row, String column, String reason) {}

    public record Job(long id, Long userId, String fileName, String format, String onDuplicate, String sharing, String state,
                      int totalRows, int processedRows, int createdRows, int updatedRows, int skippedRows, int failedRows,
                      String failure, Instant createdAt, Instant finishedAt, long errorCount, List<RowError> errors) {}

    private final Jdbi jdbi;
    private final Clock clock;
    private final Path folder;
    private final ExecutorService worker;

    public CustomerImports(Jdbi jdbi, Clock clock, Path dataDir) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.folder = dataDir.resolve("imports");
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "crm-import");
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
        // Jobs a stop interrupted: the rows of finished batches stay; the job says where it stopped.
        jdbi.useHandle(h -> h.createUpdate("UPDATE customer_import SET state = 'failed', failure = 'interrupted by a restart after '"
                + " || CAST(processed_rows AS VARCHAR(12)) || ' rows', finished_at = :t WHERE state IN ('queued', 'running')")
                .bind("t", clock.instant()).execute());
    }

    /** Stores the file and queues the job; the rows are read later, on the import thread. */
    public Job submit(Scope scope, String fileName, InputStream content, String onDuplicate, String sharing) {
        OnDuplicate dup = OnDuplicate.parse(onDuplicate).orElseThrow(() -> DomainException.invalid("onDuplicate", "one of skip, update, create"));
        Sharing share = sharing == null || sharing.isBlank() ? Sharing.PRIVATE
                : Sharing.parse(sharing).orElseThrow(() -> DomainException.invalid("sharing", "one of private, department, enterprise"));
        String name = fileName == null || fileName.isBlank() ? "customers.csv" : Path.of(fileName).getFileName().toString();
        if (name.length() > 128) name = name.substring(name.length() - 128);
        CustomerFiles.Format format = CustomerFiles.Format.ofFileName(name);
        String fileNameFinal = name;
        long id = jdbi.inTransaction(h -> h.createUpdate("""
                INSERT INTO customer_import (enterprise_id, user_id, file_name, file_format, on_duplicate, sharing, state, created_at)
                VALUES (:e, :u, :f, :fmt, :d, :s, 'queued', :t)""")
                .bind("e", scope.enterpriseId()).bind("u", scope.userId()).bind("f", fileNameFinal).bind("fmt", format.extension())
                .bind("d", dup.name().toLowerCase(Locale.ROOT)).bind("s", share.key()).bind("t", clock.instant())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        Path file = folder.resolve(scope.enterpriseId() + "-" + id + "." + format.extension());
        try {
            Files.createDirectories(folder);
            Files.copy(content, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the uploaded file", e);
        }
        worker.execute(() -> run(id, scope, file, format, dup, share));
        return jdbi.withHandle(h -> get(h, scope, id, 0));
    }

    public Job get(Handle h, Scope scope, long id, int errorLimit) {
        var job = h.createQuery("SELECT * FROM customer_import WHERE enterprise_id = :e AND id = :id" + (scope.all() ? "" : " AND user_id = :u"))
                .bind("e", scope.enterpriseId()).bind("id", id).bind("u", scope.userId())
                .map((rs, ctx) -> new Job(rs.getLong("id"), rs.getObject("user_id", Long.class), rs.getString("file_name"), rs.getString("file_format"),
                        rs.getString("on_duplicate"), rs.getString("sharing"), rs.getString("state"), rs.getInt("total_rows"),
                        rs.getInt("processed_rows"), rs.getInt("created_rows"), rs.getInt("updated_rows"), rs.getInt("skipped_rows"),
                        rs.getInt("failed_rows"), rs.getString("failure"), rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("finished_at") == null ? null : rs.getTimestamp("finished_at").toInstant(), 0, List.of()))
                .findOne().orElseThrow(() -> DomainException.notFound("import"));
        long count = h.createQuery("SELECT COUNT(*) FROM customer_import_error WHERE import_id = :id").bind("id", id).mapTo(Long.class).one();
        List<RowError> errors = errorLimit <= 0 ? List.of() : h.createQuery(
                        "SELECT row_no, column_name, reason FROM customer_import_error WHERE import_id = :id ORDER BY row_no, column_name LIMIT :l")
                .bind("id", id).bind("l", errorLimit)
                .map((rs, ctx) -> new RowError(rs.getInt(1), rs.getString(2), rs.getString(3))).list();
        return new Job(job.id(), job.userId(), job.fileName(), job.format(), job.onDuplicate(), job.sharing(), job.state(), job.totalRows(),
                job.processedRows(), job.createdRows(), job.updatedRows(), job.skippedRows(), job.failedRows(), job.failure(), job.createdAt(),
                job.finishedAt(), count, errors);
    }

    /** The caller's jobs (customer.manage: everyone's), newest first. */
    public List<Job> list(Handle h, Scope scope) {
        List<Long> ids = h.createQuery("SELECT id FROM customer_import WHERE enterprise_id = :e" + (scope.all() ? "" : " AND user_id = :u")
                        + " ORDER BY id DESC LIMIT 50")
                .bind("e", scope.enterpriseId()).bind("u", scope.userId()).mapTo(Long.class).list();
        return ids.stream().map(id -> get(h, scope, id, 0)).toList();
    }

    private void move(Handle h, long id, State from, State to, String failure) {
        from.to(to);
        int n = h.createUpdate("UPDATE customer_import SET state = :to, failure = :f, finished_at = :t WHERE id = :id AND state = :from")
                .bind("to", to.key()).bind("f", failure).bindByType("t", to == State.DONE || to == State.FAILED ? clock.instant() : null, Instant.class)
                .bind("id", id).bind("from", from.key()).execute();
        if (n != 1) throw new IllegalStateException("import " + id + " was not " + from);
    }

    /** The columns of a file: which one holds the name, the numbers and each field. */
    private record Columns(List<String> header, int name, int phones, Map<Integer, CustomerField> fields) {
        String of(String problemField) {
            if (problemField.equals("name") && name >= 0) return header.get(name);
            if (problemField.startsWith("phones") && phones >= 0) return header.get(phones);
            if (problemField.startsWith("fields.")) {
                String key = problemField.substring(7);
                for (var e : fields.entrySet()) if (e.getValue().key().equals(key)) return header.get(e.getKey());
                return key;
            }
            return problemField;
        }
    }

    private static Columns columns(List<String> header, List<CustomerField> fields, List<RowError> problems) {
        int name = -1;
        int phones = -1;
        Map<Integer, CustomerField> byColumn = new LinkedHashMap<>();
        Set<Long> used = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i).strip();
            String k = h.toLowerCase(Locale.ROOT);
            if (h.isEmpty()) continue;
            Optional<CustomerField> f = fields.stream().filter(x -> x.key().equals(k) || x.label().equalsIgnoreCase(h)).findFirst();
            if (f.isPresent()) {
                if (!used.add(f.get().id())) problems.add(new RowError(1, h, "the field " + f.get().key() + " is in two columns"));
                byColumn.put(i, f.get());
            } else if (CustomerFiles.NAME.contains(k) && name < 0) {
                name = i;
            } else if (CustomerFiles.PHONES.contains(k) && phones < 0) {
                phones = i;
            } else if (!CustomerFiles.EXPORT_ONLY.contains(k)) {
                problems.add(new RowError(1, h, "unknown column: not name, phones or a customer field"));
            }
        }
        if (name < 0) problems.add(new RowError(1, "name", "the file has no name column"));
        return new Columns(header, name, phones, byColumn);
    }

    /** Counters of one job, moved batch by batch. */
    private static final class Progress {
        int processed;
        int created;
        int updated;
        int skipped;
        int failed;
        int errors;
    }

    private void run(long id, Scope scope, Path file, CustomerFiles.Format format, OnDuplicate dup, Sharing sharing) {
        long started = System.nanoTime();
        try {
            jdbi.useTransaction(h -> move(h, id, State.QUEUED, State.RUNNING, null));
            int[] total = {0};
            try (InputStream in = Files.newInputStream(file)) {
                CustomerFiles.read(format, in, header -> { }, row -> total[0]++);
            }
            jdbi.useHandle(h -> h.createUpdate("UPDATE customer_import SET total_rows = :n WHERE id = :id").bind("n", total[0]).bind("id", id).execute());
            List<CustomerField> fields = jdbi.withHandle(h -> FieldStore.list(h, scope.enterpriseId()));
            Progress p = new Progress();
            List<RowError> headerProblems = new ArrayList<>();
            Columns[] cols = {null};
            List<CustomerFiles.Row> batch = new ArrayList<>(BATCH);
            try (InputStream in = Files.newInputStream(file)) {
                CustomerFiles.read(format, in, header -> cols[0] = columns(header, fields, headerProblems), row -> {
                    if (!headerProblems.isEmpty()) return;
                    batch.add(row);
                    if (batch.size() == BATCH) {
                        jdbi.useTransaction(h -> batch(h, id, scope, cols[0], fields, batch, dup, sharing, p));
                        batch.clear();
                    }
                });
            }
            if (!headerProblems.isEmpty()) {
                jdbi.useTransaction(h -> {
                    writeErrors(h, id, headerProblems, p);
                    move(h, id, State.RUNNING, State.FAILED, "row 1: " + headerProblems.get(0).column() + ": " + headerProblems.get(0).reason());
                });
                return;
            }
            if (!batch.isEmpty()) jdbi.useTransaction(h -> batch(h, id, scope, cols[0], fields, batch, dup, sharing, p));
            jdbi.useTransaction(h -> move(h, id, State.RUNNING, State.DONE, null));
            log.info("customer import {} of enterprise {}: {} rows in {} ms ({} created, {} updated, {} skipped, {} failed)", id,
                    scope.enterpriseId(), p.processed, (System.nanoTime() - started) / 1_000_000, p.created, p.updated, p.skipped, p.failed);
        } catch (Exception e) {
            log.warn("customer import {} failed", id, e);
            String why = e instanceof IOException || e.getCause() instanceof IOException ? "the file cannot be read: " + e.getMessage()
                    : e.getMessage() == null ? e.toString() : e.getMessage();
            try {
                jdbi.useTransaction(h -> {
                    String state = h.createQuery("SELECT state FROM customer_import WHERE id = :id").bind("id", id).mapTo(String.class).one();
                    move(h, id, State.valueOf(state.toUpperCase(Locale.ROOT)), State.FAILED, why.length() > 1000 ? why.substring(0, 1000) : why);
                });
            } catch (RuntimeException again) {
                log.error("cannot mark customer import {} as failed", id, again);
            }
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("cannot delete {}: {}", file, e.toString());
            }
        }
    }

    /** One batch in one transaction: check every row, find duplicates, create and update, record errors and progress. */
    private void batch(Handle h, long id, Scope scope, Columns cols, List<CustomerField> fields, List<CustomerFiles.Row> rows,
                       OnDuplicate dup, Sharing sharing, Progress p) {
        record Good(CustomerFiles.Row row, Customers.Checked checked) {}
        List<RowError> errors = new ArrayList<>();
        List<Good> good = new ArrayList<>();
        for (CustomerFiles.Row row : rows) {
            p.processed++;
            if (row.blank()) {
                p.skipped++;
                continue;
            }
            Customer.Input in = input(row, cols);
            List<RowError> mine = new ArrayList<>();
            Customers.Checked c = Customers.check(in, fields, true, (field, reason) -> mine.add(new RowError(row.number(), cols.of(field), reason)));
            if (mine.isEmpty()) {
                good.add(new Good(row, c));
            } else {
                p.failed++;
                errors.addAll(mine);
            }
        }
        Map<String, Long> existing = dup == OnDuplicate.CREATE ? new HashMap<>() : new HashMap<>(CustomerStore.idsByNumbers(h, scope,
                good.stream().flatMap(g -> g.checked().phones().stream()).map(Customers.Number::normalized).distinct().toList()));
        Map<Long, CustomerStore.Row> toUpdate = new HashMap<>();
        if (dup == OnDuplicate.UPDATE) {
            for (CustomerStore.Row r : CustomerStore.visible(h, scope, new HashSet<>(existing.values()))) toUpdate.put(r.id(), r);
        }
        Map<Long, Customers.Details> details = new LinkedHashMap<>();
        Set<Long> fresh = new HashSet<>();
        Instant now = clock.instant();
        for (Good g : good) {
            Customers.Checked c = g.checked();
            Long match = dup == OnDuplicate.CREATE ? null
                    : c.phones().stream().map(n -> existing.get(n.normalized())).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (match == null) {
                List<RowError> missing = new ArrayList<>();
                if (c.name() == null) missing.add(new RowError(g.row().number(), cols.of("name"), "required"));
                for (CustomerField f : fields) {
                    if (f.required() && !c.values().containsKey(f.id())) missing.add(new RowError(g.row().number(), cols.of("fields." + f.key()), "required"));
                }
                if (!missing.isEmpty()) {
                    p.failed++;
                    errors.addAll(missing);
                    continue;
                }
                long newId = CustomerStore.insert(h, scope.enterpriseId(), c.name(), scope.userId(), sharing, now);
                details.put(newId, new Customers.Details(c.phones(), c.values()));
                fresh.add(newId);
                if (dup != OnDuplicate.CREATE) for (Customers.Number n : c.phones()) existing.putIfAbsent(n.normalized(), newId);
                p.created++;
            } else if (dup == OnDuplicate.SKIP) {
                p.skipped++;
            } else {
                CustomerStore.Row r = toUpdate.get(match);
                Customers.Details before = details.containsKey(match) ? details.get(match)
                        : new Customers.Details(numbers(CustomerStore.phones(h, scope.enterpriseId(), match)), CustomerStore.values(h, scope.enterpriseId(), match));
                List<Customers.Number> phones = new ArrayList<>(before.phones());
                Set<String> have = new HashSet<>(phones.stream().map(Customers.Number::normalized).toList());
                for (Customers.Number n : c.phones()) if (phones.size() < Customers.MAX_PHONES && have.add(n.normalized())) phones.add(n);
                Map<Long, String> values = new HashMap<>(before.values());
                values.putAll(c.values());
                if (c.name() != null) CustomerStore.update(h, scope.enterpriseId(), match, c.name(), r == null ? sharing : r.sharing(), now);
                details.put(match, new Customers.Details(phones, values));
                p.updated++;
            }
        }
        CustomerStore.replaceDetails(h, scope.enterpriseId(), details, fresh);
        writeErrors(h, id, errors, p);
        h.createUpdate("""
                UPDATE customer_import SET processed_rows = :p, created_rows = :c, updated_rows = :u, skipped_rows = :s, failed_rows = :f
                WHERE id = :id""")
                .bind("p", p.processed).bind("c", p.created).bind("u", p.updated).bind("s", p.skipped).bind("f", p.failed).bind("id", id).execute();
    }

    private static List<Customers.Number> numbers(List<Customer.Phone> phones) {
        return phones.stream().map(x -> new Customers.Number(x.number(), x.normalized(),
                PhoneNumbers.parse(x.number()).map(PhoneNumbers.Parsed::digits).orElse(x.normalized()), x.extension(), x.label())).toList();
    }

    private static void writeErrors(Handle h, long id, List<RowError> errors, Progress p) {
        var insert = h.prepareBatch("INSERT INTO customer_import_error (import_id, row_no, column_name, reason) VALUES (:i, :r, :c, :why)");
        for (RowError e : errors) {
            if (p.errors >= MAX_ERRORS) break;
            p.errors++;
            insert.bind("i", id).bind("r", e.row()).bind("c", cut(e.column(), 64)).bind("why", cut(e.reason(), 256)).add();
        }
        if (insert.size() > 0) insert.execute();
    }

    private static String cut(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max);
    }

    /** A row as a customer input: the name cell, the numbers of the phones cell (split on ';' or ','), the field cells. */
    private static Customer.Input input(CustomerFiles.Row row, Columns cols) {
        Object nameCell = cols.name() >= 0 ? row.cell(cols.name()) : null;
        List<Customer.PhoneInput> phones = new ArrayList<>();
        if (cols.phones() >= 0) {
            Object cell = row.cell(cols.phones());
            if (!FieldType.blank(cell)) {
                String text = cell instanceof java.math.BigDecimal b ? b.toPlainString() : String.valueOf(cell);
                for (String part : text.split("[;；]")) if (!part.isBlank()) phones.add(new Customer.PhoneInput(part.strip(), null));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (var e : cols.fields().entrySet()) {
            Object cell = row.cell(e.getKey());
            if (!FieldType.blank(cell)) values.put(e.getValue().key(), cell);
        }
        String name = nameCell == null ? null : nameCell instanceof java.math.BigDecimal b ? b.toPlainString() : String.valueOf(nameCell);
        return new Customer.Input(name, phones, values, null, null);
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
