package dev.hotline.engine.amd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.amd.AmdCorpus.Truth;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A smaller run of bench/run-amd.sh in the normal suite: 40 people and 40 machines of the labelled set (a seed other
 * than the one the defaults were tuned on), at least 90 % of each class right, beeps found.
 */
class AmdAccuracyTest {
    @Test
    void theDefaultsGetNineOutOfTenPeopleAndMachinesRight() {
        List<AmdCorpus.Call> calls = new AmdCorpus(AmdClips.CACHE).generate(40, 2026);
        AmdEvaluation e = AmdEvaluation.run(AmdParams.defaults(), calls);
        String report = e.json("") + "\n" + String.join("\n", e.wrong);
        assertThat(e.total(Truth.HUMAN)).isEqualTo(40);
        assertThat(e.total(Truth.MACHINE)).isEqualTo(40);
        assertThat(e.accuracy(Truth.HUMAN)).as(report).isGreaterThanOrEqualTo(0.9);
        assertThat(e.accuracy(Truth.MACHINE)).as(report).isGreaterThanOrEqualTo(0.9);
        assertThat(e.beepDetectionRate()).as(report).isGreaterThanOrEqualTo(0.9);
        assertThat(e.falseBeepRate()).as(report).isLessThanOrEqualTo(0.05);
    }

    @Test
    void theSetIsReproducible() {
        AmdCorpus corpus = new AmdCorpus(AmdClips.CACHE);
        List<AmdCorpus.Call> a = corpus.generate(3, 99);
        List<AmdCorpus.Call> b = new AmdCorpus(AmdClips.CACHE).generate(3, 99);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).describe()).isEqualTo(b.get(i).describe());
            assertThat(a.get(i).samples()).isEqualTo(b.get(i).samples());
        }
    }
}
