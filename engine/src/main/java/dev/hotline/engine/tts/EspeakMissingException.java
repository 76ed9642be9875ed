package dev.hotline.engine.tts;

/**
 * The espeak-ng binary cannot be run. Free-text TTS is unavailable until it is installed; shipped prompts still
 * work. The message tells the operator to run {@code apt-get install espeak-ng}.
 */
public class EspeakMissingException extends TtsException {
    public EspeakMissingException(String binary, Throwable cause) {
        super("espeak-ng is not installed or not runnable ('" + binary + "'): install it with"
                + " `apt-get install espeak-ng`, or set the path of the espeak-ng binary", cause);
    }
}
