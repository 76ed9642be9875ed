package dev.hotline.ivr;

import dev.hotline.engine.call.Channel;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.tts.EspeakTts;
import dev.hotline.engine.tts.Language;
import dev.hotline.engine.tts.PromptKey;
import dev.hotline.engine.tts.PromptLibrary;
import dev.hotline.engine.tts.Say;
import dev.hotline.engine.tts.Utterance;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the IVR needs besides the flows: shipped prompts, text to speech (rendered off the call
 * threads and cached), uploaded prompt files per enterprise, and an HTTP client for lookups.
 */
public final class Ivr implements AutoCloseable {
    private final PromptLibrary prompts = PromptLibrary.shipped();
    private final EspeakTts tts;
    private final Path promptRoot;
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "hotline-ivr-worker");
        t.setDaemon(true);
        return t;
    });
    final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final Path greetingRoot;

    /** IVR-4: a field of the customer having a phone number (the CRM's, wired by the app). */
    @FunctionalInterface
    public interface CustomerLookup {
        /** The value of field {@code fieldKey} of the enterprise's customer having {@code number}; empty when none or blank. */
        Optional<String> field(long enterpriseId, String number, String fieldKey);

        CustomerLookup NONE = (e, n, f) -> Optional.empty();
    }

    private final CustomerLookup customers;

    /** MSG-4: the satisfaction survey (wired by the app), for a flow's survey node. */
    @FunctionalInterface
    public interface SurveyAfterAgent {
        /** The caller of {@code callId} on {@code caller} is to be surveyed in {@code language} after the agent who takes the call. */
        void expect(long enterpriseId, String callId, Channel caller, String flow, String language);

        SurveyAfterAgent NONE = (e, c, ch, f, l) -> { };
    }

    private volatile SurveyAfterAgent surveys = SurveyAfterAgent.NONE;

    /** Wires the survey of the flows' survey nodes (the survey feature depends on this one, so it comes after). */
    public void surveys(SurveyAfterAgent surveys) {
        this.surveys = surveys;
    }

    void surveyAfterAgent(long enterpriseId, String callId, Channel caller, String flow, String language) {
        surveys.expect(enterpriseId, callId, caller, flow, language);
    }

    /** BIZ-1: a ticket's status by the keys a caller typed (the ticket feature's, wired by the app). */
    @FunctionalInterface
    public interface TicketLookup {
        /** What the keys {@code keys} (digits only, see {@link Flow.TicketStatus}) name in the enterprise, in {@code language}'s words. */
        TicketAnswer status(long enterpriseId, String keys, Language language);

        TicketLookup NONE = (e, k, l) -> new TicketAnswer.Unknown();
    }

    /** The answer to a keyed tracking number. */
    public sealed interface TicketAnswer {
        /** Not a tracking number: too short, or its check digit does not match. */
        record Invalid() implements TicketAnswer {}

        /** A well-formed number no ticket of the enterprise has. */
        record Unknown() implements TicketAnswer {}

        /** The ticket: its tracking number, status key and the status in words to speak. */
        record Found(String trackingNumber, String status, String words) implements TicketAnswer {}
    }

    private volatile TicketLookup tickets = TicketLookup.NONE;

    /** Wires the tickets' status lookup (BIZ-1) for the flows' ticket nodes. */
    public void tickets(TicketLookup tickets) {
        this.tickets = tickets;
    }

    /** BIZ-1: a keyed tracking number looked up off the call threads. */
    CompletableFuture<TicketAnswer> ticketStatus(long enterpriseId, String keys, Language language) {
        return CompletableFuture.supplyAsync(() -> tickets.status(enterpriseId, keys, language), workers);
    }

    private volatile DataSources dataSources;

    /** Wires the enterprises' external databases (IVR-1) for the flows' database lookup nodes. */
    public void dataSources(DataSources dataSources) {
        this.dataSources = dataSources;
    }

    /** IVR-1: a database lookup, run off the call threads (failed at once when no sources are wired). */
    CompletableFuture<DataSources.Result> dbLookup(long enterpriseId, String source, String query, java.util.function.Function<String, String> vars) {
        DataSources d = dataSources;
        if (d == null) return CompletableFuture.completedFuture(new DataSources.Result.Failed("no data sources"));
        return d.lookup(enterpriseId, source, query, vars);
    }

    private volatile NumberLists numberLists;

    /** Wires the enterprises' number lists (ACD-4) for the flows' caller condition nodes. */
    public void numberLists(NumberLists numberLists) {
        this.numberLists = numberLists;
    }

    /** ACD-4: whether the caller's number is on the enterprise's list, looked up off the call threads (false when none is wired). */
    CompletableFuture<Boolean> onNumberList(long enterpriseId, String list, String caller) {
        NumberLists l = numberLists;
        if (l == null) return CompletableFuture.completedFuture(false);
        return CompletableFuture.supplyAsync(() -> l.contains(enterpriseId, list, caller), workers);
    }

    public Ivr(Path dataDir) {
        this(dataDir, CustomerLookup.NONE);
    }

    public Ivr(Path dataDir, CustomerLookup customers) {
        this.customers = customers;
        this.promptRoot = dataDir.resolve("prompts");
        this.greetingRoot = dataDir.resolve("greetings");
        this.tts = new EspeakTts(EspeakTts.Options.defaults(dataDir.resolve("tts-cache")));
    }

    /** IVR-4: a customer field of the caller, looked up off the call threads. */
    CompletableFuture<Optional<String>> customerField(long enterpriseId, String number, String fieldKey) {
        return CompletableFuture.supplyAsync(() -> customers.field(enterpriseId, number, fieldKey), workers);
    }

    /** Whether espeak-ng could be run, probed once (a process start) and remembered: calls ask it too. */
    private volatile Boolean ttsAvailable;

    /** Whether espeak-ng can be run (checked at publish time: text prompts fail there, not mid-call). */
    public boolean ttsAvailable() {
        Boolean known = ttsAvailable;
        if (known != null) return known;
        boolean ok;
        try {
            tts.checkAvailable();
            ok = true;
        } catch (RuntimeException e) {
            ok = false;
        }
        ttsAvailable = ok;
        return ok;
    }

    /** Renders the flow's fixed texts now, so calls find them in the cache. */
    public void warm(Flow.Graph g, Language language) {
        for (Flow.Node n : g.nodes().values()) {
            for (Flow.Prompt p : promptsOf(n)) {
                if (p.tts() != null && !p.tts().contains("${")) tts.render(p.tts(), language);
            }
        }
    }

    /** Renders the fixed texts of every published flow in the background, so first callers do not wait. */
    public void warmPublished(org.jdbi.v3.core.Jdbi jdbi) {
        if (!ttsAvailable()) return;
        workers.execute(() -> {
            for (long e : jdbi.withHandle(h -> h.createQuery("SELECT id FROM enterprise").mapTo(Long.class).list())) {
                for (Flow.Graph g : jdbi.withHandle(h -> FlowStore.published(h, e)).values()) {
                    try {
                        warm(g, Language.ZH);
                    } catch (RuntimeException ex) {
                        org.slf4j.LoggerFactory.getLogger(Ivr.class).warn("cannot pre-render prompts: {}", ex.toString());
                    }
                }
            }
        });
    }

    static java.util.List<Flow.Prompt> promptsOf(Flow.Node n) {
        java.util.List<Flow.Prompt> all = new java.util.ArrayList<>();
        if (n instanceof Flow.Play x && x.prompts() != null) all.addAll(x.prompts());
        if (n instanceof Flow.Menu x) {
            if (x.prompts() != null) all.addAll(x.prompts());
            if (x.invalidPrompts() != null) all.addAll(x.invalidPrompts());
            if (x.timeoutPrompts() != null) all.addAll(x.timeoutPrompts());
        }
        if (n instanceof Flow.Collect x && x.prompts() != null) all.addAll(x.prompts());
        if (n instanceof Flow.LanguageChoice x && x.prompts() != null) all.addAll(x.prompts());
        if (n instanceof Flow.TicketStatus x && x.prompts() != null) all.addAll(x.prompts());
        return all;
    }

    public Set<String> promptFiles(long enterpriseId) {
        Path dir = promptRoot.resolve(Long.toString(enterpriseId));
        if (!Files.isDirectory(dir)) return Set.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wav")).collect(Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** Renders (or finds in the cache) and returns the 8 kHz WAV file of {@code text}. */
    Path renderToFile(String text, Language language) {
        return tts.render(text, language).file();
    }

    /** Where the enterprise's uploaded prompt {@code name} is (it may not exist). */
    public Path promptFile(long enterpriseId, String name) {
        return promptRoot.resolve(Long.toString(enterpriseId)).resolve(name);
    }

    /** MSG-1: where a voicemail box's own greeting is: {@code greetings/<enterprise>/<boxType>-<box>.wav} (it may not exist). */
    Path greetingFile(long enterpriseId, String boxType, String box) {
        return greetingRoot.resolve(Long.toString(enterpriseId)).resolve((boxType + "-" + box).replaceAll("[^A-Za-z0-9._-]", "_") + ".wav");
    }

    /** The box's own greeting, if it has one. */
    java.util.Optional<Path> greeting(long enterpriseId, String boxType, String box) {
        Path p = greetingFile(enterpriseId, boxType, box);
        return Files.isRegularFile(p) ? java.util.Optional.of(p) : java.util.Optional.empty();
    }

    public AudioClip shipped(Language language, PromptKey... keys) {
        return AudioClip.of(prompts.render(Utterance.of(language, keys)));
    }

    public AudioClip utterance(Utterance u) {
        return AudioClip.of(prompts.render(u));
    }

    /** What a Say node (and a notification campaign's {@code {column:as}}) can say a value as. */
    public static final Set<String> SAY_AS = Set.of("digits", "number", "amount", "date", "time");

    /**
     * The Say node's logic: {@code value} said {@code as} digits, a number, an amount, a date (yyyy-MM-dd) or a time (HH:mm) in
     * {@code language}'s shipped prompts. A value that does not read as that kind throws a {@link RuntimeException}.
     */
    public static Utterance say(Language language, String as, String value) {
        Say say = Say.in(language);
        return switch (as) {
            case "digits" -> say.digits(value.replaceAll("[^0-9*#]", ""));
            case "number" -> say.number(Long.parseLong(value.trim()));
            case "amount" -> say.amount(new BigDecimal(value.trim()));
            case "date" -> say.date(LocalDate.parse(value.trim()));
            case "time" -> say.time(LocalTime.parse(value.trim()));
            default -> throw new IllegalArgumentException(as);
        };
    }

    /** Text to speech off the call threads; completes with the 8 kHz clip. */
    public CompletableFuture<AudioClip> speak(String text, Language language) {
        return tts.renderAsync(text, language, workers).thenApply(r -> AudioClip.of(r.samples()));
    }

    ExecutorService workers() {
        return workers;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
