package dev.hotline.engine.call;

/**
 * The persistent WebRTC peer connection of one agent's browser ({@link TelephonyEngine#webRtcConnect}).
 * Call channels ({@link Target.WebRtc}) are multiplexed on it: the browser hears and is heard by one
 * of them at a time, the <em>active</em> one: the most recently answered channel that is not on hold
 * (neither it nor its bridged peer has {@link Channel#musicOnHold()}); when all are on hold, the most
 * recently answered of them. The others get silence from the browser and send nothing to it.
 */
public interface WebRtcConnection {
    /** The agent key it was opened under. */
    String key();

    /** The SDP answer to give to the browser's {@code setRemoteDescription}. */
    String answerSdp();

    /** True while ICE and DTLS are done and packets keep coming (see {@link CallEvent.WebRtcConnectionChanged}). */
    boolean connected();

    /** The audio format answered to the browser for the connection's life: {@code opus}, {@code PCMU} or {@code PCMA}. */
    String codec();
}
