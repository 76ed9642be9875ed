package dev.hotline.engine.tts;

/** Text could not be rendered to speech: espeak-ng failed, timed out, or produced no audio. */
public class TtsException extends RuntimeException {
    public TtsException(String message) {
        super(message);
    }

    public TtsException(String message, Throwable cause) {
        super(message, cause);
    }
}
