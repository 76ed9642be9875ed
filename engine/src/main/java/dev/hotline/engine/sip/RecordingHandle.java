package dev.hotline.engine.sip;

import dev.hotline.engine.call.Recording;
import dev.hotline.engine.rtp.Recorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A recording handle over the media layer's recorder (of a leg or a conference). */
final class RecordingHandle implements Recording {
    private final Recorder r;
    private final Runnable stopper;

    RecordingHandle(Recorder r, Runnable stopper) {
        this.r = r;
        this.stopper = stopper;
    }

    @Override
    public String id() {
        return r.id();
    }

    @Override
    public Path path() {
        return r.file();
    }

    @Override
    public Duration duration() {
        return r.duration();
    }

    @Override
    public void pause() {
        r.pause();
    }

    @Override
    public void resume() {
        r.resume();
    }

    @Override
    public Duration position() {
        return r.position();
    }

    @Override
    public List<Gap> gaps() {
        return r.gaps().stream().map(g -> new Gap(Duration.ofMillis(g[0] * 20), g[1] < 0 ? null : Duration.ofMillis(g[1] * 20))).toList();
    }

    @Override
    public void stop() {
        stopper.run();
    }

    @Override
    public boolean finished() {
        return r.finished();
    }
}
