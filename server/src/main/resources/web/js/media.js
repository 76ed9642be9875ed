// Addresses of the audio the console plays: recordings, prompts, voicemail messages and TTS previews.

import { i18n } from './i18n.js';

export function recordingAudioUrl(r) { return '/api/v1/recordings/' + encodeURIComponent(r.id) + '/audio'; }
export function recordingDownloadUrl(r) { return recordingAudioUrl(r) + '?download=1'; }

export function promptAudioUrl(name) { return '/api/v1/prompts/' + encodeURIComponent(name) + '/audio'; }

export function voicemailAudioUrl(m) { return '/api/v1/voicemail/' + encodeURIComponent(m.id) + '/audio'; }

/** zh when the text has Chinese characters, en when it has only Latin letters, else the UI language. */
export function guessLanguage(text) {
  const s = String(text || '');
  if (/[\u3400-\u9fff]/.test(s)) return 'zh';
  if (/[A-Za-z]/.test(s)) return 'en';
  return i18n.lang === 'zh' ? 'zh' : 'en';
}

export function ttsUrl(text, language) {
  return '/api/v1/tts/preview?text=' + encodeURIComponent(text) + '&language=' + encodeURIComponent(language);
}
