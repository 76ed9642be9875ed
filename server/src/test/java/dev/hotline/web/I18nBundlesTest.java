package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.acd.Queue;
import dev.hotline.auth.Permission;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.report.CallRecord;
import dev.hotline.routing.Trunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The message bundles of the web UI (web/i18n/en.json and zh.json) are complete: the same keys,
 * no empty texts, the same {placeholders}, and every key the pages use exists.
 */
class I18nBundlesTest {
    static final Path WEB = Path.of("src", "main", "resources", "web");
    static final List<String> LANGS = List.of("en", "zh");

    /** Calls whose first argument is a message key (literal, or a literal prefix + data). */
    private static final Pattern CALL = Pattern.compile("\\b(?:t|tOr|titleFrom)\\(");
    private static final Pattern LITERAL = Pattern.compile("'([^'\\\\]*)'");
    private static final Pattern KEY = Pattern.compile("[a-z][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+)*\\.?");
    private static final Pattern ATTRIBUTE = Pattern.compile("(?:data-i18n(?:-placeholder|-title)?|title-key)=\"([^\"]+)\"");
    private static final Pattern OK_KEY = Pattern.compile("okKey\\)?\\s*\\|\\|\\s*'([^']+)'");
    /** Literals that are keys wherever they appear (tables of keys in i18n.js). */
    private static final Pattern KEY_LITERAL = Pattern.compile("'((?:validation|error)\\.[A-Za-z_]+)'");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

    /** Keys the code builds from data: every value that data can take needs a text. */
    static final Map<String, List<String>> DYNAMIC = new LinkedHashMap<>();
    static {
        DYNAMIC.put("nav.", List.of("enterprises", "users", "departments", "roles", "extensions", "queues", "audit", "tokens", "agent", "supervisor",
                "trunks", "numbers", "routes", "blacklist", "calls", "recordings", "moh", "conferences", "flows", "prompts", "voicemail", "skills",
                "webrtc-settings"));
        DYNAMIC.put("nav.group.", List.of("platform", "org", "telephony", "messages", "reports", "system", "workspace"));
        // From the server's own enums, so a new permission, role or strategy needs its texts here.
        DYNAMIC.put("role.builtin.", Arrays.stream(Permission.BuiltinRole.values()).map(Permission.BuiltinRole::roleName).toList());
        DYNAMIC.put("perm.", Arrays.stream(Permission.values()).map(Permission::key).toList());
        DYNAMIC.put("permGroup.", Arrays.stream(Permission.values()).map(Permission::group).distinct().toList());
        DYNAMIC.put("error.", List.of("validation_failed", "bad_request", "unauthenticated", "bad_credentials", "forbidden", "csrf",
                "not_found", "conflict", "locked_out", "internal", "network",
                // CTI error codes (docs/cti.md) and the CTI client's own
                "unknown_type", "unsupported_version", "failed", "timeout"));
        DYNAMIC.put("strategy.", Arrays.stream(Queue.Strategy.values()).map(Queue.Strategy::key).toList());
        DYNAMIC.put("strategyHint.", Arrays.stream(Queue.Strategy.values()).map(Queue.Strategy::key).toList());
        // ACD pages: agent states and devices (server enums), queue destinations and the queue form's sections.
        DYNAMIC.put("agentState.", Arrays.stream(dev.hotline.acd.AgentState.values()).map(dev.hotline.acd.AgentState::key).toList());
        DYNAMIC.put("device.", Arrays.stream(dev.hotline.acd.Device.Kind.values()).map(dev.hotline.acd.Device.Kind::key).toList());
        DYNAMIC.put("agentReason.", List.of("login", "other"));
        DYNAMIC.put("queues.dest.", dev.hotline.acd.QueueSettings.Destination.TYPES);
        DYNAMIC.put("queues.dest.none.", List.of("overflow", "noAgents"));
        DYNAMIC.put("queues.section.", List.of("basics", "ringing", "waiting", "overflow", "skills", "vip"));
        DYNAMIC.put("queues.hint.", List.of("overflow", "noAgents"));
        DYNAMIC.put("audit.action.queue.", List.of("create", "update", "delete", "member.set", "member.remove"));
        DYNAMIC.put("audit.category.", List.of("trunk", "number", "route", "blacklist", "conference", "recording", "moh", "flow",
                "skill", "reason", "agent"));
        DYNAMIC.put("audit.action.skill.", List.of("create", "delete"));
        DYNAMIC.put("audit.action.reason.", List.of("create", "delete"));
        DYNAMIC.put("audit.action.agent.", List.of("skills", "state"));
        DYNAMIC.put("audit.action.", List.of("auth.login", "auth.login_failed", "auth.logout", "user.create", "user.update", "user.delete"));
        DYNAMIC.put("audit.action.trunk.", List.of("create", "update", "delete"));
        DYNAMIC.put("audit.action.number.", List.of("create", "update", "delete"));
        DYNAMIC.put("audit.action.route.", List.of("create", "update", "delete"));
        DYNAMIC.put("audit.action.blacklist.", List.of("add", "remove"));
        DYNAMIC.put("audit.category.", List.of("trunk", "number", "route", "blacklist", "conference", "recording", "moh", "flow"));
        DYNAMIC.put("audit.action.conference.", List.of("create", "update", "delete"));
        DYNAMIC.put("audit.action.recording.", List.of("settings"));
        DYNAMIC.put("audit.action.moh.", List.of("upload", "delete"));
        DYNAMIC.put("audit.action.flow.", List.of("create", "save", "publish", "rollback", "delete"));
        // Telephony pages: values of the server's enums and the call log's event types.
        DYNAMIC.put("trunks.kind.", Arrays.stream(Trunk.Kind.values()).map(Trunk.Kind::key).toList());
        DYNAMIC.put("trunks.kindHint.", Arrays.stream(Trunk.Kind.values()).map(Trunk.Kind::key).toList());
        DYNAMIC.put("numbers.destType.", List.of("extension", "conference", "flow"));
        // IVR flow editor (docs/api.md "IVR flows"): node types, exits, prompt kinds and the values of the node forms.
        List<String> nodeTypes = List.of("play", "menu", "collect", "time", "set", "http", "say", "language", "goto", "transfer", "voicemail", "hangup");
        DYNAMIC.put("flows.type.", nodeTypes);
        DYNAMIC.put("flows.typeHint.", nodeTypes);
        DYNAMIC.put("flows.exit.", List.of("next", "fail", "open", "closed", "error"));
        DYNAMIC.put("flows.exitHint.", List.of("play.next", "collect.next", "set.next", "say.next", "language.next", "menu.fail",
                "time.open", "time.closed", "http.next", "http.error", "transfer.fail", "voicemail.next"));
        DYNAMIC.put("flows.boxType.", List.of("extension", "queue"));
        DYNAMIC.put("flows.box.", List.of("extension", "queue"));
        DYNAMIC.put("flows.prompt.kind.", List.of("tts", "prompt", "file"));
        DYNAMIC.put("flows.prompt.placeholder.", List.of("tts", "prompt", "file"));
        DYNAMIC.put("flows.sayAs.", List.of("digits", "number", "amount", "date", "time"));
        DYNAMIC.put("flows.transfer.", List.of("extension", "queue", "conference", "external"));
        DYNAMIC.put("flows.transferValue.", List.of("extension", "queue", "conference", "external"));
        DYNAMIC.put("flows.weekday.", List.of("1", "2", "3", "4", "5", "6", "7"));
        // IVR pages: the editor's tabs, the shipped prompt phrases (engine PromptKey) and the voicemail box types.
        DYNAMIC.put("flows.tab.", List.of("editor", "stats"));
        DYNAMIC.put("promptKey.", Arrays.stream(dev.hotline.engine.tts.PromptKey.values()).map(Enum::name).toList());
        DYNAMIC.put("voicemail.boxType.", List.of("extension", "queue"));
        // Recording settings (docs/api.md): policy and format values.
        DYNAMIC.put("recordings.policy.", List.of("none", "all", "inbound", "outbound", "internal"));
        DYNAMIC.put("recordings.policyHint.", List.of("none", "all", "inbound", "outbound", "internal"));
        DYNAMIC.put("recordings.format.", List.of("pcm", "ulaw", "gsm"));
        DYNAMIC.put("recordings.formatHint.", List.of("pcm", "ulaw", "gsm"));
        DYNAMIC.put("calls.outcome.", Arrays.stream(CallRecord.Outcome.values()).map(CallRecord.Outcome::key).toList());
        DYNAMIC.put("calls.cause.", Arrays.stream(HangupCause.values()).map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).toList());
        DYNAMIC.put("calls.hangupBy.", List.of("caller", "callee", "system"));
        DYNAMIC.put("calls.direction.", List.of("inbound", "outbound", "internal"));
        DYNAMIC.put("calls.disposition.", Arrays.stream(CallRecord.Disposition.values()).map(CallRecord.Disposition::key).toList());
        // Destinations in words (format.destinationLabel): queue:sales → "Queue sales".
        DYNAMIC.put("destination.", List.of("queue", "extension", "voicemail", "flow", "hangup", "ringgroup", "conference", "external"));
        DYNAMIC.put("calls.event.", List.of("arrived", "blocked", "rejected", "dialing", "ringing", "answered", "hold", "unhold",
                "transfer", "hangup", "closed"));
        DYNAMIC.put("agent.action.", List.of("checkIn", "ready", "notReady", "break", "checkOut"));
        // Agent desk (docs/cti.md): CTI connection states, browser phone states, call states.
        DYNAMIC.put("desk.cti.", List.of("connecting", "open", "retrying", "replaced", "stopped"));
        DYNAMIC.put("desk.phone.", List.of("offline", "connected", "connecting", "reconnecting"));
        DYNAMIC.put("desk.callState.", List.of("ringing", "connecting", "talking", "held", "ended"));
        DYNAMIC.put("supervisor.kpi.", List.of("waiting", "longestWait", "answered", "abandoned", "agentsReady"));
        DYNAMIC.put("users.", List.of("title"));
        for (String page : List.of("departments", "roles", "extensions", "queues", "skills", "audit", "tokens", "enterprises",
                "trunks", "numbers", "routes", "blacklist", "calls", "recordings", "moh", "conferences", "flows", "prompts", "voicemail")) {
            DYNAMIC.put(page + ".", List.of("title"));
        }
    }

    @Test
    void bundlesHaveTheSameKeysAndNoEmptyTexts() throws IOException {
        Map<String, String> en = load("en");
        Map<String, String> zh = load("zh");
        assertThat(en).isNotEmpty();
        assertThat(zh.keySet()).as("keys only in en.json / zh.json")
                .containsExactlyInAnyOrderElementsOf(en.keySet());
        for (String lang : LANGS) {
            Map<String, String> b = load(lang);
            assertThat(b.entrySet().stream().filter(e -> e.getValue().isBlank()).map(Map.Entry::getKey))
                    .as("empty texts in " + lang + ".json").isEmpty();
        }
        List<String> mismatched = new ArrayList<>();
        for (String key : en.keySet()) {
            if (!placeholders(en.get(key)).equals(placeholders(zh.get(key)))) mismatched.add(key);
        }
        assertThat(mismatched).as("keys whose {placeholders} differ between en and zh").isEmpty();
    }

    @Test
    void chineseBundleIsReallyChinese() throws IOException {
        Map<String, String> zh = load("zh");
        long cjk = zh.values().stream().filter(v -> v.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)).count();
        assertThat(cjk).as("zh texts with Chinese characters").isGreaterThan(zh.size() * 8L / 10);
    }

    @Test
    void everyKeyUsedByThePagesExists() throws IOException {
        Map<String, String> en = load("en");
        Set<String> used = new TreeSet<>();
        Set<String> prefixes = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(WEB)) {
            files = s.filter(p -> p.toString().endsWith(".html") || p.toString().endsWith(".js"))
                    .filter(p -> !p.startsWith(WEB.resolve("vendor"))).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            String src = Files.readString(f);
            Matcher call = CALL.matcher(src);
            while (call.find()) {
                String args = argumentText(src, call.end());
                String firstArg = firstArgument(args);
                Matcher lit = LITERAL.matcher(firstArg);
                while (lit.find()) {
                    String k = lit.group(1);
                    if (!KEY.matcher(k).matches() || !k.contains(".")) continue;
                    if (k.endsWith(".")) prefixes.add(k); else used.add(k);
                }
            }
            Matcher attr = ATTRIBUTE.matcher(src);
            while (attr.find()) used.add(attr.group(1));
            Matcher keyLiteral = KEY_LITERAL.matcher(src);
            while (keyLiteral.find()) used.add(keyLiteral.group(1));
            Matcher ok = OK_KEY.matcher(src);
            while (ok.find()) used.add(ok.group(1));
        }
        assertThat(used.size()).as("keys found in the pages").isGreaterThan(100);
        assertThat(used.stream().filter(k -> !en.containsKey(k))).as("keys used in web/** but missing from the bundles").isEmpty();
        for (String p : prefixes) {
            assertThat(en.keySet().stream().anyMatch(k -> k.startsWith(p))).as("some key starting with " + p).isTrue();
        }
        List<String> missingDynamic = new ArrayList<>();
        DYNAMIC.forEach((prefix, values) -> values.stream().map(v -> prefix + v).filter(k -> !en.containsKey(k)).forEach(missingDynamic::add));
        assertThat(missingDynamic).as("keys built from data that have no text").isEmpty();
    }

    /** Text between the parenthesis at {@code start} and its matching close. */
    private static String argumentText(String src, int start) {
        int depth = 1;
        char quote = 0;
        for (int i = start; i < src.length(); i++) {
            char c = src.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return src.substring(start, i);
            }
        }
        return src.substring(start);
    }

    /** The first argument: up to a top-level comma (params objects and fallbacks are not keys). */
    private static String firstArgument(String args) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                return args.substring(0, i);
            }
        }
        return args;
    }

    private static Set<String> placeholders(String s) {
        Set<String> out = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(s);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** A bundle as key → text; duplicate keys, nesting and non-text values fail. */
    static Map<String, String> load(String lang) throws IOException {
        ObjectMapper mapper = new ObjectMapper()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        JsonNode root = mapper.readTree(WEB.resolve("i18n").resolve(lang + ".json").toFile());
        assertThat(root.isObject()).as(lang + ".json is one flat object").isTrue();
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertThat(e.getValue().isTextual()).as(lang + ".json " + e.getKey() + " is text").isTrue();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
