package dev.hotline.engine.sip;

import dev.hotline.engine.amd.AmdParams;
import dev.hotline.engine.amd.AmdResult;
import dev.hotline.engine.call.Playback;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.call.RecordFormat;
import dev.hotline.engine.call.RecordMode;
import dev.hotline.engine.call.Recording;
import dev.hotline.engine.dtmf.DtmfDigit;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.rtp.ChannelMedia;
import dev.hotline.engine.rtp.Recorder;
import dev.hotline.engine.rtp.RtpEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What the server does with one leg's audio: playback, DTMF sent, recording, music on hold and mute,
 * over the leg's anchored media endpoint. Safe from any thread (the media layer serialises).
 */
final class LegMedia {
    private final SipEngine engine;
    private final String legId;
    private final RtpEndpoint media;
    private final Consumer<Recorder> recordingFinished;
    private volatile boolean musicOnHold;
    private volatile boolean muted;

    LegMedia(SipEngine engine, String legId, RtpEndpoint media, Consumer<Recorder> recordingFinished) {
        this.engine = engine;
        this.legId = legId;
        this.media = media;
        this.recordingFinished = recordingFinished;
    }

    private ChannelMedia cm() {
        if (media == null) {
            throw new IllegalStateException("channel " + legId + " has no media");
        }
        return media.media();
    }

    Playback play(PlaybackRequest request) {
        AudioClip[] clips = new AudioClip[request.items().size()];
        for (int i = 0; i < clips.length; i++) {
            PlaybackRequest.Item it = request.items().get(i);
            if (it instanceof PlaybackRequest.Item.Clip c) {
                clips[i] = c.clip();
            } else {
                Path file = ((PlaybackRequest.Item.File) it).path();
                try {
                    clips[i] = engine.clips.get(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot play " + file, e);
                }
            }
        }
        long pid = cm().play(clips, request.loop(), request.bargeIn());
        return new PlaybackHandle("pb-" + pid, pid);
    }

    private final class PlaybackHandle implements Playback {
        private final String pbId;
        private final long pid;

        PlaybackHandle(String pbId, long pid) {
            this.pbId = pbId;
            this.pid = pid;
        }

        @Override
        public String id() {
            return pbId;
        }

        @Override
        public String channelId() {
            return legId;
        }

        @Override
        public void stop() {
            cm().stopPlayback(pid);
        }
    }

    void stopPlayback() {
        cm().stopPlayback(0);
    }

    void sendDtmf(String digits) {
        List<DtmfDigit> keys = new ArrayList<>();
        for (char c : digits.toCharArray()) {
            DtmfDigit d = DtmfDigit.fromSymbol(c);
            if (d == null) {
                throw new IllegalArgumentException("not a DTMF key: '" + c + "'");
            }
            keys.add(d);
        }
        cm().sendDtmf(keys);
    }

    Recording record(Path file, RecordFormat format, RecordMode mode) {
        if (mode.stereo() && !format.supportsStereo()) {
            throw new IllegalArgumentException(format + " recordings are mono");
        }
        ChannelMedia m = cm();
        Recorder r;
        try {
            r = engine.relay().openRecording(file, format.encoding(), mode.stereo(), recordingFinished);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record to " + file, e);
        }
        m.record(r);
        return new RecordingHandle(r, () -> m.stopRecording(r));
    }

    void hold(Path musicFolder) {
        Path dir = musicFolder.toAbsolutePath().normalize();
        List<AudioClip> tracks = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
                    .sorted().toList()) {
                tracks.add(engine.clips.get(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read music folder " + dir, e);
        }
        if (tracks.isEmpty()) {
            tracks.add(AudioClip.silence(Duration.ofSeconds(1)));
        }
        musicOnHold = true;
        cm().hold(tracks.toArray(new AudioClip[0]), dir.toString());
    }

    void unhold() {
        musicOnHold = false;
        cm().unhold();
    }

    boolean musicOnHold() {
        return musicOnHold;
    }

    void mute(boolean on) {
        muted = on;
        cm().mute(on);
    }

    boolean muted() {
        return muted;
    }

    CompletableFuture<AmdResult> detectMachine(AmdParams params) {
        return cm().detectMachine(params);
    }

    /**
     * Stops what the engine itself sends to this party (playback, music on hold) so that the clock
     * no longer generates to it and the bridged peer's packets are relayed. Any thread.
     */
    void stopGenerating() {
        if (media == null) {
            return;
        }
        stopPlayback();
        unhold();
    }
}
