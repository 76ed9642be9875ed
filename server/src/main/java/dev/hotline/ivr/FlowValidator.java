package dev.hotline.ivr;

import dev.hotline.engine.tts.PromptKey;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a flow before it is published (IVR-3): the start exists, no exit dangles, every node is
 * reachable, prompts exist, and what nodes refer to (extensions, rooms, other flows) exists.
 */
public final class FlowValidator {
    static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,40}");
    static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,31}");
    /** A queue priority (ACD-3): 0..100 or a variable. */
    static final Pattern PRIORITY = Pattern.compile("(100|[1-9]?[0-9])|\\$\\{[A-Za-z0-9_.]+\\}");
    static final Set<String> KEYS = Set.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#");

    /** What a flow may refer to in its enterprise. */
    public record Context(Set<String> extensions, Set<String> rooms, Set<String> flows, Set<String> queues, Set<String> promptFiles,
                          boolean ttsAvailable, Set<String> ringGroups, Set<String> dataSources, Set<String> numberLists) {
        /** Without number lists (ACD-4). */
        public Context(Set<String> extensions, Set<String> rooms, Set<String> flows, Set<String> queues, Set<String> promptFiles,
                       boolean ttsAvailable, Set<String> ringGroups, Set<String> dataSources) {
            this(extensions, rooms, flows, queues, promptFiles, ttsAvailable, ringGroups, dataSources, Set.of());
        }

        /** Without data sources (IVR-1 database lookups). */
        public Context(Set<String> extensions, Set<String> rooms, Set<String> flows, Set<String> queues, Set<String> promptFiles,
                       boolean ttsAvailable, Set<String> ringGroups) {
            this(extensions, rooms, flows, queues, promptFiles, ttsAvailable, ringGroups, Set.of(), Set.of());
        }

        /** Without ring groups (PBX-3). */
        public Context(Set<String> extensions, Set<String> rooms, Set<String> flows, Set<String> queues, Set<String> promptFiles,
                       boolean ttsAvailable) {
            this(extensions, rooms, flows, queues, promptFiles, ttsAvailable, Set.of(), Set.of(), Set.of());
        }
    }

    private FlowValidator() {}

    public static List<Flow.Problem> validate(Flow.Graph g, Context ctx) {
        List<Flow.Problem> p = new ArrayList<>();
        if (g == null || g.nodes().isEmpty()) {
            p.add(new Flow.Problem(null, "nodes", "a flow needs at least one node"));
            return p;
        }
        if (g.start() == null || !g.nodes().containsKey(g.start())) p.add(new Flow.Problem(null, "start", "start node does not exist"));
        for (var en : g.nodes().entrySet()) {
            String id = en.getKey();
            Flow.Node n = en.getValue();
            if (!NODE_ID.matcher(id).matches()) p.add(new Flow.Problem(id, "id", "node ids are 1–40 letters, digits, '_' or '-'"));
            if (n == null) {
                p.add(new Flow.Problem(id, "type", "unknown node type"));
                continue;
            }
            for (var exit : n.exits().entrySet()) {
                if (exit.getValue() == null || exit.getValue().isBlank()) {
                    if (!(n instanceof Flow.Http && exit.getKey().equals("error"))) p.add(new Flow.Problem(id, exit.getKey(), "not connected"));
                } else if (!g.nodes().containsKey(exit.getValue())) {
                    p.add(new Flow.Problem(id, exit.getKey(), "goes to missing node " + exit.getValue()));
                }
            }
            checkNode(id, n, ctx, p);
            if (n instanceof Flow.Db x) checkDb(id, x, ctx, knownVariables(g), p);
        }
        if (g.start() != null && g.nodes().containsKey(g.start())) {
            Set<String> seen = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(List.of(g.start()));
            while (!todo.isEmpty()) {
                String id = todo.pop();
                if (!seen.add(id)) continue;
                Flow.Node n = g.nodes().get(id);
                if (n == null) continue;
                n.exits().values().stream().filter(v -> v != null && g.nodes().containsKey(v)).forEach(todo::push);
            }
            for (String id : g.nodes().keySet()) {
                if (!seen.contains(id)) p.add(new Flow.Problem(id, "id", "unreachable from the start"));
            }
        }
        return p;
    }

    private static void checkNode(String id, Flow.Node n, Context ctx, List<Flow.Problem> p) {
        if (n instanceof Flow.Play x) {
            prompts(id, "prompts", x.prompts(), true, ctx, p);
        } else if (n instanceof Flow.Menu x) {
            prompts(id, "prompts", x.prompts(), true, ctx, p);
            prompts(id, "invalidPrompts", x.invalidPrompts(), false, ctx, p);
            prompts(id, "timeoutPrompts", x.timeoutPrompts(), false, ctx, p);
            if (x.options() == null || x.options().isEmpty()) p.add(new Flow.Problem(id, "options", "a menu needs at least one option"));
            else x.options().keySet().stream().filter(k -> !KEYS.contains(k))
                    .forEach(k -> p.add(new Flow.Problem(id, "options." + k, "keys are 0-9, * or #")));
            range(id, "timeoutSeconds", x.timeoutSeconds(), 1, 30, p);
            range(id, "retries", x.retries(), 0, 5, p);
        } else if (n instanceof Flow.Collect x) {
            prompts(id, "prompts", x.prompts(), false, ctx, p);
            variable(id, x.variable(), p);
            range(id, "maxDigits", x.maxDigits(), 1, 32, p);
            range(id, "timeoutSeconds", x.timeoutSeconds(), 1, 60, p);
            if (x.terminator() != null && !Set.of("", "#", "*").contains(x.terminator())) p.add(new Flow.Problem(id, "terminator", "#, * or none"));
        } else if (n instanceof Flow.Time x) {
            try {
                if (x.timezone() != null) ZoneId.of(x.timezone());
            } catch (RuntimeException e) {
                p.add(new Flow.Problem(id, "timezone", "unknown time zone"));
            }
            if (x.weekly() != null) {
                for (int i = 0; i < x.weekly().size(); i++) {
                    var w = x.weekly().get(i);
                    if (w.days() == null || w.days().isEmpty() || w.days().stream().anyMatch(d -> d == null || d < 1 || d > 7)) {
                        p.add(new Flow.Problem(id, "weekly." + i + ".days", "days 1 (Monday) to 7 (Sunday)"));
                    }
                    times(id, "weekly." + i, w.from(), w.to(), p);
                }
            }
            if (x.holidays() != null) for (String d : x.holidays()) date(id, "holidays", d, p);
            if (x.specialDays() != null) {
                for (int i = 0; i < x.specialDays().size(); i++) {
                    var s = x.specialDays().get(i);
                    date(id, "specialDays." + i + ".date", s.date(), p);
                    times(id, "specialDays." + i, s.from(), s.to(), p);
                }
            }
        } else if (n instanceof Flow.SetVar x) {
            variable(id, x.variable(), p);
        } else if (n instanceof Flow.Http x) {
            if (x.method() != null && !Set.of("GET", "POST").contains(x.method())) p.add(new Flow.Problem(id, "method", "GET or POST"));
            if (x.url() == null || !(x.url().startsWith("http://") || x.url().startsWith("https://"))) {
                p.add(new Flow.Problem(id, "url", "an http:// or https:// address"));
            }
            range(id, "timeoutMs", x.timeoutMs(), 100, 10_000, p);
            if (x.assign() != null) x.assign().keySet().forEach(v -> variable(id, v, p));
        } else if (n instanceof Flow.Say x) {
            if (x.value() == null || x.value().isBlank()) p.add(new Flow.Problem(id, "value", "required"));
            if (x.as() == null || !Set.of("digits", "number", "amount", "date", "time").contains(x.as())) {
                p.add(new Flow.Problem(id, "as", "digits, number, amount, date or time"));
            }
        } else if (n instanceof Flow.LanguageChoice x) {
            prompts(id, "prompts", x.prompts(), false, ctx, p);
            if (x.options() == null || x.options().isEmpty()) p.add(new Flow.Problem(id, "options", "at least one language"));
            else x.options().forEach((k, v) -> {
                if (!KEYS.contains(k)) p.add(new Flow.Problem(id, "options." + k, "keys are 0-9, * or #"));
                if (!Set.of("zh", "en").contains(v)) p.add(new Flow.Problem(id, "options." + k, "zh or en"));
            });
        } else if (n instanceof Flow.CustomerCheck x) {
            if (x.field() == null || !x.field().matches("[A-Za-z0-9_.-]{1,64}")) p.add(new Flow.Problem(id, "field", "the key of a customer field"));
            if (x.value() == null || x.value().isBlank()) p.add(new Flow.Problem(id, "value", "required, e.g. ${pin}"));
        } else if (n instanceof Flow.TicketStatus x) {
            prompts(id, "prompts", x.prompts(), false, ctx, p);
            range(id, "retries", x.retries(), 0, 5, p);
            range(id, "timeoutSeconds", x.timeoutSeconds(), 3, 60, p);
            if (!ctx.ttsAvailable()) p.add(new Flow.Problem(id, "type", "speaking a ticket's status needs espeak-ng on the server (apt-get install espeak-ng)"));
        } else if (n instanceof Flow.Priority x) {
            if (x.value() == null || x.value().isBlank()) p.add(new Flow.Problem(id, "value", "required: 0..100 or a ${variable}"));
            else if (!PRIORITY.matcher(x.value().strip()).matches()) p.add(new Flow.Problem(id, "value", "0..100 or a ${variable}"));
        } else if (n instanceof Flow.CallerMatch x) {
            boolean noAreas = x.areas() == null || x.areas().isEmpty();
            boolean noList = x.list() == null || x.list().isBlank();
            if (noAreas && noList) p.add(new Flow.Problem(id, "areas", "an area code or a number list is required"));
            if (!noAreas) {
                for (int i = 0; i < x.areas().size(); i++) {
                    if (CallerNumbers.prefix(x.areas().get(i)) == null) {
                        p.add(new Flow.Problem(id, "areas." + i, "an area code such as 010 or 0755, or a mobile prefix such as 138"));
                    }
                }
            }
            if (!noList && !ctx.numberLists().contains(x.list())) p.add(new Flow.Problem(id, "list", "no such number list"));
        } else if (n instanceof Flow.Survey x) {
            if (x.language() != null && !Set.of("zh", "en").contains(x.language())) p.add(new Flow.Problem(id, "language", "zh, en or none"));
        } else if (n instanceof Flow.Return x) {
            if (x.result() != null && x.result().length() > 200) p.add(new Flow.Problem(id, "result", "at most 200 characters"));
        } else if (n instanceof Flow.Goto x) {
            if (x.flow() == null || !ctx.flows().contains(x.flow())) p.add(new Flow.Problem(id, "flow", "no such flow"));
        } else if (n instanceof Flow.Voicemail x) {
            if ("extension".equals(x.boxType())) {
                if (!ctx.extensions().contains(x.box())) p.add(new Flow.Problem(id, "box", "no such extension"));
            } else if ("queue".equals(x.boxType())) {
                if (!ctx.queues().contains(x.box())) p.add(new Flow.Problem(id, "box", "no such queue"));
            } else {
                p.add(new Flow.Problem(id, "boxType", "extension or queue"));
            }
        } else if (n instanceof Flow.Transfer x) {
            String target = x.target() == null ? "" : x.target();
            switch (target) {
                case "extension" -> {
                    if (!ctx.extensions().contains(x.value())) p.add(new Flow.Problem(id, "value", "no such extension"));
                }
                case "conference" -> {
                    if (!ctx.rooms().contains(x.value())) p.add(new Flow.Problem(id, "value", "no such conference room"));
                }
                case "ringgroup" -> {
                    if (!ctx.ringGroups().contains(x.value())) p.add(new Flow.Problem(id, "value", "no such ring group"));
                }
                case "external" -> {
                    if (x.value() == null || !x.value().matches("\\+?[0-9]{2,32}")) p.add(new Flow.Problem(id, "value", "a phone number"));
                }
                case "queue" -> {
                    if (!ctx.queues().contains(x.value())) p.add(new Flow.Problem(id, "value", "no such queue"));
                    if (x.priority() != null && !x.priority().isBlank() && !PRIORITY.matcher(x.priority()).matches()) {
                        p.add(new Flow.Problem(id, "priority", "0..100 or a ${variable}"));
                    }
                }
                default -> p.add(new Flow.Problem(id, "target", "extension, queue, ring group, conference or external"));
            }
        }
    }

    /** Variables every call has or that the IVR's nodes set themselves. */
    static final Set<String> BUILT_IN_VARIABLES = Set.of("caller", "callee", "language", "lastKey", "httpStatus", "customerFound",
            "ticketFound", "ticketNumber", "ticketStatus", "dbStatus", "dbRows", "callerArea");

    /** The variables a flow can have: the built-in ones and those its nodes set (collect, set, HTTP and database assignments). */
    static Set<String> knownVariables(Flow.Graph g) {
        Set<String> vars = new HashSet<>(BUILT_IN_VARIABLES);
        for (Flow.Node n : g.nodes().values()) {
            if (n instanceof Flow.Collect x && x.variable() != null) vars.add(x.variable());
            if (n instanceof Flow.SetVar x && x.variable() != null) vars.add(x.variable());
            if (n instanceof Flow.Http x && x.assign() != null) vars.addAll(x.assign().keySet());
            if (n instanceof Flow.Db x && x.assign() != null) vars.addAll(x.assign().keySet());
        }
        return vars;
    }

    /** IVR-1: the database lookup names a source of the enterprise and one read-only query whose variables the flow has. */
    private static void checkDb(String id, Flow.Db x, Context ctx, Set<String> known, List<Flow.Problem> p) {
        if (x.source() == null || x.source().isBlank()) p.add(new Flow.Problem(id, "source", "required"));
        else if (!ctx.dataSources().contains(x.source())) p.add(new Flow.Problem(id, "source", "no such data source"));
        String problem = DataSources.readOnlyProblem(x.query());
        if (problem != null) {
            p.add(new Flow.Problem(id, "query", problem));
        } else {
            DataSources.variables(x.query()).stream().filter(v -> !known.contains(v)).distinct()
                    .forEach(v -> p.add(new Flow.Problem(id, "query", "unknown variable " + v)));
        }
        if (x.assign() != null) {
            x.assign().forEach((var, column) -> {
                variable(id, var, p);
                if (column == null || !column.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) p.add(new Flow.Problem(id, "assign." + var, "a column label"));
            });
        }
    }

    private static void prompts(String id, String field, List<Flow.Prompt> prompts, boolean required, Context ctx, List<Flow.Problem> p) {
        if (prompts == null || prompts.isEmpty()) {
            if (required) p.add(new Flow.Problem(id, field, "needs at least one prompt"));
            return;
        }
        for (int i = 0; i < prompts.size(); i++) {
            Flow.Prompt pr = prompts.get(i);
            String f = field + "." + i;
            int kinds = (pr.tts() != null ? 1 : 0) + (pr.prompt() != null ? 1 : 0) + (pr.file() != null ? 1 : 0);
            if (kinds != 1) {
                p.add(new Flow.Problem(id, f, "one of tts, prompt or file"));
            } else if (pr.tts() != null) {
                if (pr.tts().isBlank() || pr.tts().length() > 1000) p.add(new Flow.Problem(id, f, "text of 1–1000 characters"));
                else if (!ctx.ttsAvailable()) p.add(new Flow.Problem(id, f, "text to speech needs espeak-ng on the server (apt-get install espeak-ng)"));
            } else if (pr.prompt() != null) {
                try {
                    PromptKey.valueOf(pr.prompt());
                } catch (IllegalArgumentException e) {
                    p.add(new Flow.Problem(id, f, "no shipped prompt " + pr.prompt()));
                }
            } else if (!ctx.promptFiles().contains(pr.file())) {
                p.add(new Flow.Problem(id, f, "no uploaded prompt " + pr.file()));
            }
        }
    }

    private static void variable(String id, String v, List<Flow.Problem> p) {
        if (v == null || !VARIABLE.matcher(v).matches()) p.add(new Flow.Problem(id, "variable", "a name of letters, digits and '_'"));
    }

    private static void range(String id, String field, Integer v, int min, int max, List<Flow.Problem> p) {
        if (v != null && (v < min || v > max)) p.add(new Flow.Problem(id, field, min + ".." + max));
    }

    private static void times(String id, String field, String from, String to, List<Flow.Problem> p) {
        try {
            LocalTime start = LocalTime.parse(from);
            if (!Flow.Time.isEndOfDay(to) && !start.isBefore(LocalTime.parse(to))) p.add(new Flow.Problem(id, field, "from must be before to"));
        } catch (RuntimeException e) {
            p.add(new Flow.Problem(id, field, "times as HH:MM (24:00 for the end of the day)"));
        }
    }

    private static void date(String id, String field, String d, List<Flow.Problem> p) {
        try {
            LocalDate.parse(d);
        } catch (RuntimeException e) {
            p.add(new Flow.Problem(id, field, "dates as YYYY-MM-DD"));
        }
    }

    /** Problems as API field errors: field "nodes.<id>.<prop>". */
    public static List<dev.hotline.domain.DomainException.FieldError> asFieldErrors(List<Flow.Problem> problems) {
        return problems.stream().map(x -> new dev.hotline.domain.DomainException.FieldError(
                x.node() == null ? x.field() : "nodes." + x.node() + "." + x.field(), x.message())).toList();
    }

}
