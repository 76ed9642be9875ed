package dev.hotline.ivr;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An IVR flow as a graph (IVR-1): a start node and nodes by id, each with its exits to other nodes.
 * Stored as JSON in versions; {@code layout} belongs to the editor and is kept as it is.
 */
public final class Flow {
    private Flow() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Graph(String start, Map<String, Node> nodes, JsonNode layout) {
        public Graph {
            nodes = nodes == null ? Map.of() : new LinkedHashMap<>(nodes);
        }

        public static Graph empty() {
            return new Graph("start", Map.of("start", new Hangup()), null);
        }
    }

    /** Something to say: synthesized text (with ${var}), a shipped phrase, or an uploaded file. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Prompt(String tts, String prompt, String file) {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Play.class, name = "play"),
            @JsonSubTypes.Type(value = Menu.class, name = "menu"),
            @JsonSubTypes.Type(value = Collect.class, name = "collect"),
            @JsonSubTypes.Type(value = Time.class, name = "time"),
            @JsonSubTypes.Type(value = SetVar.class, name = "set"),
            @JsonSubTypes.Type(value = Http.class, name = "http"),
            @JsonSubTypes.Type(value = Db.class, name = "db"),
            @JsonSubTypes.Type(value = Say.class, name = "say"),
            @JsonSubTypes.Type(value = LanguageChoice.class, name = "language"),
            @JsonSubTypes.Type(value = Goto.class, name = "goto"),
            @JsonSubTypes.Type(value = Transfer.class, name = "transfer"),
            @JsonSubTypes.Type(value = Voicemail.class, name = "voicemail"),
            @JsonSubTypes.Type(value = CustomerCheck.class, name = "customer"),
            @JsonSubTypes.Type(value = Return.class, name = "return"),
            @JsonSubTypes.Type(value = Survey.class, name = "survey"),
            @JsonSubTypes.Type(value = TicketStatus.class, name = "ticket"),
            @JsonSubTypes.Type(value = Priority.class, name = "priority"),
            @JsonSubTypes.Type(value = CallerMatch.class, name = "caller"),
            @JsonSubTypes.Type(value = Hangup.class, name = "hangup")})
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public sealed interface Node {
        /** Every exit of the node with its name, for validation and the editor. */
        Map<String, String> exits();
    }

    public record Play(List<Prompt> prompts, String next) implements Node {
        public Map<String, String> exits() {
            return exitsOf("next", next);
        }
    }

    public record Menu(List<Prompt> prompts, Map<String, String> options, Integer timeoutSeconds, Integer retries,
                       List<Prompt> invalidPrompts, List<Prompt> timeoutPrompts, String fail) implements Node {
        public Map<String, String> exits() {
            Map<String, String> m = new LinkedHashMap<>();
            if (options != null) options.forEach((k, v) -> m.put("options." + k, v));
            m.put("fail", fail);
            return m;
        }

        int timeout() {
            return timeoutSeconds == null ? 5 : timeoutSeconds;
        }

        int tries() {
            return retries == null ? 2 : retries;
        }
    }

    public record Collect(List<Prompt> prompts, String variable, Integer maxDigits, String terminator, Integer timeoutSeconds,
                          String next) implements Node {
        public Map<String, String> exits() {
            return exitsOf("next", next);
        }
    }

    public record WeeklyRange(List<Integer> days, String from, String to) {}

    public record SpecialDay(String date, String from, String to) {}

    public record Time(String timezone, List<WeeklyRange> weekly, List<String> holidays, List<SpecialDay> specialDays,
                       String open, String closed) implements Node {
        public static final String DEFAULT_ZONE = "Asia/Shanghai";

        public Map<String, String> exits() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("open", open);
            m.put("closed", closed);
            return m;
        }

        public ZoneId zone() {
            return ZoneId.of(timezone == null ? DEFAULT_ZONE : timezone);
        }

        /** True when {@code at} falls in the open hours: a special day's hours, else closed on a holiday, else the weekly ranges. */
        public boolean isOpenAt(Instant at) {
            ZonedDateTime now = at.atZone(zone());
            LocalDate today = now.toLocalDate();
            LocalTime t = now.toLocalTime();
            if (specialDays != null) {
                for (SpecialDay s : specialDays) {
                    if (LocalDate.parse(s.date()).equals(today)) return within(s.from(), s.to(), t);
                }
            }
            if (holidays != null && holidays.stream().anyMatch(d -> LocalDate.parse(d).equals(today))) return false;
            if (weekly == null) return false;
            int dow = now.getDayOfWeek().getValue();
            return weekly.stream().anyMatch(w -> w.days().contains(dow) && within(w.from(), w.to(), t));
        }

        /** {@code from} ≤ t < {@code to}, where a {@code to} of "24:00" is the end of the day ("open all day" is 00:00–24:00). */
        public static boolean within(String from, String to, LocalTime t) {
            return !t.isBefore(LocalTime.parse(from)) && (isEndOfDay(to) || t.isBefore(LocalTime.parse(to)));
        }

        public static boolean isEndOfDay(String to) {
            return "24:00".equals(to == null ? null : to.strip());
        }

        /** The weekly hours in words, e.g. "Mon-Fri 09:00-18:00 (Asia/Shanghai)". */
        public String describe() {
            String[] names = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
            StringBuilder b = new StringBuilder();
            for (WeeklyRange w : weekly == null ? List.<WeeklyRange>of() : weekly) {
                if (b.length() > 0) b.append(", ");
                List<Integer> d = w.days().stream().sorted().toList();
                boolean run = !d.isEmpty() && d.get(d.size() - 1) - d.get(0) == d.size() - 1 && d.size() > 2;
                b.append(d.isEmpty() ? "no day" : run ? names[d.get(0) - 1] + "-" + names[d.get(d.size() - 1) - 1]
                        : String.join(",", d.stream().map(i -> names[i - 1]).toList()));
                b.append(' ').append(w.from()).append('-').append(w.to());
            }
            return (b.length() == 0 ? "never open" : b) + " (" + zone() + ")";
        }

        /** The first time condition a call meets, following the flow's first exits from its start. */
        public static java.util.Optional<Time> first(Graph g) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(g.start()));
            while (!todo.isEmpty()) {
                String id = todo.poll();
                Node n = g.nodes().get(id);
                if (n == null || !seen.add(id)) continue;
                if (n instanceof Time t) return java.util.Optional.of(t);
                n.exits().values().stream().filter(java.util.Objects::nonNull).forEach(todo::add);
            }
            return java.util.Optional.empty();
        }
    }

    public record SetVar(String variable, String value, String next) implements Node {
        public Map<String, String> exits() {
            return exitsOf("next", next);
        }
    }

    public record Http(String method, String url, String body, Integer timeoutMs, Map<String, String> assign, String next,
                       String error) implements Node {
        public Map<String, String> exits() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("next", next);
            m.put("error", error);
            return m;
        }
    }

    /**
     * IVR-1: a read-only query on one of the enterprise's data sources ({@link DataSources}), by name. {@code ${var}} in the
     * query is bound as a parameter (never pasted into the SQL). The first row's columns go into variables: those named in
     * {@code assign} (variable → column label), or, without {@code assign}, every column under its lower-case label. Sets
     * {@code dbStatus} (found, notfound, error, timeout) and {@code dbRows}. Exits: {@code found}, {@code notFound} (no row),
     * {@code error} (the source is down, the query failed, or it ran out of the source's time).
     */
    public record Db(String source, String query, Map<String, String> assign, String found, String notFound, String error) implements Node {
        public Map<String, String> exits() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("found", found);
            m.put("notFound", notFound);
            m.put("error", error);
            return m;
        }
    }

    public record Say(String value, String as, String next) implements Node {
        public Map<String, String> exits() {
            return exitsOf("next", next);
        }
    }

    public record LanguageChoice(List<Prompt> prompts, Map<String, String> options, String next) implements Node {
        public Map<String, String> exits() {
            return exitsOf("next", next);
        }
    }

    public record Goto(String flow) implements Node {
        public Map<String, String> exits() {
            return Map.of();
        }
    }

    /**
     * Hands the call on. {@code priority} (queues only, ACD-3): a number 0..100 or a variable such as
     * {@code ${tier}} filled by an HTTP lookup; higher is served first.
     */
    public record Transfer(String target, String value, String fail, String priority) implements Node {
        public Transfer(String target, String value, String fail) {
            this(target, value, fail, null);
        }

        public Map<String, String> exits() {
            Map<String, String> m = new LinkedHashMap<>();
            if (fail != null) m.put("fail", fail);
            return m;
        }
    }

    /**
     * ACD-3: the call's queue priority from here on: a number 0..100 or a variable such as {@code ${tier}} (anything else
     * counts as 0). A later transfer to a queue enqueues the caller with it (a transfer's own {@code priority} wins), where
     * it is added to like any caller's (VIP numbers, a transferred call, the CRM tier); higher is served first.
     */
    public record Priority(String value, String next) implements Node {
        public Map<String, String> exits() {
            return exitsOf("next", next);
        }
    }

    /**
     * ACD-4: routes by the caller's number: exit {@code match} when it lies in one of {@code areas} (fixed-line area codes
     * such as {@code 010}, {@code 0755}, or mobile prefixes such as {@code 138}; the number read as the CRM reads it, so
     * +86, 0086 and a leading 0 agree, see {@link CallerNumbers}) or is on the enterprise's number list {@code list}
     * (exact numbers or prefixes ending in *), {@code noMatch} otherwise. Sets {@code callerArea} (e.g. 0755 or 138).
     */
    public record CallerMatch(List<String> areas, String list, String match, String noMatch) implements Node {
        public Map<String, String> exits() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("match", match);
            m.put("noMatch", noMatch);
            return m;
        }
    }

    /** MSG-1: the caller leaves a message in the box of an extension or a queue. */
    public record Voicemail(String boxType, String box, String next) implements Node {
        public Map<String, String> exits() {
            Map<String, String> m = new LinkedHashMap<>();
            if (next != null) m.put("next", next);
            return m;
        }
    }

    /**
     * IVR-4: compares a field of the caller's customer record (the most recently changed customer having the caller's
     * number) with {@code value} (e.g. {@code ${pin}} keyed in a collect node): exit {@code match} when equal (ignoring
     * surrounding spaces and case), {@code mismatch} otherwise, also when no customer has the number or the field is empty.
     * Sets {@code customerFound} to yes or no.
     */
    public record CustomerCheck(String field, String value, String match, String mismatch) implements Node {
        public Map<String, String> exits() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("match", match);
            m.put("mismatch", mismatch);
            return m;
        }
    }

    /**
     * IVR-4: the end of a verification flow: the caller goes back to the agent who sent them here, with {@code result}
     * (text with ${var}, e.g. {@code ${verified}}) and the flow's variables shown on the agent's desk. A flow with such a
     * node is one an agent may send a caller into. Reached by a caller no agent sent (a flow on a number), it hangs up.
     */
    public record Return(String result) implements Node {
        public Map<String, String> exits() {
            return Map.of();
        }
    }

    /**
     * MSG-4 (seed 001: 满意度调查 among the IVR's key actions): the caller of this call is surveyed after the agent who takes
     * it (wherever the flow sends it on: a queue, an extension, a ring group), even where the queue's own survey is off; the
     * call goes on to {@code next} at once. The survey's words are the shipped prompts in {@code language} (zh or en; null:
     * the language the caller chose in the flow). Results as the queue survey's: under the queue the call went through,
     * else under the flow's name.
     */
    public record Survey(String language, String next) implements Node {
        public Map<String, String> exits() {
            return exitsOf("next", next);
        }
    }

    /**
     * BIZ-1: the caller keys a ticket's tracking number and hears its status. The caller keys only the digits (the date, the
     * day's counter and the check digit: {@code GD20261207-0001-1} is keyed {@code 2026120700011}), ended by {@code #} or a
     * pause; the letters of the prefix and the dashes are not keyed and a {@code *} is ignored. A number whose Luhn check digit
     * does not match, or that no ticket of the enterprise has, is refused with "invalid input" and asked again ({@code retries}
     * times, default 2) before the {@code fail} exit. A found ticket's status is spoken (text to speech: the number, then the
     * status in the caller's language) and the call goes on to {@code next} with {@code ticketNumber}, {@code ticketStatus}
     * (its key, e.g. in_progress) and {@code ticketFound} (yes/no) set. {@code prompts}: what asks for the number (default:
     * the shipped "please enter … followed by the pound key").
     */
    public record TicketStatus(List<Prompt> prompts, Integer retries, Integer timeoutSeconds, String next, String fail) implements Node {
        public Map<String, String> exits() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("next", next);
            m.put("fail", fail);
            return m;
        }

        int tries() {
            return retries == null ? 2 : retries;
        }

        int timeout() {
            return timeoutSeconds == null ? 10 : timeoutSeconds;
        }
    }

    /** IVR-4: whether an agent may send a caller into this flow (it has a {@link Return} node). */
    public static boolean returnsToAgent(Graph g) {
        return g != null && g.nodes().values().stream().anyMatch(n -> n instanceof Return);
    }

    public record Hangup() implements Node {
        public Map<String, String> exits() {
            return Map.of();
        }
    }

    static Map<String, String> exitsOf(String name, String target) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(name, target);
        return m;
    }

    /** One thing wrong with a graph, located at a node and property. */
    public record Problem(String node, String field, String message) {}

    /** The type name of a node as in the JSON. */
    public static String typeOf(Node n) {
        return switch (n.getClass().getSimpleName()) {
            case "SetVar" -> "set";
            case "LanguageChoice" -> "language";
            case "CustomerCheck" -> "customer";
            case "TicketStatus" -> "ticket";
            case "CallerMatch" -> "caller";
            default -> n.getClass().getSimpleName().toLowerCase();
        };
    }
}
