package dev.hotline.contract;

import dev.hotline.crm.Scope;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.report.ReportExport;
import dev.hotline.report.ReportTable.Column;
import dev.hotline.report.ReportTable.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Contracts of customers (BIZ-4, seed 002 4.2.12 "转入合同管理" and 4.2.13 合同管理): a number unique in the enterprise, a
 * title, an exact amount, start and end dates, a status changed only through {@link #move}, an optional attached file
 * (kept in the data folder, {@code contracts/<enterprise>/<id>}) and the orders of the customer it covers (an order in one
 * contract at most). A contract is seen by whoever may see its customer (CRM-3): the reader's {@link Scope} is in every
 * query.
 */
public final class Contracts {
    static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999.99");
    public static final long MAX_FILE_BYTES = 10L * 1024 * 1024;

    private final Clock clock;
    private final Path root;

    public Contracts(Path dataDir, Clock clock) {
        this.root = dataDir.resolve("contracts");
        this.clock = clock;
    }

    public record Input(Long customerId, String contractNumber, String title, BigDecimal amount, LocalDate startDate, LocalDate endDate, String note,
                        List<Long> orderIds) {}

    public record MoveInput(String status) {}

    public record Page(long total, int limit, int offset, List<Contract> items) {}

    public Contract get(Handle h, Scope scope, long id) {
        return ContractStore.get(h, scope, id).orElseThrow(() -> DomainException.notFound("contract"));
    }

    public Contract.Detail detail(Handle h, Scope scope, long id) {
        Contract k = get(h, scope, id);
        ContractStatus s = ContractStatus.parse(k.status()).orElseThrow();
        return new Contract.Detail(k, ContractStore.orders(h, id), s.next().stream().map(ContractStatus::key).toList());
    }

    public Page list(Handle h, Scope scope, ContractStore.Filter f) {
        return new Page(ContractStore.count(h, scope, f), f.limit(), f.offset(), ContractStore.list(h, scope, f));
    }

    /** A new draft contract for a customer the user may see. */
    public Contract.Detail create(Handle h, Scope scope, long user, Input in) {
        Validator v = Validator.of().required("customerId", in.customerId());
        if (in.customerId() != null) v.check(ContractStore.customerVisible(h, scope, in.customerId()), "customerId", "no such customer");
        List<Long> orders = check(h, scope.enterpriseId(), null, in, in.customerId(), v);
        String number = Validator.clean(in.contractNumber());
        Instant now = clock.instant();
        long id = ContractStore.insert(h, scope.enterpriseId(), in.customerId(), number, in.title().strip(), amount(in), in.startDate(), in.endDate(),
                Validator.clean(in.note()), user, now);
        ContractStore.setOrders(h, id, orders);
        return detail(h, scope, id);
    }

    /** Changes a draft or active contract (the customer stays); an expired or terminated one is a 409. */
    public Contract.Detail update(Handle h, Scope scope, long id, Input in) {
        Contract k = get(h, scope, id);
        ContractStatus s = ContractStatus.parse(k.status()).orElseThrow();
        if (!s.editable()) throw DomainException.conflict("a contract that is " + s.key() + " cannot be changed", "status", "no longer in force");
        Validator v = Validator.of();
        v.check(in.customerId() == null || in.customerId() == k.customerId(), "customerId", "a contract stays with its customer");
        List<Long> orders = check(h, scope.enterpriseId(), id, in, k.customerId(), v);
        if (!ContractStore.update(h, scope.enterpriseId(), id, s, Validator.clean(in.contractNumber()), in.title().strip(), amount(in), in.startDate(),
                in.endDate(), Validator.clean(in.note()), clock.instant())) {
            throw DomainException.conflict("the contract changed meanwhile", "status", "changed meanwhile");
        }
        ContractStore.setOrders(h, id, orders);
        return detail(h, scope, id);
    }

    private static BigDecimal amount(Input in) {
        return in.amount().setScale(2, RoundingMode.UNNECESSARY);
    }

    /** Checks the fields (400 naming each), the number's uniqueness and the orders (409 naming them); the order ids. */
    private List<Long> check(Handle h, long e, Long id, Input in, Long customerId, Validator v) {
        String number = Validator.clean(in.contractNumber());
        v.required("contractNumber", number).required("title", Validator.clean(in.title())).required("amount", in.amount())
                .required("startDate", in.startDate()).required("endDate", in.endDate())
                .matches("contractNumber", number, "[A-Za-z0-9][A-Za-z0-9_./-]{0,39}", "letters, digits, _ . / - (at most 40)")
                .maxLength("title", in.title(), 200).maxLength("note", in.note(), 2000);
        if (in.amount() != null) {
            v.check(in.amount().signum() >= 0 && in.amount().compareTo(MAX_AMOUNT) <= 0, "amount", "0 .. 999999999999.99");
            v.check(in.amount().stripTrailingZeros().scale() <= 2, "amount", "at most two decimals");
        }
        if (in.startDate() != null && in.endDate() != null) v.check(!in.endDate().isBefore(in.startDate()), "endDate", "on or after startDate");
        List<Long> orders = new ArrayList<>(new LinkedHashSet<>(in.orderIds() == null ? List.<Long>of() : in.orderIds()));
        v.check(orders.size() <= 200, "orderIds", "at most 200 orders");
        for (int i = 0; i < orders.size() && i < 200; i++) {
            Long o = orders.get(i);
            v.check(o != null && customerId != null && ContractStore.orderOfCustomer(h, e, o, customerId), "orderIds[" + i + "]", "no such order of the customer");
        }
        v.throwIfInvalid();
        Optional<Long> same = ContractStore.byNumber(h, e, number);
        if (same.isPresent() && !same.get().equals(id)) throw DomainException.conflict("the contract number exists", "contractNumber", "already used");
        for (int i = 0; i < orders.size(); i++) {
            var other = ContractStore.otherContract(h, orders.get(i), id);
            if (other.isPresent()) throw DomainException.conflict("the order is in contract " + other.get(), "orderIds[" + i + "]", "in contract " + other.get());
        }
        return orders;
    }

    /** The one way a contract's status changes: checked (409 naming both states) and applied if nobody moved it meanwhile. */
    public Contract.Detail move(Handle h, Scope scope, long id, MoveInput in) {
        Contract k = get(h, scope, id);
        String status = in == null ? null : Validator.clean(in.status());
        Validator.of().required("status", status)
                .check(status == null || ContractStatus.parse(status).isPresent(), "status", "one of draft, active, expired, terminated").throwIfInvalid();
        ContractStatus from = ContractStatus.parse(k.status()).orElseThrow();
        ContractStatus to = from.moveTo(ContractStatus.parse(status).orElseThrow());
        if (!ContractStore.updateStatus(h, scope.enterpriseId(), id, from, to, clock.instant())) {
            throw DomainException.conflict("the contract changed meanwhile", "status", "changed meanwhile");
        }
        return detail(h, scope, id);
    }

    /** Deletes a draft (409 otherwise) with its file. */
    public void delete(Handle h, Scope scope, long id) {
        Contract k = get(h, scope, id);
        ContractStatus s = ContractStatus.parse(k.status()).orElseThrow();
        if (!s.deletable()) throw DomainException.conflict("a contract that is " + s.key() + " cannot be deleted (terminate it)", "status", "not a draft");
        ContractStore.delete(h, scope.enterpriseId(), id);
        try {
            Files.deleteIfExists(file(scope.enterpriseId(), id));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    // ---- the attached file

    /** Attaches (or replaces) the contract's file; an empty file or one over 10 MB is a 400 naming {@code file}. */
    public Contract.Detail attach(Handle h, Scope scope, long id, String name, String contentType, byte[] content) {
        Contract k = get(h, scope, id);
        if (!ContractStatus.parse(k.status()).orElseThrow().editable()) {
            throw DomainException.conflict("a contract that is " + k.status() + " cannot be changed", "status", "no longer in force");
        }
        String fileName = name == null || name.isBlank() ? "contract" : Path.of(name.strip()).getFileName().toString();
        if (fileName.length() > 200) fileName = fileName.substring(fileName.length() - 200);
        String type = contentType == null || !contentType.matches("[\\w.+-]+/[\\w.+-]+") ? "application/octet-stream" : contentType;
        if (content == null || content.length == 0) throw DomainException.invalid("file", "required");
        if (content.length > MAX_FILE_BYTES) throw DomainException.invalid("file", "at most " + MAX_FILE_BYTES / 1024 / 1024 + " MB");
        Path file = file(scope.enterpriseId(), id);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "contract", ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        ContractStore.setFile(h, scope.enterpriseId(), id, fileName, type, (long) content.length, clock.instant());
        return detail(h, scope, id);
    }

    /** The attached file: its description and path; 404 when the contract has none. */
    public Map.Entry<Contract.Attachment, Path> file(Handle h, Scope scope, long id) {
        Contract k = get(h, scope, id);
        Path file = file(scope.enterpriseId(), id);
        if (k.file() == null || !Files.isRegularFile(file)) throw DomainException.notFound("file");
        return Map.entry(k.file(), file);
    }

    public Contract.Detail detach(Handle h, Scope scope, long id) {
        Contract k = get(h, scope, id);
        if (!ContractStatus.parse(k.status()).orElseThrow().editable()) {
            throw DomainException.conflict("a contract that is " + k.status() + " cannot be changed", "status", "no longer in force");
        }
        ContractStore.setFile(h, scope.enterpriseId(), id, null, null, null, clock.instant());
        try {
            Files.deleteIfExists(file(scope.enterpriseId(), id));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return detail(h, scope, id);
    }

    private Path file(long e, long id) {
        return root.resolve(Long.toString(e)).resolve(Long.toString(id));
    }

    // ---- export (the call reports' writer: CSV with a BOM or xlsx, headers in en or zh)

    static final List<Column> COLUMNS = List.of(
            new Column("contractNumber", Kind.TEXT, "Contract number", "合同编号"), new Column("title", Kind.TEXT, "Title", "标题"),
            new Column("customer", Kind.TEXT, "Customer", "客户"), new Column("amount", Kind.MONEY, "Amount", "金额"),
            new Column("startDate", Kind.TEXT, "Start", "开始日期"), new Column("endDate", Kind.TEXT, "End", "结束日期"),
            new Column("status", Kind.TEXT, "Status", "状态"), new Column("orders", Kind.TEXT, "Orders", "订单"),
            new Column("creator", Kind.TEXT, "Created by", "创建人"));

    static final Map<String, String> STATUS_ZH = Map.of("draft", "草稿", "active", "生效", "expired", "已到期", "terminated", "已终止");

    public void export(Handle h, Scope scope, ContractStore.Filter f, String format, String lang, OutputStream out) throws IOException {
        try (ReportExport.RowWriter w = ReportExport.writer(format, "contracts", COLUMNS, lang, out)) {
            int chunk = 1000;
            for (int offset = 0; offset < 100_000; offset += chunk) {
                var page = ContractStore.list(h, scope, new ContractStore.Filter(f.customerId(), f.status(), f.q(), chunk, offset));
                for (Contract k : page) {
                    Map<String, Object> row = new HashMap<>();
                    row.put("contractNumber", k.contractNumber());
                    row.put("title", k.title());
                    row.put("customer", k.customerName());
                    row.put("amount", k.amount());
                    row.put("startDate", k.startDate().toString());
                    row.put("endDate", k.endDate().toString());
                    row.put("status", "zh".equals(lang) ? STATUS_ZH.getOrDefault(k.status(), k.status()) : k.status());
                    row.put("orders", String.join(" ", ContractStore.orders(h, k.id()).stream().map(Contract.OrderRef::orderNumber).toList()));
                    row.put("creator", k.creator());
                    w.row(row);
                }
                if (page.size() < chunk) break;
            }
        }
    }
}
