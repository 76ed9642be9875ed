package dev.hotline.engine.tts;

import java.util.Locale;

/**
 * A language the engine speaks: the folder of its shipped prompts and the espeak-ng voice for free text.
 *
 * <p>Mandarin uses the espeak-ng voice {@code cmn-latn-pinyin}, not {@code cmn}: in espeak-ng 1.51 (Debian 12)
 * the {@code cmn} voice turns many Chinese characters into pinyin and then reads that pinyin as English letters
 * ("好" is spoken "hao three"; espeak-ng issues #1236 and #1370). Both voices share the Mandarin dictionary;
 * they differ only in how Latin letters are read (as pinyin instead of English), which an IVR prompt written in
 * Chinese does not need.
 */
public enum Language {
    ZH("zh", "cmn-latn-pinyin"),
    EN("en", "en");

    private final String code;
    private final String espeakVoice;

    Language(String code, String espeakVoice) {
        this.code = code;
        this.espeakVoice = espeakVoice;
    }

    /** Folder name under {@code prompts/} and the language tag: "zh" or "en". */
    public String code() {
        return code;
    }

    /** The espeak-ng voice used by {@link EspeakTts#voiceFor(Language)}. */
    public String espeakVoice() {
        return espeakVoice;
    }

    /** "zh", "zh-CN", "cmn", "en", "en-US" and so on; anything Chinese is ZH, anything else EN. */
    public static Language fromTag(String tag) {
        if (tag == null || tag.isBlank()) {
            throw new IllegalArgumentException("language tag is empty");
        }
        String t = tag.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("zh") || t.startsWith("cmn")) {
            return ZH;
        }
        if (t.startsWith("en")) {
            return EN;
        }
        throw new IllegalArgumentException("unsupported language '" + tag + "' (supported: zh, en)");
    }
}
