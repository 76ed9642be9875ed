/**
 * Speech: the shipped prompt set, saying values with it, and free-text TTS with espeak-ng.
 *
 * <ul>
 *   <li>{@link dev.hotline.engine.tts.Say} turns numbers, digits, amounts, dates, times, durations and queue
 *       positions into an {@link dev.hotline.engine.tts.Utterance} (a list of
 *       {@link dev.hotline.engine.tts.PromptKey}s in one {@link dev.hotline.engine.tts.Language}). Pure Java.</li>
 *   <li>{@link dev.hotline.engine.tts.PromptLibrary} holds the shipped prompts ({@code /prompts/zh/*.wav},
 *       {@code /prompts/en/*.wav}: 8 kHz mono μ-law WAV made by {@code prompts/generate.sh}) as 8 kHz 16-bit
 *       samples and renders an utterance into one clip. Works without espeak-ng.</li>
 *   <li>{@link dev.hotline.engine.tts.EspeakTts} renders free text with the espeak-ng process to cached 8 kHz
 *       16-bit WAV files. Blocking: for IVR publish time and worker pools only.</li>
 *   <li>{@link dev.hotline.engine.tts.WavIo} and {@link dev.hotline.engine.tts.Resampler}: the small WAV and
 *       band-limited resampling helpers both use.</li>
 * </ul>
 * All audio here is 8 kHz, 16-bit signed, mono, as {@code short[]}.
 */
package dev.hotline.engine.tts;
