package dev.hotline.engine.rtp;

import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.media.MixMode;
import dev.hotline.engine.media.Mixer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Legs mixed together by the media clock: a conference room, or a bridged call with a supervisor
 * tap. Each member hears the mix of the others that it may hear ({@link MixMode}); tones are heard by
 * all; the room can be recorded. Public methods post commands to the clock; the rest is clock-only.
 */
public final class MixGroup {
    private static final int F = AudioClip.FRAME_SAMPLES;

    private final MediaClock clock;
    private final String name;
    private final List<ChannelMedia> members = new ArrayList<>();
    private final List<MixMode> memberModes = new ArrayList<>();
    private final List<ChannelMedia> memberTargets = new ArrayList<>();
    private short[][] ins = new short[4][];
    private short[][] outs = new short[4][];
    private MixMode[] modes = new MixMode[4];
    private int[] targets = new int[4];
    private final short[] toneFrame = new short[F];
    private final short[] roomFrame = new short[F];
    private PlayState tone;
    private Recorder recorder;
    private volatile boolean closed;
    private volatile int size;
    private volatile Consumer<ChannelMedia> onRemoved;
    private volatile AudioClip leaveTone;

    MixGroup(MediaClock clock, String name) {
        this.clock = clock;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Members now (as last seen by the clock). */
    public int size() {
        return size;
    }

    public boolean closed() {
        return closed;
    }

    /** The tone everyone hears when a member's leg ends. */
    public void setLeaveTone(AudioClip tone) {
        this.leaveTone = tone;
    }

    /** Called on the clock thread when a member leaves by itself (its leg ended). */
    public void onRemoved(Consumer<ChannelMedia> callback) {
        this.onRemoved = callback;
    }

    /**
     * Adds a leg (moved out of any other group) with its mode; {@code target} is the only member
     * that hears a {@link MixMode#WHISPER} member. {@code joinTone} (may be null) is played to all.
     */
    public void add(ChannelMedia m, MixMode mode, ChannelMedia target, AudioClip joinTone) {
        clock.execute(() -> {
            if (closed || m.closed) {
                return;
            }
            if (m.group != null && m.group != this) {
                m.group.remove(m);
            }
            int i = members.indexOf(m);
            if (i >= 0) {
                memberModes.set(i, mode);
                memberTargets.set(i, target);
            } else {
                members.add(m);
                memberModes.add(mode);
                memberTargets.add(target);
                m.group = this;
                m.forwardIn = false;
                clock.activate(m);
                playTone(joinTone);
            }
            layout();
        });
    }

    /** Changes a member's mode (mute/unmute, listen/whisper/barge). */
    public void setMode(ChannelMedia m, MixMode mode) {
        clock.execute(() -> {
            int i = members.indexOf(m);
            if (i >= 0) {
                memberModes.set(i, mode);
                layout();
            }
        });
    }

    /** Takes a leg out; it returns to its bridged peer's audio (or silence). */
    public void remove(ChannelMedia m, AudioClip leaveTone) {
        clock.execute(() -> {
            if (remove(m)) {
                playTone(leaveTone);
            }
        });
    }

    /** Records the room (the sum of everyone heard) from the next tick. */
    public void record(Recorder r) {
        clock.execute(() -> {
            if (closed) {
                r.stop();
                return;
            }
            if (recorder != null) {
                recorder.stop();
            }
            recorder = r;
        });
    }

    public void stopRecording(Recorder r) {
        clock.execute(() -> {
            if (recorder != null && (r == null || recorder == r)) {
                recorder.stop();
                recorder = null;
            }
        });
        if (r != null) {
            r.stop();
        }
    }

    /** Ends the group: every member leaves, the room recording stops. */
    public void close() {
        clock.execute(() -> {
            while (!members.isEmpty()) {
                remove(members.get(members.size() - 1));
            }
            stopRecording();
            closed = true;
        });
    }

    // ================================================================ clock thread

    void stopRecording() {
        if (recorder != null) {
            recorder.stop();
            recorder = null;
        }
    }

    boolean remove(ChannelMedia m) {
        int i = members.indexOf(m);
        if (i < 0) {
            return false;
        }
        members.remove(i);
        memberModes.remove(i);
        memberTargets.remove(i);
        if (m.group == this) {
            m.group = null;
            m.forwardIn = !m.muted && !m.held;
        }
        layout();
        if (m.closed || m.ep.closed) {
            playTone(leaveTone);
            Consumer<ChannelMedia> cb = onRemoved;
            if (cb != null) {
                cb.accept(m);
            }
        }
        return true;
    }

    private void playTone(AudioClip clip) {
        if (clip != null && clip.length() > 0) {
            tone = new PlayState(0, new AudioClip[] {clip}, false, false);
        }
    }

    private void layout() {
        int n = members.size();
        if (ins.length < n) {
            int cap = Math.max(n, ins.length * 2);
            ins = new short[cap][];
            outs = new short[cap][];
            modes = new MixMode[cap];
            targets = new int[cap];
        }
        for (int i = 0; i < n; i++) {
            modes[i] = memberModes.get(i);
            ChannelMedia t = memberTargets.get(i);
            targets[i] = t == null ? -1 : members.indexOf(t);
            outs[i] = members.get(i).mixOut;
        }
        size = n;
    }

    /** Phase 2 of a tick: every member's {@code mixOut}, the tone on top, the room to its recording. */
    void mix(Mixer mixer) {
        int n = members.size();
        for (int i = n - 1; i >= 0; i--) {
            ChannelMedia m = members.get(i);
            if (m.closed || m.ep.closed) {
                remove(m);
            }
        }
        n = members.size();
        if (n == 0 && recorder == null) {
            return;
        }
        for (int i = 0; i < n; i++) {
            ChannelMedia m = members.get(i);
            short[] x = m.heard();
            ins[i] = x;
            MixMode mode = memberModes.get(i);
            modes[i] = m.muted ? MixMode.MUTED : mode;
        }
        mixer.mix(n, ins, modes, targets, outs);
        boolean toneOn = tone != null;
        if (toneOn) {
            tone.fill(toneFrame);
            for (int i = 0; i < n; i++) {
                Mixer.add(outs[i], toneFrame, outs[i], F);
            }
            if (tone.atEnd()) {
                tone = null;
            }
        }
        Recorder r = recorder;
        if (r != null) {
            if (r.stopRequested()) {
                recorder = null;
                return;
            }
            if (toneOn) {
                System.arraycopy(toneFrame, 0, roomFrame, 0, F);
            } else {
                java.util.Arrays.fill(roomFrame, (short) 0);
            }
            for (int i = 0; i < n; i++) {
                if (ins[i] != null && (modes[i] == MixMode.NORMAL || modes[i] == MixMode.BARGE)) {
                    Mixer.add(roomFrame, ins[i], roomFrame, F);
                }
            }
            r.push(roomFrame, null);
        }
    }

    @Override
    public String toString() {
        return "MixGroup[" + name + ", " + size + " members]";
    }
}
