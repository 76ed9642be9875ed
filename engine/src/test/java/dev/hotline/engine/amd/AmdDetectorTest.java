package dev.hotline.engine.amd;

import static dev.hotline.engine.amd.AmdClips.join;
import static dev.hotline.engine.amd.AmdClips.ms;
import static dev.hotline.engine.amd.AmdClips.silence;
import static dev.hotline.engine.amd.AmdClips.speech;
import static dev.hotline.engine.amd.AmdClips.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The detector on fixed clips of espeak-ng speech, silence and tones, and its parameters' validation. */
class AmdDetectorTest {

    static AmdResult detect(AmdParams p, short[] clip) {
        AmdDetector d = new AmdDetector(p);
        d.processAll(clip);
        return d.stop();
    }

    @Test
    void aShortGreetingThenSilenceIsAHuman() {
        short[] hello = speech("Hello?", "en");
        AmdResult r = detect(AmdParams.defaults(), join(silence(600), hello, silence(3000)));
        assertThat(r.status()).isEqualTo(AmdStatus.HUMAN);
        assertThat(r.cause()).isEqualTo(AmdCause.HUMAN);
        assertThat(r.initialSilenceMs()).isCloseTo(600, within(60));
        assertThat(r.wordCount()).isBetween(1, 3);
        assertThat(r.greetingMs()).isBetween(100, ms(hello) + 40);
        // decided after 800 ms of silence following the greeting
        assertThat(r.decidedAtMs()).isCloseTo(600 + ms(hello) + 800, within(120));
        assertThat(r.beepFound()).isFalse();
    }

    @Test
    void aChineseShortGreetingIsAHumanToo() {
        AmdResult r = detect(AmdParams.defaults(), join(silence(400), speech("喂，你好", "cmn-latn-pinyin"),
                silence(3000)));
        assertThat(r.status()).isEqualTo(AmdStatus.HUMAN);
    }

    @Test
    void aLongGreetingIsAMachine() {
        AmdResult r = detect(AmdParams.defaults(), join(silence(300),
                speech("您好，您拨打的用户暂时无法接通，请在提示音后留言。", "cmn-latn-pinyin"), silence(2000)));
        assertThat(r.status()).isEqualTo(AmdStatus.MACHINE);
        assertThat(r.cause()).isIn(AmdCause.LONGGREETING, AmdCause.MAXWORDS);
        assertThat(r.decidedAtMs()).isLessThan(5000);
        assertThat(r.wordLengthsMs()).isNotEmpty().allSatisfy(w -> assertThat(w).isGreaterThanOrEqualTo(100));
    }

    @Test
    void silenceIsNotSureAfterTheInitialSilence() {
        AmdResult r = detect(AmdParams.defaults(), silence(6000));
        assertThat(r.status()).isEqualTo(AmdStatus.NOTSURE);
        assertThat(r.cause()).isEqualTo(AmdCause.INITIALSILENCE);
        assertThat(r.decidedAtMs()).isEqualTo(2500);
        assertThat(r.initialSilenceMs()).isEqualTo(-1);
        assertThat(r.wordCount()).isZero();
    }

    @Test
    void talkThatNeverStopsNorCountsIsNotSureWhenTheTimeRunsOut() {
        // bursts of 80 ms (under minWordLengthMs) 200 ms apart (over betweenWordsSilenceMs): no word, no greeting, no
        // silence long enough for INITIALSILENCE
        short[][] parts = new short[40][];
        for (int i = 0; i < 40; i += 2) {
            parts[i] = tone(300, 80, 3000);
            parts[i + 1] = silence(200);
        }
        AmdResult r = detect(AmdParams.defaults(), join(parts));
        assertThat(r.status()).isEqualTo(AmdStatus.NOTSURE);
        assertThat(r.cause()).isEqualTo(AmdCause.TOOLONG);
        assertThat(r.decidedAtMs()).isEqualTo(5000);
    }

    @Test
    void theBeepAfterTheGreetingIsFoundAtTheRightTime() {
        short[] greeting = speech("Hi, you've reached John, I can't take your call right now, please leave a message "
                + "after the tone.", "en");
        int beepAt = 500 + ms(greeting) + 700;
        short[] clip = join(silence(500), greeting, silence(700), tone(1000, 400, 9000), silence(3000));
        AmdResult r = detect(AmdParams.defaults().withBeepWaitMs(20_000), clip);
        assertThat(r.status()).isEqualTo(AmdStatus.MACHINE);
        assertThat(r.cause()).isIn(AmdCause.LONGGREETING, AmdCause.MAXWORDS);
        assertThat(r.decidedAtMs()).isLessThan(beepAt);
        assertThat(r.beepStartMs()).isCloseTo(beepAt, within(30));
        assertThat(r.beepEndMs()).isCloseTo(beepAt + 400, within(30));
        assertThat(r.beepHz()).isCloseTo(1000, within(25));
        // the result is final when the beep has ended, not later
        assertThat(r.totalMs()).isCloseTo(beepAt + 400, within(30));
    }

    @Test
    void withoutABeepWaitTheResultComesAtTheDecision() {
        short[] greeting = speech("Hello, you have reached the voicemail of Sarah Miller. Please leave your name and "
                + "number after the beep.", "en");
        AmdDetector d = new AmdDetector(AmdParams.defaults());
        d.processAll(join(silence(300), greeting, silence(500), tone(800, 300, 9000)));
        AmdResult r = d.result();
        assertThat(r).isNotNull();
        assertThat(r.totalMs()).isEqualTo(r.decidedAtMs());
        assertThat(r.beepFound()).isFalse();
    }

    @Test
    void aBeepBeforeAnyDecisionMakesAMachine() {
        AmdResult r = detect(AmdParams.defaults(), join(silence(700), tone(1400, 500, 8000), silence(3000)));
        assertThat(r.status()).isEqualTo(AmdStatus.MACHINE);
        assertThat(r.cause()).isEqualTo(AmdCause.BEEP);
        assertThat(r.beepStartMs()).isCloseTo(700, within(20));
    }

    @Test
    void speechAndNoiseAreNotBeeps() {
        BeepDetector b = new BeepDetector(120);
        short[] speech = join(speech("您好，欢迎致电光明牙科，现在是非工作时间，请留下您的姓名和电话。", "cmn-latn-pinyin"),
                speech("Thank you for calling Acme Dental. Our office is now closed.", "en"));
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < speech.length; i++) {
            speech[i] = (short) Math.max(-32768, Math.min(32767, speech[i] + 800 * rnd.nextGaussian()));
        }
        for (int off = 0, at = 0; off + 160 <= speech.length; off += 160, at += 20) {
            b.process(speech, off, at);
        }
        assertThat(b.found()).isFalse();
    }

    @Test
    void aHangupBeforeTheDecisionGivesHangupWithTheMeasuresSoFar() {
        AmdDetector d = new AmdDetector(AmdParams.defaults());
        d.processAll(join(silence(400), tone(300, 300, 4000)));
        AmdResult r = d.stop();
        assertThat(r.status()).isEqualTo(AmdStatus.HANGUP);
        assertThat(r.initialSilenceMs()).isCloseTo(400, within(20));
        assertThat(r.totalMs()).isEqualTo(700);
    }

    @Test
    void theNoiseAdaptiveThresholdHearsWordsInNoiseThatAsteriskTakesForOneLongWord() {
        short[] hello = speech("Hello?", "en");
        short[] clip = join(silence(600), hello, silence(3000));
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int i = 0; i < clip.length; i++) {
            clip[i] = (short) Math.max(-32768, Math.min(32767, clip[i] + 700 * rnd.nextGaussian()));
        }
        assertThat(detect(AmdParams.asterisk(), clip).cause()).isEqualTo(AmdCause.LONGGREETING);
        assertThat(detect(AmdParams.defaults(), clip).status()).isEqualTo(AmdStatus.HUMAN);
    }

    @Test
    void processAllocatesNothingPerFrame() {
        short[] clip = join(silence(300), tone(1000, 2000, 8000), speech("Hello?", "en"));
        AmdDetector d = new AmdDetector(AmdParams.defaults().withBeepWaitMs(60_000));
        BeepDetector b = new BeepDetector(120);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        // warm up the code paths (class loading, JIT) on a second detector
        AmdDetector warm = new AmdDetector(AmdParams.defaults().withBeepWaitMs(60_000));
        warm.processAll(clip);
        long before = mx.getThreadAllocatedBytes(tid);
        for (int off = 0, at = 0; off + 160 <= clip.length; off += 160, at += 20) {
            d.process(clip, off);
            b.process(clip, off, at);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(d.decided()).isTrue();
        assertThat(allocated).as("bytes allocated over %d frames", clip.length / 160).isLessThan(1024);
    }

    @Test
    void badParametersAreRejectedNamingTheParameter() {
        assertThatThrownBy(() -> new AmdParams(50, 1500, 800, 5000, 100, 50, 3, 256, 5000, 0, 0, 120))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AMD parameter initialSilenceMs must be 100..30000: 50");
        assertThatThrownBy(() -> new AmdParams(2500, 1500, 800, 5000, 100, 50, 0, 256, 5000, 0, 0, 120))
                .hasMessage("AMD parameter maxWords must be 1..100: 0");
        assertThatThrownBy(() -> new AmdParams(2500, 1500, 800, 5000, 100, 50, 3, -1, 5000, 0, 0, 120))
                .hasMessage("AMD parameter silenceThreshold must be 1..32767: -1");
        assertThatThrownBy(() -> new AmdParams(2500, 1500, 800, 5000, 100, 50, 3, 256, 5000, 0, -5, 120))
                .hasMessage("AMD parameter beepWaitMs must be 0..120000: -5");
        assertThatThrownBy(() -> new AmdParams(2500, 1500, 800, 5000, 100, 50, 3, 256, 5000, 50, 0, 120))
                .hasMessage("AMD parameter noiseAdaptDb must be 0..40: 50");
        assertThatThrownBy(() -> new AmdParams(2500, 1500, 800, 5000, 600, 50, 3, 256, 500, 0, 0, 120))
                .hasMessage("AMD parameter minWordLengthMs (600) must not exceed maxWordLengthMs (500)");
        assertThatThrownBy(() -> new AmdParams(2500, 1500, 800, 5000, 100, 900, 3, 256, 5000, 0, 0, 120))
                .hasMessage("AMD parameter betweenWordsSilenceMs (900) must be less than afterGreetingSilenceMs (800)");
        assertThat(AmdParams.asterisk()).isEqualTo(new AmdParams(2500, 1500, 800, 5000, 100, 50, 3, 256, 5000, 0, 0,
                120));
    }
}
