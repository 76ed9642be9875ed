package dev.hotline.engine.call;

/** A supervisor on a bridged call ({@link TelephonyEngine#tap}). */
public interface Tap {
    String agentChannelId();

    String supervisorChannelId();

    TapMode mode();

    /** Switches between listen, whisper and barge. */
    void mode(TapMode mode);

    /** The supervisor leaves; the call goes back to a plain bridge. */
    void stop();
}
