package dev.hotline.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallParty;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.CollectEnd;
import dev.hotline.engine.call.Direction;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.Playback;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.call.RecordFormat;
import dev.hotline.engine.call.RecordMode;
import dev.hotline.engine.call.Recording;
import dev.hotline.engine.call.LegCounters;
import dev.hotline.web.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The interpreter on a scripted channel: every step it takes, driven by the events a test feeds it. */
class IvrSessionTest {
    /** A channel that records what the session asks of it. */
    static final class ScriptedChannel implements Channel {
        final List<String> actions = new ArrayList<>();
        int playbacks;

        public String id() { return "ch-1"; }
        public Direction direction() { return Direction.INBOUND; }
        public ChannelState state() { return ChannelState.UP; }
        String callerNumber = "13800000000";
        public CallParty caller() { return new CallParty(callerNumber, "x", ""); }
        public CallParty callee() { return new CallParty("4000", "x", ""); }
        public Optional<Channel> bridgedWith() { return Optional.empty(); }
        public LegCounters counters() { return null; }
        public void ring() { }
        public void answer() { actions.add("answer"); }
        public void reject(int sipStatus) { actions.add("reject " + sipStatus); }
        public void hangup(HangupCause cause) { actions.add("hangup"); }
        public boolean onHold() { return false; }
        public Playback play(PlaybackRequest request) {
            String id = "pb-" + (++playbacks);
            actions.add("play " + request.items().size() + (request.bargeIn() ? " barge-in" : ""));
            return new Playback() {
                public String id() { return id; }
                public String channelId() { return "ch-1"; }
                public void stop() { }
            };
        }
        public void stopPlayback() { }
        public void collectDigits(int max, char terminator, Duration first, Duration inter) {
            actions.add("collect " + max + (terminator == 0 ? "" : " " + terminator) + " " + first.toSeconds() + "s");
        }
        public void sendDtmf(String digits) { }
        public void clearDigits() { actions.add("clear digits"); }
        public Recording record(Path file, RecordFormat format, RecordMode mode) { return null; }
        public void hold(Path musicFolder) { }
        public void unhold() { }
        public boolean musicOnHold() { return false; }
        public void mute(boolean muted) { }
        public boolean muted() { return false; }
    }

    /** The host side: what the session logged and asked of routing. */
    static final class RecordingHost implements IvrHost {
        final List<String> steps = new ArrayList<>();

        public void logNode(String c, String ch, String flow, String node, String type) { steps.add("node " + node); }
        public void logKey(String c, String ch, String flow, String node, String key) { steps.add("key " + key); }
        public boolean transfer(String c, Channel ch, String target, String value) {
            steps.add("transfer " + target + " " + value);
            return !value.equals("9999");
        }
        public boolean transfer(String c, Channel ch, String target, String value, int priority) {
            if (priority == 0) return transfer(c, ch, target, value);
            steps.add("transfer " + target + " " + value + " priority " + priority);
            return true;
        }
        public Flow.Graph publishedFlow(long e, String name) { return null; }
        public void ended(String ch) { steps.add("ended"); }
        public Path voicemailFile(String c, String bt, String b) { return Path.of("/tmp/vm.wav"); }
        public void saveVoicemail(String c, String ch, String bt, String b, String caller, String cb, Recording r, Duration spoken) { }
        public void discardVoicemail(Recording r) { }
    }

    final Path data = tempDir();
    final Ivr ivr = new Ivr(data);
    final ScriptedChannel ch = new ScriptedChannel();
    final RecordingHost host = new RecordingHost();

    static Path tempDir() {
        try {
            return Files.createTempDirectory("ivr-session");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        ivr.close();
    }

    IvrSession session(String json, Clock clock) throws Exception {
        Flow.Graph g = Json.MAPPER.readValue(json.replace('\'', '"'), Flow.Graph.class);
        IvrSession s = new IvrSession(1, "call-1", ch, "f", g, host, ivr, clock);
        s.start();
        s.onEvent(new CallEvent.ChannelAnswered("ch-1", Instant.now()));
        return s;
    }

    static final String MENU = "{'start':'m','nodes':{"
            + "'m':{'type':'menu','prompts':[{'prompt':'WELCOME'}],'options':{'1':'t','2':'s'},'timeoutSeconds':4,'retries':1,'fail':'bye'},"
            + "'t':{'type':'transfer','target':'extension','value':'1001','fail':'bye'},"
            + "'s':{'type':'set','variable':'v','value':'${caller}-x','next':'bad'},"
            + "'bad':{'type':'transfer','target':'extension','value':'9999','fail':'bye'},"
            + "'bye':{'type':'hangup'}}}";

    @Test
    void aMenuPlaysWithBargeInThenCollectsOneKeyAndFollowsIt() throws Exception {
        IvrSession s = session(MENU, Clock.systemUTC());
        assertThat(ch.actions).containsExactly("answer", "play 1 barge-in");
        s.onEvent(new CallEvent.PlaybackFinished("ch-1", "pb-1", true, Instant.now()));
        assertThat(ch.actions).endsWith("collect 1 4s");
        s.onEvent(new CallEvent.DigitsCollected("ch-1", "1", CollectEnd.MAX_DIGITS, Instant.now()));
        assertThat(host.steps).containsExactly("node m", "key 1", "node t", "transfer extension 1001", "ended");
    }

    @Test
    void invalidKeysAndTimeoutsRetryThenFail() throws Exception {
        IvrSession s = session(MENU, Clock.systemUTC());
        s.onEvent(new CallEvent.PlaybackFinished("ch-1", "pb-1", true, Instant.now()));
        s.onEvent(new CallEvent.DigitsCollected("ch-1", "7", CollectEnd.MAX_DIGITS, Instant.now()));
        assertThat(ch.actions).endsWith("play 2 barge-in"); // "invalid input" then the menu again
        s.onEvent(new CallEvent.PlaybackFinished("ch-1", "pb-2", true, Instant.now()));
        s.onEvent(new CallEvent.DigitsCollected("ch-1", "", CollectEnd.FIRST_DIGIT_TIMEOUT, Instant.now()));
        assertThat(host.steps).containsExactly("node m", "key 7", "key timeout", "node bye", "ended");
        assertThat(ch.actions).endsWith("hangup");
    }

    @Test
    void aFailedTransferTakesItsFailExitAndVariablesAreFilled() throws Exception {
        IvrSession s = session(MENU, Clock.systemUTC());
        s.onEvent(new CallEvent.PlaybackFinished("ch-1", "pb-1", true, Instant.now()));
        s.onEvent(new CallEvent.DigitsCollected("ch-1", "2", CollectEnd.MAX_DIGITS, Instant.now()));
        assertThat(s.variable("v")).isEqualTo("13800000000-x");
        assertThat(host.steps).containsSubsequence("node s", "node bad", "transfer extension 9999", "node bye");
    }

    @Test
    void aCallerLeavingDuringInputIsNoTimeout() throws Exception {
        IvrSession s = session(MENU, Clock.systemUTC());
        s.onEvent(new CallEvent.PlaybackFinished("ch-1", "pb-1", true, Instant.now()));
        s.onEvent(new CallEvent.DigitsCollected("ch-1", "", CollectEnd.HANGUP, Instant.now()));
        s.onEvent(new CallEvent.ChannelHungUp("ch-1", HangupCause.NORMAL_CLEARING, 0, Instant.now()));
        assertThat(host.steps).containsExactly("node m", "ended");
    }

    @Test
    void timeConditionsFollowTheClockHolidaysAndSpecialDays() throws Exception {
        String flow = "{'start':'h','nodes':{'h':{'type':'time','timezone':'Asia/Shanghai',"
                + "'weekly':[{'days':[1,2,3,4,5],'from':'09:00','to':'18:00'}],'holidays':['2026-10-01'],"
                + "'specialDays':[{'date':'2026-10-10','from':'10:00','to':'12:00'}],'open':'day','closed':'night'},"
                + "'day':{'type':'hangup'},'night':{'type':'hangup'}}}";
        ZoneId sh = ZoneId.of("Asia/Shanghai");
        // Wednesday 2026-11-25 10:00 in Shanghai: open; 20:00: closed.
        session(flow, Clock.fixed(java.time.ZonedDateTime.of(2026, 11, 25, 10, 0, 0, 0, sh).toInstant(), sh));
        session(flow, Clock.fixed(java.time.ZonedDateTime.of(2026, 11, 25, 20, 0, 0, 0, sh).toInstant(), sh));
        // A holiday on a Thursday at 10:00: closed. A Saturday special day at 11:00: open.
        session(flow, Clock.fixed(java.time.ZonedDateTime.of(2026, 10, 1, 10, 0, 0, 0, sh).toInstant(), sh));
        session(flow, Clock.fixed(java.time.ZonedDateTime.of(2026, 10, 10, 11, 0, 0, 0, sh).toInstant(), sh));
        assertThat(host.steps.stream().filter(x -> x.equals("node day") || x.equals("node night")).toList())
                .containsExactly("node day", "node night", "node night", "node day");
    }

    @Test
    void aPriorityNodeGivesTheCallsQueueTransferItsPriorityUnlessTheTransferHasItsOwn() throws Exception {
        session("{'start':'s','nodes':{'s':{'type':'set','variable':'tier','value':'40','next':'p'},"
                + "'p':{'type':'priority','value':'${tier}','next':'q'},'q':{'type':'transfer','target':'queue','value':'sales'}}}", Clock.systemUTC());
        session("{'start':'p','nodes':{'p':{'type':'priority','value':'20','next':'q'},"
                + "'q':{'type':'transfer','target':'queue','value':'support','priority':'7'}}}", Clock.systemUTC());
        session("{'start':'p','nodes':{'p':{'type':'priority','value':'${nothing}','next':'q'},"
                + "'q':{'type':'transfer','target':'queue','value':'sales'}}}", Clock.systemUTC());
        session("{'start':'p','nodes':{'p':{'type':'priority','value':'500','next':'q'},"
                + "'q':{'type':'transfer','target':'queue','value':'sales','priority':''}}}", Clock.systemUTC());
        assertThat(host.steps.stream().filter(x -> x.startsWith("transfer")).toList()).containsExactly(
                "transfer queue sales priority 40", "transfer queue support priority 7", "transfer queue sales", "transfer queue sales priority 100");
    }

    @Test
    void aCallerNodeMatchesAreasWhateverPrefixTheNumberHasAndSetsTheCallersArea() throws Exception {
        String flow = "{'start':'c','nodes':{'c':{'type':'caller','areas':['010','+86755','139'],'match':'yes','noMatch':'no'},"
                + "'yes':{'type':'hangup'},'no':{'type':'hangup'}}}";
        List<String> seen = new ArrayList<>();
        for (String caller : List.of("01088886666", "+861088886666", "008675512345678", "075512345678", "013900000001", "13900000001",
                "02188886666", "13800000000", "1001")) {
            host.steps.clear();
            ch.callerNumber = caller;
            IvrSession s = session(flow, Clock.systemUTC());
            seen.add(caller + " " + host.steps.get(1) + " " + s.variable("callerArea"));
        }
        assertThat(seen).containsExactly("01088886666 key match 010", "+861088886666 key match 010", "008675512345678 key match 0755",
                "075512345678 key match 0755", "013900000001 key match 139", "13900000001 key match 139", "02188886666 key noMatch 021",
                "13800000000 key noMatch 138", "1001 key noMatch ");
    }

    @Test
    void aCallerNodeWithAListButNoListsWiredTakesNoMatch() throws Exception {
        session("{'start':'c','nodes':{'c':{'type':'caller','list':'vip','match':'yes','noMatch':'no'},'yes':{'type':'hangup'},'no':{'type':'hangup'}}}",
                Clock.systemUTC());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> host.steps.contains("node no"));
        assertThat(host.steps).containsExactly("node c", "key noMatch", "node no", "ended");
    }

    @Test
    void aLoopingFlowIsStopped() throws Exception {
        session("{'start':'a','nodes':{'a':{'type':'set','variable':'x','value':'1','next':'b'},"
                + "'b':{'type':'set','variable':'x','value':'2','next':'a'}}}", Clock.systemUTC());
        assertThat(host.steps.stream().filter(x -> x.startsWith("node")).count()).isEqualTo(IvrSession.MAX_STEPS);
        assertThat(ch.actions).endsWith("hangup");
    }
}
