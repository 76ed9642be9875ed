package dev.hotline.ivr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.CollectEnd;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.tts.Language;
import dev.hotline.engine.tts.PromptKey;
import dev.hotline.engine.tts.Utterance;
import dev.hotline.domain.JsonMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call running a flow (IVR-1): visits nodes, plays prompts, collects keys, evaluates time
 * conditions, calls HTTP lookups, and hands the call back to routing for transfers. Driven by the
 * call's events; every method runs under the session's lock (events and async completions meet here).
 */
final class IvrSession {
    private static final Logger log = LoggerFactory.getLogger(IvrSession.class);
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    static final int MAX_STEPS = 500;

    private enum Waiting { NOTHING, ANSWER, PLAYBACK, DIGITS, ASYNC, RECORDING, RECORDED }

    /** Where a voicemail is: recording, reviewing (1 listen, 2 re-record, 3/# save), asking for a callback number. */
    private enum VmStep { RECORD, REVIEW, CALLBACK }

    private Flow.Voicemail vm;
    private VmStep vmStep;
    private dev.hotline.engine.call.Recording vmRecording;
    private boolean vmSaved;
    /**
     * When the tone ended (recording began) and when the caller ended the message with a key (null while recording).
     * The message's length is this wall-clock time, not the recording's duration, which counts only received audio
     * (a phone sending no RTP would otherwise lose a real message).
     */
    private Instant vmBegan;
    private Instant vmEnded;
    /** A caller who hangs up during the greeting or within this long after the tone leaves no message (issue 14). */
    static final Duration MIN_MESSAGE = Duration.ofSeconds(1);

    private final long enterpriseId;
    private final String callId;
    private final Channel channel;
    private final IvrHost host;
    private final Ivr ivr;
    private final Clock clock;
    private final Map<String, String> vars = new HashMap<>();
    private String flowName;
    private Flow.Graph graph;
    private String nodeId;
    private Waiting waiting = Waiting.NOTHING;
    private String playbackId;
    private int tries;
    private int steps;
    private boolean done;
    /** What to do when the current playback ends. */
    private Runnable afterPlayback;
    /** ACD-3: the queue priority a priority node gave the call (0 until one does). */
    private int queuePriority;

    IvrSession(long enterpriseId, String callId, Channel channel, String flowName, Flow.Graph graph, IvrHost host, Ivr ivr, Clock clock) {
        this.enterpriseId = enterpriseId;
        this.callId = callId;
        this.channel = channel;
        this.flowName = flowName;
        this.graph = graph;
        this.host = host;
        this.ivr = ivr;
        this.clock = clock;
        vars.put("caller", channel.caller().user());
        vars.put("callee", channel.callee().user());
        vars.put("language", "zh");
    }

    synchronized void start() {
        waiting = Waiting.ANSWER;
        channel.answer();
    }

    /** For a channel already answered (e.g. a call back we placed): the flow starts at once. */
    synchronized void startAnswered() {
        run(graph.start());
    }

    Language language() {
        return "en".equals(vars.get("language")) ? Language.EN : Language.ZH;
    }

    /** An event of this session's channel. */
    synchronized void onEvent(CallEvent e) {
        if (done) return;
        if (log.isDebugEnabled()) log.debug("call {}: {} while {} at {}", callId, e, waiting, nodeId);
        if (e instanceof CallEvent.ChannelAnswered && waiting == Waiting.ANSWER) {
            waiting = Waiting.NOTHING;
            run(graph.start());
        } else if (e instanceof CallEvent.PlaybackFinished f && waiting == Waiting.PLAYBACK && f.playbackId().equals(playbackId)) {
            waiting = Waiting.NOTHING;
            Runnable next = afterPlayback;
            afterPlayback = null;
            if (next != null) next.run();
        } else if (e instanceof CallEvent.DigitsCollected d && waiting == Waiting.DIGITS && d.end() != CollectEnd.CANCELLED) {
            // A cancelled collection is never the answer awaited: it was replaced by a newer one (or cleared before the
            // voicemail tone), whose result is still to come. Taking it as the answer dropped that result: the call stalled.
            waiting = Waiting.NOTHING;
            onDigits(d.digits(), d.end());
        } else if (e instanceof CallEvent.RecordingFinished f && vmRecording != null && f.recordingId().equals(vmRecording.id())
                && waiting == Waiting.RECORDED) {
            waiting = Waiting.NOTHING;
            vmReview();
        } else if (e instanceof CallEvent.ChannelHungUp h) {
            if (vm != null && vmRecording != null && !vmSaved) {
                Duration spoken = spoken(h.at());
                if (spoken.compareTo(MIN_MESSAGE) < 0) {
                    // Hung up during the greeting (its end started the recording of a gone channel) or at the tone.
                    log.info("call {}: hung up {} ms after the voicemail tone: no message", callId, spoken.toMillis());
                    vmSaved = true;
                    host.discardVoicemail(vmRecording);
                } else {
                    saveVoicemail(null, spoken); // most callers just hang up after their message
                }
            }
            finish();
        }
    }

    private void finish() {
        done = true;
        host.ended(channel.id());
    }

    private void run(String id) {
        if (done) return;
        if (++steps > MAX_STEPS) {
            log.warn("call {}: flow {} looped more than {} steps; hanging up", callId, flowName, MAX_STEPS);
            hangup();
            return;
        }
        Flow.Node n = id == null ? null : graph.nodes().get(id);
        if (n == null) {
            log.warn("call {}: flow {} has no node {}; hanging up", callId, flowName, id);
            hangup();
            return;
        }
        nodeId = id;
        tries = 0;
        host.logNode(callId, channel.id(), flowName, id, Flow.typeOf(n));
        if (n instanceof Flow.Play x) {
            play(x.prompts(), false, () -> run(x.next()));
        } else if (n instanceof Flow.Menu x) {
            play(x.prompts(), true, () -> collect(1, (char) 0, x.timeout()));
        } else if (n instanceof Flow.Collect x) {
            int timeout = x.timeoutSeconds() == null ? 5 : x.timeoutSeconds();
            char term = x.terminator() == null || x.terminator().isEmpty() ? 0 : x.terminator().charAt(0);
            play(x.prompts(), true, () -> collect(x.maxDigits() == null ? 32 : x.maxDigits(), term, timeout));
        } else if (n instanceof Flow.Time x) {
            run(isOpen(x) ? x.open() : x.closed());
        } else if (n instanceof Flow.SetVar x) {
            vars.put(x.variable(), fill(x.value()));
            run(x.next());
        } else if (n instanceof Flow.Http x) {
            http(x);
        } else if (n instanceof Flow.Db x) {
            db(x);
        } else if (n instanceof Flow.Say x) {
            say(x);
        } else if (n instanceof Flow.LanguageChoice x) {
            play(x.prompts(), true, () -> collect(1, (char) 0, 5));
        } else if (n instanceof Flow.Goto x) {
            Flow.Graph other = host.publishedFlow(enterpriseId, x.flow());
            if (other == null) {
                hangup();
                return;
            }
            flowName = x.flow();
            graph = other;
            run(other.start());
        } else if (n instanceof Flow.Voicemail x) {
            vm = x;
            vmSaved = false;
            var greeting = ivr.greeting(enterpriseId, x.boxType(), x.box());
            if (greeting.isPresent()) { // the box's own greeting instead of "please leave a message after the tone"
                playItems(List.of(CompletableFuture.completedFuture(new PlaybackRequest.Item.File(greeting.get())),
                        CompletableFuture.completedFuture(new PlaybackRequest.Item.Clip(ivr.shipped(language(), PromptKey.BEEP)))), false, this::vmRecord);
            } else {
                play(List.of(new Flow.Prompt(null, PromptKey.LEAVE_MESSAGE.name(), null), new Flow.Prompt(null, PromptKey.BEEP.name(), null)),
                        false, this::vmRecord);
            }
        } else if (n instanceof Flow.CustomerCheck x) {
            customerCheck(x);
        } else if (n instanceof Flow.TicketStatus x) {
            play(ticketAsk(x), true, () -> collect(20, '#', x.timeout()));
        } else if (n instanceof Flow.Priority x) {
            queuePriority = priorityOf(x.value());
            run(x.next());
        } else if (n instanceof Flow.CallerMatch x) {
            callerMatch(x);
        } else if (n instanceof Flow.Survey x) {
            ivr.surveyAfterAgent(enterpriseId, callId, channel, flowName, x.language() != null ? x.language() : vars.get("language"));
            run(x.next());
        } else if (n instanceof Flow.Return x) {
            channel.stopPlayback();
            done = true;
            if (host.returnToAgent(callId, channel, fill(x.result()), new HashMap<>(vars))) {
                host.ended(channel.id());
            } else {
                log.info("call {}: flow {} returns to an agent but no agent sent the caller; hanging up", callId, flowName);
                hangup();
            }
        } else if (n instanceof Flow.Transfer x) {
            channel.stopPlayback();
            done = true;
            if (host.transfer(callId, channel, x.target(), fill(x.value()), priority(x))) {
                host.ended(channel.id());
            } else if (x.fail() != null) {
                done = false;
                run(x.fail());
            } else {
                hangup();
            }
        } else {
            hangup();
        }
    }

    private void hangup() {
        done = true;
        channel.hangup(HangupCause.NORMAL_CLEARING);
        host.ended(channel.id());
    }

    private void collect(int max, char terminator, int timeoutSeconds) {
        waiting = Waiting.DIGITS;
        channel.collectDigits(max, terminator, Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(Math.max(2, timeoutSeconds)));
    }

    private void onDigits(String digits, CollectEnd end) {
        if (end == CollectEnd.HANGUP || end == CollectEnd.CANCELLED) return; // the caller left; the hang-up ends the session
        if (vm != null) {
            vmDigits(digits);
            return;
        }
        Flow.Node n = graph.nodes().get(nodeId);
        if (n instanceof Flow.Menu x) {
            String key = digits.isEmpty() ? null : digits.substring(0, 1);
            host.logKey(callId, channel.id(), flowName, nodeId, key == null ? "timeout" : key);
            if (key != null && x.options() != null && x.options().containsKey(key)) {
                vars.put("lastKey", key);
                run(x.options().get(key));
                return;
            }
            if (++tries > x.tries()) {
                run(x.fail());
                return;
            }
            List<Flow.Prompt> again = key == null ? x.timeoutPrompts() : x.invalidPrompts();
            if (again == null || again.isEmpty()) {
                again = key == null ? List.of() : List.of(new Flow.Prompt(null, PromptKey.INVALID_INPUT.name(), null));
            }
            List<Flow.Prompt> replay = new ArrayList<>(again);
            replay.addAll(x.prompts());
            play(replay, true, () -> collect(1, (char) 0, x.timeout()));
        } else if (n instanceof Flow.Collect x) {
            host.logKey(callId, channel.id(), flowName, nodeId, digits.isEmpty() ? "timeout" : "digits");
            vars.put(x.variable(), digits);
            run(x.next());
        } else if (n instanceof Flow.TicketStatus x) {
            ticketKeyed(x, digits);
        } else if (n instanceof Flow.LanguageChoice x) {
            String key = digits.isEmpty() ? null : digits.substring(0, 1);
            host.logKey(callId, channel.id(), flowName, nodeId, key == null ? "timeout" : key);
            if (key != null && x.options().containsKey(key)) vars.put("language", x.options().get(key));
            run(x.next());
        }
    }

    /** Plays prompts (text rendered off the call threads first), then {@code then}. */
    private void play(List<Flow.Prompt> prompts, boolean bargeIn, Runnable then) {
        if (prompts == null || prompts.isEmpty()) {
            then.run();
            return;
        }
        List<CompletableFuture<PlaybackRequest.Item>> items = new ArrayList<>();
        for (Flow.Prompt p : prompts) {
            if (p.tts() != null) {
                items.add(ivr.speak(fill(p.tts()), language()).thenApply(PlaybackRequest.Item.Clip::new));
            } else if (p.prompt() != null) {
                items.add(CompletableFuture.completedFuture(new PlaybackRequest.Item.Clip(ivr.shipped(language(), PromptKey.valueOf(p.prompt())))));
            } else if (p.file() != null) {
                items.add(CompletableFuture.completedFuture(new PlaybackRequest.Item.File(ivr.promptFile(enterpriseId, p.file()))));
            } else if (vmRecording != null) { // the caller listens to the message just recorded
                items.add(CompletableFuture.completedFuture(new PlaybackRequest.Item.File(vmRecording.path())));
            }
        }
        playItems(items, bargeIn, then);
    }

    /** Plays items once all are ready (text rendered off the call threads), then {@code then}. */
    private void playItems(List<CompletableFuture<PlaybackRequest.Item>> items, boolean bargeIn, Runnable then) {
        waiting = Waiting.ASYNC;
        String atNode = nodeId;
        CompletableFuture.allOf(items.toArray(CompletableFuture[]::new)).whenComplete((v, err) -> {
            synchronized (this) {
                if (done || !atNode.equals(nodeId) || waiting != Waiting.ASYNC) return;
                if (err != null || items.isEmpty()) {
                    log.error("call {}: prompt of node {} failed: {}", callId, nodeId, err.toString());
                    waiting = Waiting.NOTHING;
                    then.run();
                    return;
                }
                List<PlaybackRequest.Item> list = items.stream().map(CompletableFuture::join).toList();
                waiting = Waiting.PLAYBACK;
                afterPlayback = then;
                playbackId = channel.play(new PlaybackRequest(list, false, bargeIn)).id();
            }
        });
    }

    // --- voicemail (MSG-1)

    /** How long the caller had to speak after the tone: until the key that ended the message, else until {@code end}. */
    private Duration spoken(Instant end) {
        Duration d = Duration.between(vmBegan, vmEnded != null ? vmEnded : end);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private void vmRecord() {
        vmStep = VmStep.RECORD;
        vmBegan = Instant.now();
        vmEnded = null;
        // Only keys pressed after the tone end the message: not one typed ahead, such as the queue's voicemail key.
        channel.clearDigits();
        vmRecording = channel.record(host.voicemailFile(callId, vm.boxType(), vm.box()), dev.hotline.engine.call.RecordFormat.PCM,
                dev.hotline.engine.call.RecordMode.MONO);
        // A key (# above all) or two minutes ends the message.
        waiting = Waiting.DIGITS;
        channel.collectDigits(1, '#', Duration.ofSeconds(120), Duration.ofSeconds(120));
    }

    private void vmReview() {
        vmStep = VmStep.REVIEW;
        List<Flow.Prompt> prompt = ivr.ttsAvailable()
                ? List.of(new Flow.Prompt(language() == Language.EN ? "To listen press 1, to record again press 2, to save press 3."
                        : "听取留言请按1，重新录制请按2，保存请按3", null, null))
                : List.of(new Flow.Prompt(null, PromptKey.PRESS.name(), null), new Flow.Prompt(null, PromptKey.N1.name(), null),
                        new Flow.Prompt(null, PromptKey.N2.name(), null), new Flow.Prompt(null, PromptKey.N3.name(), null));
        play(prompt, true, () -> collect(1, (char) 0, 5));
    }

    private void vmDigits(String digits) {
        switch (vmStep) {
            case RECORD -> {
                vmEnded = Instant.now();
                waiting = Waiting.RECORDED;
                vmRecording.stop(); // RecordingFinished then leads to the review
            }
            case REVIEW -> {
                host.logKey(callId, channel.id(), flowName, nodeId, digits.isEmpty() ? "timeout" : digits);
                if ("1".equals(digits)) {
                    waiting = Waiting.ASYNC;
                    play(List.of(new Flow.Prompt(null, null, null)), true, this::vmReview);
                } else if ("2".equals(digits)) {
                    play(List.of(new Flow.Prompt(null, PromptKey.BEEP.name(), null)), false, this::vmRecord);
                } else {
                    vmStep = VmStep.CALLBACK;
                    play(List.of(new Flow.Prompt(null, PromptKey.CALLBACK.name(), null), new Flow.Prompt(null, PromptKey.PLEASE_ENTER.name(), null),
                            new Flow.Prompt(null, PromptKey.END_WITH_POUND.name(), null)), true, () -> collect(20, '#', 6));
                }
            }
            case CALLBACK -> {
                saveVoicemail(digits.isEmpty() ? null : digits, spoken(Instant.now()));
                Flow.Voicemail done = vm;
                vm = null;
                play(List.of(new Flow.Prompt(null, PromptKey.THANK_YOU_FOR_CALLING.name(), null), new Flow.Prompt(null, PromptKey.GOODBYE.name(), null)),
                        false, () -> {
                            if (done.next() != null) run(done.next());
                            else hangup();
                        });
            }
        }
    }

    private void saveVoicemail(String callback, Duration spoken) {
        if (vmSaved || vmRecording == null) return;
        vmSaved = true;
        host.saveVoicemail(callId, channel.id(), vm.boxType(), vm.box(), vars.get("caller"), callback, vmRecording, spoken);
    }

    /** ACD-3: the transfer's own priority when it has one, else the one a priority node gave the call. */
    private int priority(Flow.Transfer x) {
        return x.priority() == null || x.priority().isBlank() ? queuePriority : priorityOf(x.priority());
    }

    /** A priority, a number or a filled variable, kept to 0..100; anything else is 0. */
    private int priorityOf(String template) {
        try {
            return Math.max(0, Math.min(100, Integer.parseInt(fill(template).trim())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * ACD-4: the caller's number against the node's areas (at once) and number list (looked up off the call thread); sets
     * {@code callerArea}.
     */
    private void callerMatch(Flow.CallerMatch x) {
        String national = CallerNumbers.national(vars.get("caller")).orElse(null);
        vars.put("callerArea", CallerNumbers.area(national));
        boolean inArea = x.areas() != null && x.areas().stream().map(CallerNumbers::prefix).anyMatch(a -> CallerNumbers.inArea(national, a));
        if (inArea || x.list() == null || x.list().isBlank()) {
            host.logKey(callId, channel.id(), flowName, nodeId, inArea ? "match" : "noMatch");
            run(inArea ? x.match() : x.noMatch());
            return;
        }
        waiting = Waiting.ASYNC;
        String atNode = nodeId;
        ivr.onNumberList(enterpriseId, x.list(), vars.get("caller")).whenComplete((listed, err) -> {
            synchronized (this) {
                if (done || !atNode.equals(nodeId) || waiting != Waiting.ASYNC) return;
                waiting = Waiting.NOTHING;
                if (err != null) log.warn("call {}: number list lookup of node {} failed: {}", callId, nodeId, err.toString());
                boolean match = err == null && listed;
                host.logKey(callId, channel.id(), flowName, nodeId, match ? "match" : "noMatch");
                run(match ? x.match() : x.noMatch());
            }
        });
    }

    private void say(Flow.Say x) {
        String v = fill(x.value());
        Utterance u;
        try {
            u = Ivr.say(language(), x.as(), v);
        } catch (RuntimeException e) {
            log.info("call {}: cannot say '{}' as {}: {}", callId, v, x.as(), e.toString());
            run(x.next());
            return;
        }
        AudioClip clip = ivr.utterance(u);
        waiting = Waiting.PLAYBACK;
        afterPlayback = () -> run(x.next());
        playbackId = channel.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(clip)), false, false)).id();
    }

    private boolean isOpen(Flow.Time x) {
        return x.isOpenAt(clock.instant());
    }

    // --- ticket status (BIZ-1)

    private static List<Flow.Prompt> ticketAsk(Flow.TicketStatus x) {
        return x.prompts() != null && !x.prompts().isEmpty() ? x.prompts()
                : List.of(new Flow.Prompt(null, PromptKey.PLEASE_ENTER.name(), null), new Flow.Prompt(null, PromptKey.END_WITH_POUND.name(), null));
    }

    /** The keys of a tracking number are in: looked up off the call thread, then spoken, or asked again, or given up on. */
    private void ticketKeyed(Flow.TicketStatus x, String digits) {
        String keys = digits.replaceAll("[^0-9]", "");
        if (keys.isEmpty()) {
            host.logKey(callId, channel.id(), flowName, nodeId, "timeout");
            ticketAgain(x, false);
            return;
        }
        vars.put("ticketFound", "no");
        waiting = Waiting.ASYNC;
        String atNode = nodeId;
        ivr.ticketStatus(enterpriseId, keys, language()).whenComplete((answer, err) -> {
            synchronized (this) {
                if (done || !atNode.equals(nodeId) || waiting != Waiting.ASYNC) return;
                waiting = Waiting.NOTHING;
                if (err != null) log.warn("call {}: ticket lookup of node {} failed: {}", callId, nodeId, err.toString());
                if (answer instanceof Ivr.TicketAnswer.Found f) {
                    host.logKey(callId, channel.id(), flowName, nodeId, "found:" + f.status());
                    vars.put("ticketFound", "yes");
                    vars.put("ticketNumber", f.trackingNumber());
                    vars.put("ticketStatus", f.status());
                    String spaced = String.join(" ", keys.split(""));
                    String text = language() == Language.EN ? "Ticket " + spaced + ". Status: " + f.words() + "."
                            : "工单 " + spaced + "，当前状态：" + f.words() + "。";
                    play(List.of(new Flow.Prompt(text, null, null)), false, () -> run(x.next()));
                } else {
                    host.logKey(callId, channel.id(), flowName, nodeId, answer instanceof Ivr.TicketAnswer.Invalid ? "invalid" : "unknown");
                    ticketAgain(x, true);
                }
            }
        });
    }

    private void ticketAgain(Flow.TicketStatus x, boolean invalid) {
        if (++tries > x.tries()) {
            run(x.fail());
            return;
        }
        List<Flow.Prompt> again = new ArrayList<>();
        if (invalid) again.add(new Flow.Prompt(null, PromptKey.INVALID_INPUT.name(), null));
        again.addAll(ticketAsk(x));
        play(again, true, () -> collect(20, '#', x.timeout()));
    }

    /** IVR-4: the caller's customer field against the filled value, looked up off the call thread. */
    private void customerCheck(Flow.CustomerCheck x) {
        String given = fill(x.value()).strip();
        waiting = Waiting.ASYNC;
        String atNode = nodeId;
        ivr.customerField(enterpriseId, vars.get("caller"), x.field()).whenComplete((value, err) -> {
            synchronized (this) {
                if (done || !atNode.equals(nodeId) || waiting != Waiting.ASYNC) return;
                waiting = Waiting.NOTHING;
                if (err != null) log.warn("call {}: customer lookup of node {} failed: {}", callId, nodeId, err.toString());
                boolean found = err == null && value.isPresent();
                vars.put("customerFound", found ? "yes" : "no");
                boolean match = found && !given.isEmpty() && value.get().strip().equalsIgnoreCase(given);
                host.logKey(callId, channel.id(), flowName, nodeId, match ? "match" : "mismatch");
                run(match ? x.match() : x.mismatch());
            }
        });
    }

    private void http(Flow.Http x) {
        int timeout = x.timeoutMs() == null ? 3000 : x.timeoutMs();
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(fill(x.url()))).timeout(Duration.ofMillis(timeout));
        } catch (IllegalArgumentException e) {
            run(x.error() != null ? x.error() : x.next());
            return;
        }
        if ("POST".equals(x.method())) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(x.body() == null ? "" : fill(x.body())));
        }
        waiting = Waiting.ASYNC;
        String atNode = nodeId;
        ivr.http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).orTimeout(timeout, java.util.concurrent.TimeUnit.MILLISECONDS)
                .whenComplete((resp, err) -> {
                    synchronized (this) {
                        if (done || !atNode.equals(nodeId) || waiting != Waiting.ASYNC) return;
                        waiting = Waiting.NOTHING;
                        if (err != null || resp.statusCode() >= 400) {
                            vars.put("httpStatus", err != null ? "error" : Integer.toString(resp.statusCode()));
                            run(x.error() != null ? x.error() : x.next());
                            return;
                        }
                        vars.put("httpStatus", Integer.toString(resp.statusCode()));
                        try {
                            JsonNode json = JsonMapper.MAPPER.readTree(resp.body());
                            if (x.assign() != null) x.assign().forEach((var, path) -> vars.put(var, pick(json, path)));
                            run(x.next());
                        } catch (Exception e) {
                            run(x.error() != null ? x.error() : x.next());
                        }
                    }
                });
    }

    /**
     * IVR-1: the node's query on the enterprise's data source, off the call threads (the variables are copied now and bound
     * as parameters); its first row fills variables, and the call goes on by what came back.
     */
    private void db(Flow.Db x) {
        Map<String, String> now = new HashMap<>(vars);
        waiting = Waiting.ASYNC;
        String atNode = nodeId;
        ivr.dbLookup(enterpriseId, x.source(), x.query(), now::get).whenComplete((result, err) -> {
            synchronized (this) {
                if (done || !atNode.equals(nodeId) || waiting != Waiting.ASYNC) return;
                waiting = Waiting.NOTHING;
                DataSources.Result r = err != null ? new DataSources.Result.Failed(err.toString()) : result;
                vars.put("dbRows", "0");
                if (r instanceof DataSources.Result.Found f) {
                    vars.put("dbStatus", "found");
                    vars.put("dbRows", Integer.toString(f.rows()));
                    if (x.assign() == null || x.assign().isEmpty()) {
                        f.columns().forEach((column, value) -> {
                            if (FlowValidator.VARIABLE.matcher(column).matches()) vars.put(column, value);
                        });
                    } else {
                        x.assign().forEach((var, column) -> vars.put(var, f.columns().getOrDefault(column.toLowerCase(java.util.Locale.ROOT), "")));
                    }
                    host.logKey(callId, channel.id(), flowName, nodeId, "found");
                    run(x.found());
                } else if (r instanceof DataSources.Result.NotFound) {
                    vars.put("dbStatus", "notfound");
                    host.logKey(callId, channel.id(), flowName, nodeId, "notfound");
                    run(x.notFound());
                } else {
                    String reason = ((DataSources.Result.Failed) r).reason();
                    boolean timeout = "timeout".equals(reason);
                    vars.put("dbStatus", timeout ? "timeout" : "error");
                    log.warn("call {}: database lookup of node {} failed: {}", callId, nodeId, reason);
                    host.logKey(callId, channel.id(), flowName, nodeId, timeout ? "timeout" : "error");
                    run(x.error());
                }
            }
        });
    }

    /** A value from JSON by a dotted path ("a.b.0.c"); empty when absent. */
    static String pick(JsonNode json, String path) {
        JsonNode cur = json;
        for (String part : path.split("\\.")) {
            if (cur == null) return "";
            cur = part.matches("\\d+") && cur.isArray() ? cur.get(Integer.parseInt(part)) : cur.get(part);
        }
        return cur == null || cur.isNull() ? "" : cur.isValueNode() ? cur.asText() : cur.toString();
    }

    /** Fills ${var} from the call's variables. */
    String fill(String template) {
        if (template == null) return "";
        Matcher m = VAR.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), "")));
        m.appendTail(sb);
        return sb.toString();
    }

    String variable(String name) {
        return vars.get(name);
    }
}
