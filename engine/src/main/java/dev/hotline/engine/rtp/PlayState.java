package dev.hotline.engine.rtp;

import dev.hotline.engine.media.AudioClip;

/** A position in a list of clips, advanced one 20 ms frame at a time on the media clock. */
final class PlayState {
    final long id;
    final AudioClip[] clips;
    final boolean loop;
    final boolean bargeIn;
    int index;
    int pos;

    PlayState(long id, AudioClip[] clips, boolean loop, boolean bargeIn) {
        this.id = id;
        this.clips = clips;
        this.loop = loop;
        this.bargeIn = bargeIn;
    }

    /**
     * Fills one frame (padding with silence at the end); returns false when nothing was left to play
     * before this frame (the playback is over).
     */
    boolean fill(short[] out) {
        int off = 0;
        int len = out.length;
        boolean any = false;
        int guard = clips.length * 2 + 2;
        while (off < len && guard-- > 0) {
            if (index >= clips.length) {
                if (!loop || clips.length == 0) {
                    break;
                }
                index = 0;
                pos = 0;
            }
            AudioClip c = clips[index];
            int n = Math.min(len - off, c.length() - pos);
            if (n > 0) {
                c.copy(pos, out, off, n);
                off += n;
                pos += n;
                any = true;
            }
            if (pos >= c.length()) {
                index++;
                pos = 0;
            }
        }
        if (off < len) {
            java.util.Arrays.fill(out, off, len, (short) 0);
        }
        return any;
    }

    boolean atEnd() {
        return !loop && index >= clips.length;
    }
}
