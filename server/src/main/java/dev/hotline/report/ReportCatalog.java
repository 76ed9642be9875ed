package dev.hotline.report;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The reports under {@code /api/v1/reports/{name}} by name, with the filters each takes: what the report routes register
 * (this package's and other features' reports, e.g. the satisfaction survey's) and what scheduled reports (MSG-2) run, so
 * that a scheduled report is built by the very code of its route.
 */
public final class ReportCatalog {
    /** The filters a report takes besides the period; any other is a 400 naming it. */
    public enum Filter {
        QUEUE("queue (name)"), AGENT("agent (user id)"), DEPARTMENT("department (id: its agents and those of its sub-departments)"),
        NUMBER("number (called or calling)"),
        OUTCOME("outcome (answered, voicemail, ivr_only, left_ivr, abandoned_queued, abandoned_ringing, not_answered, or lost: the four"
                + " ways of loss)"),
        PAGE("limit (1-1000, default 50; exports: every row, at most 100 000) and offset");

        final String doc;

        Filter(String doc) {
            this.doc = doc;
        }

        public String key() {
            return name().toLowerCase();
        }
    }

    /** Builds one report's table for a query. */
    @FunctionalInterface
    public interface Build {
        ReportTable build(Handle h, long enterpriseId, Reports.Query q);
    }

    /** One report: its name (the path segment), how it is built and which filters it takes. */
    public record Entry(String name, Build build, Set<Filter> filters) {
        public boolean takes(Filter f) {
            return filters.contains(f);
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    synchronized void add(String name, Build build, Filter... filters) {
        Set<Filter> takes = EnumSet.noneOf(Filter.class);
        takes.addAll(List.of(filters));
        if (entries.putIfAbsent(name, new Entry(name, build, Set.copyOf(takes))) != null) {
            throw new IllegalStateException("report " + name + " registered twice");
        }
    }

    public synchronized Optional<Entry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** The agents of a department and its sub-departments (the department filter), empty when the enterprise has no such department. */
    public static Optional<Set<Long>> departmentAgents(Handle h, long enterpriseId, long departmentId) {
        return ReportStore.departmentAgents(h, enterpriseId, departmentId);
    }

    /** The reports' names in the order they were registered. */
    public synchronized List<String> names() {
        return new ArrayList<>(entries.keySet());
    }
}
