package dev.hotline.ivr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.NextValExpression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.ParenthesedStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.delete.ParenthesedDelete;
import net.sf.jsqlparser.statement.insert.ParenthesedInsert;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.ParenthesedUpdate;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * IVR-1: whether a database lookup's query only reads, decided on its syntax tree (JSqlParser), at publish and again before
 * every run. Accepted: one SELECT (or WITH … SELECT), no SELECT … INTO, no FOR UPDATE/SHARE, no data-changing statement
 * nested in it (PostgreSQL's {@code WITH x AS (DELETE …)}), no function known to write or to reach outside the database, and
 * every {@code ${var}} outside quotes. A query the parser cannot read is refused. This is one of two guards: the lookup also
 * runs in a transaction that is always rolled back (DataSources), so a write through a function the check does not know is
 * undone, and on H2 a lookup that wrote fails.
 */
final class ReadOnlyQuery {
    private ReadOnlyQuery() {}

    /** Functions that write, change the session, lock, or reach files and other servers (PostgreSQL and H2 names). */
    static final Set<String> FORBIDDEN_FUNCTIONS = Set.of(
            "NEXTVAL", "SETVAL", "NEXT_VALUE", "CURRVAL", "LASTVAL", "SET", "SET_CONFIG",
            "CSVWRITE", "CSVREAD", "FILE_WRITE", "FILE_READ", "LINK_SCHEMA", "ABORT_SESSION", "CANCEL_SESSION", "DISK_SPACE_USED",
            "LO_IMPORT", "LO_EXPORT", "LO_UNLINK", "LO_CREATE", "LO_FROM_BYTEA", "LO_PUT", "DBLINK", "DBLINK_EXEC", "DBLINK_CONNECT",
            "PG_READ_FILE", "PG_READ_BINARY_FILE", "PG_LS_DIR", "PG_STAT_FILE", "PG_TERMINATE_BACKEND", "PG_CANCEL_BACKEND",
            "PG_RELOAD_CONF", "PG_ROTATE_LOGFILE", "PG_NOTIFY", "PG_ADVISORY_LOCK", "PG_ADVISORY_XACT_LOCK",
            "PG_ADVISORY_LOCK_SHARED", "PG_ADVISORY_XACT_LOCK_SHARED", "PG_TRY_ADVISORY_LOCK", "PG_TRY_ADVISORY_XACT_LOCK",
            "TXID_CURRENT", "PG_CURRENT_XACT_ID", "PG_SWITCH_WAL", "PG_CREATE_RESTORE_POINT", "QUERY_TO_XML", "QUERY_TO_XML_AND_XMLSCHEMA",
            "CURSOR_TO_XML", "TABLE_TO_XML");

    /** Queries already judged (the flows' queries are few and each is checked before every lookup). */
    private static final Map<String, String> JUDGED = new ConcurrentHashMap<>();

    /** Why {@code query} is not one read-only statement, or null when it is. */
    static String problem(String query) {
        if (query == null || query.isBlank()) return "required";
        if (query.length() > 4000) return "at most 4000 characters";
        String known = JUDGED.get(query);
        if (known != null) return known.isEmpty() ? null : known;
        String problem = judge(query);
        if (JUDGED.size() > 2000) JUDGED.clear();
        JUDGED.put(query, problem == null ? "" : problem);
        return problem;
    }

    private static String judge(String query) {
        DataSources.Bound bound = DataSources.bind(query);
        Statements statements;
        try {
            statements = CCJSqlParserUtil.parseStatements(bound.sql());
        } catch (JSQLParserException | RuntimeException e) {
            String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : String.valueOf(e.getMessage());
            return "not SQL that can be read: " + why.lines().findFirst().orElse("").strip();
        }
        if (statements == null || statements.isEmpty()) return "required";
        if (statements.size() > 1) return "a single statement (no ';' between statements)";
        Statement st = statements.get(0);
        if (!(st instanceof Select select)) return "only a SELECT (or WITH … SELECT) query";
        Finder finder = new Finder();
        try {
            finder.getTables((Statement) select);
        } catch (UnsupportedOperationException e) {
            // a part of the tree the finder does not walk: not judged, so not accepted
            return "not SQL that can be checked: " + e.getMessage();
        }
        if (!finder.problems.isEmpty()) return "only reads: " + finder.problems.get(0) + " is not allowed";
        if (finder.parameters != bound.variables().size()) return "write ${variable} without quotes: it is bound as a parameter";
        return null;
    }

    /** Walks the whole tree (every subquery, expression and WITH item), noting what writes or locks and counting the parameters. */
    private static final class Finder extends TablesNamesFinder<Void> {
        final List<String> problems = new ArrayList<>();
        int parameters;

        @Override
        public <S> Void visit(PlainSelect select, S context) {
            if (select.getIntoTables() != null && !select.getIntoTables().isEmpty() || select.getIntoTempTable() != null) problems.add("INTO");
            if (select.getForMode() != null) problems.add("FOR " + select.getForMode().getValue().toUpperCase(Locale.ROOT));
            return super.visit(select, context);
        }

        @Override
        public <S> Void visit(Function function, S context) {
            String name = function.getName() == null ? "" : function.getName().toUpperCase(Locale.ROOT);
            String last = name.substring(name.lastIndexOf('.') + 1).replace("\"", "");
            if (FORBIDDEN_FUNCTIONS.contains(last)) problems.add(last);
            return super.visit(function, context);
        }

        @Override
        public <S> Void visit(NextValExpression next, S context) {
            problems.add("NEXT VALUE FOR");
            return super.visit(next, context);
        }

        @Override
        public <S> Void visit(JdbcParameter parameter, S context) {
            parameters++;
            return super.visit(parameter, context);
        }

        @Override
        public <S> Void visit(WithItem<?> item, S context) {
            ParenthesedStatement body = item.getParenthesedStatement();
            if (body instanceof ParenthesedInsert) problems.add("INSERT");
            else if (body instanceof ParenthesedUpdate) problems.add("UPDATE");
            else if (body instanceof ParenthesedDelete) problems.add("DELETE");
            else if (!(body instanceof ParenthesedSelect)) problems.add(body == null ? "an empty WITH" : body.getClass().getSimpleName());
            else return super.visit(item, context);
            return null;
        }

        @Override
        public <S> Void visit(ParenthesedInsert insert, S context) {
            problems.add("INSERT");
            return null;
        }

        @Override
        public <S> Void visit(ParenthesedUpdate update, S context) {
            problems.add("UPDATE");
            return null;
        }

        @Override
        public <S> Void visit(ParenthesedDelete delete, S context) {
            problems.add("DELETE");
            return null;
        }
    }
}
