// Message bundles: web/i18n/<lang>.json, flat key -> text, "{name}" placeholders.
// The chosen language lives in localStorage "hotline.lang"; without a choice it follows the
// browser (zh for zh-*, otherwise en). When logged in, a switch is also saved on the server.

import { api, isLoggedIn } from './api.js';

export const LANGS = ['zh', 'en'];
const STORAGE_KEY = 'hotline.lang';
const reactive = (window.Vue && window.Vue.reactive) ? window.Vue.reactive : (o) => o;

/** Reactive: templates that call t() re-render when the language changes. */
export const i18n = reactive({ lang: initialLang(), messages: {} });
const bundles = {};

function storedLang() {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(v) ? v : null;
  } catch (e) { return null; }
}

function browserLang() {
  const n = ((navigator.languages && navigator.languages[0]) || navigator.language || 'en').toLowerCase();
  return n.startsWith('zh') ? 'zh' : 'en';
}

function initialLang() { return storedLang() || browserLang(); }

/** True when the user has picked a language in this browser. */
export function hasStoredLang() { return storedLang() != null; }

async function fetchBundle(lang) {
  if (!bundles[lang]) {
    const res = await fetch('/i18n/' + lang + '.json', { cache: 'no-cache' });
    if (!res.ok) throw new Error('cannot load language bundle ' + lang);
    bundles[lang] = await res.json();
  }
  return bundles[lang];
}

/** Loads the bundle and makes it current (without remembering the choice). */
export async function loadLang(lang) {
  if (!LANGS.includes(lang)) lang = 'en';
  const messages = await fetchBundle(lang);
  i18n.messages = messages;
  i18n.lang = lang;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  applyDom();
  return lang;
}

/** Switches language on the user's request: remembered locally and, when logged in, on the server. */
export async function setLang(lang) {
  try { localStorage.setItem(STORAGE_KEY, lang); } catch (e) { /* private mode */ }
  await loadLang(lang);
  if (isLoggedIn()) {
    try { await api.put('/me/language', { language: lang }); } catch (e) { /* not fatal */ }
  }
}

/** After /me: adopt the user's saved language unless this browser has its own choice, which is then saved. */
export async function adoptUserLang(me) {
  const userLang = me && LANGS.includes(me.language) ? me.language : null;
  const stored = storedLang();
  if (stored) {
    if (userLang !== stored && isLoggedIn()) {
      try { await api.put('/me/language', { language: stored }); } catch (e) { /* not fatal */ }
    }
    if (stored !== i18n.lang) await loadLang(stored);
  } else if (userLang && userLang !== i18n.lang) {
    await loadLang(userLang);
  }
}

export function has(key) { return Object.prototype.hasOwnProperty.call(i18n.messages, key); }

/** Text for key, with {name} placeholders filled from params. Unknown keys show the key itself. */
export function t(key, params) {
  let s = i18n.messages[key];
  if (s === undefined || s === null) return key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] !== undefined && params[k] !== null ? String(params[k]) : m));
  return s;
}

/** Text for key, or fallback when the bundle has no such key (for keys built from data, e.g. a role name). */
export function tOr(key, fallback, params) {
  return has(key) ? t(key, params) : fallback;
}

/** Fills static markup: data-i18n (text), data-i18n-placeholder, data-i18n-title. */
export function applyDom(root) {
  const r = root || document;
  r.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.getAttribute('data-i18n')); });
  r.querySelectorAll('[data-i18n-placeholder]').forEach((el) => { el.setAttribute('placeholder', t(el.getAttribute('data-i18n-placeholder'))); });
  r.querySelectorAll('[data-i18n-title]').forEach((el) => { el.setAttribute('title', t(el.getAttribute('data-i18n-title'))); });
}

// Codes whose server message says what exactly went wrong (e.g. "department still has users").
const DETAIL_CODES = ['conflict', 'forbidden', 'bad_request', 'not_found'];

/** Text for an ApiError (or any error): error.<code> from the bundle (+ the server's detail), else the message. */
export function errorText(err) {
  if (!err) return '';
  const key = 'error.' + (err.code || 'internal');
  if (!has(key)) return err.message || t('error.internal');
  const detail = DETAIL_CODES.includes(err.code) && err.message && !(err.fieldErrors && err.fieldErrors.length) ? err.message : '';
  return detail ? t('error.withDetail', { text: t(key), detail }) : t(key);
}

// Field error messages of the API (English) → bundle keys, so that they show in the UI language.
const FIELD_MESSAGES = {
  'required': 'validation.required',
  'already exists': 'validation.alreadyExists',
  'already used by another user': 'validation.alreadyUsed',
  'already has an extension': 'validation.hasExtension',
  'belongs to another user': 'validation.belongsToOther',
  '1–6 digits': 'validation.extension',
  '1–16 letters or digits': 'validation.jobNumber',
  "2–32 letters, digits, '.', '_' or '-'": 'validation.username',
  "2–32 lower-case letters, digits or '-', starting with a letter": 'validation.code',
  'not an e-mail address': 'validation.email',
  'no such role': 'validation.noSuchRole',
  'no such department': 'validation.noSuchDepartment',
  'no such user': 'validation.noSuchUser',
  'would make a cycle': 'validation.cycle',
  'reserved': 'validation.reserved',
  'wrong password': 'validation.wrongPassword',
  'printable ASCII without spaces': 'validation.printable',
  'must be a number': 'validation.number',
  'already blocked': 'validation.alreadyBlocked',
  'ip or register': 'validation.trunkKind',
  'a host name or IP address': 'validation.host',
  '1..65535': 'validation.port',
  'udp, tcp or tls': 'validation.transport',
  'off, optional or required': 'validation.srtp',
  'needs transport tls': 'validation.srtpNeedsTls',
  'IP addresses': 'validation.ipList',
  'a phone number': 'validation.phoneNumber',
  '0 (unlimited) or more': 'validation.maxChannels',
  '60..86400 seconds': 'validation.registerExpires',
  'digits, optionally ending in *': 'validation.blacklistNumber',
  'no such trunk': 'validation.noSuchTrunk',
  'no such extension': 'validation.noSuchExtension',
  'up to 16 digits': 'validation.shortDigits',
  '0..16': 'validation.stripDigits',
  '4–16 digits': 'validation.pin',
  '0..10000': 'validation.priority',
  'no such conference room': 'validation.noSuchRoom',
  '4–8 digits': 'validation.conferencePin',
  "is an extension's number": 'validation.isExtension',
  'unknown outcome': 'validation.outcome',
  'none, all, inbound, outbound or internal': 'validation.recordingPolicy',
  'pcm, ulaw or gsm': 'validation.recordingFormat',
  'GSM recordings are mono': 'validation.gsmMono',
  '1..3650': 'validation.retentionDays',
  'larger than 20 MB': 'validation.tooLarge',
  'file larger than 20 MB': 'validation.tooLarge',
  "file name must be letters, digits, '.', '_' or '-' and end in .wav": 'validation.mohName',
  'audio shorter than 0.2 s': 'validation.audioTooShort',
  'extension, conference, flow, queue, voicemail or ringgroup': 'validation.destinationType',
  'no such flow': 'validation.noSuchFlow',
  "1–32 lower-case letters, digits, '_' or '-'": 'validation.flowName',
  // IVR flow validation (problems of a draft, refusals of a publish)
  'not connected': 'validation.flow.notConnected',
  'unreachable from the start': 'validation.flow.unreachable',
  'start node does not exist': 'validation.flow.noStart',
  'a flow needs at least one node': 'validation.flow.noNodes',
  "node ids are 1–40 letters, digits, '_' or '-'": 'validation.flow.nodeId',
  'unknown node type': 'validation.flow.nodeType',
  'needs at least one prompt': 'validation.flow.needsPrompt',
  'one of tts, prompt or file': 'validation.flow.promptKind',
  'text of 1–1000 characters': 'validation.flow.ttsLength',
  'a menu needs at least one option': 'validation.flow.noOptions',
  'keys are 0-9, * or #': 'validation.flow.keys',
  '#, * or none': 'validation.flow.terminator',
  'unknown time zone': 'validation.flow.timezone',
  'days 1 (Monday) to 7 (Sunday)': 'validation.flow.days',
  'from must be before to': 'validation.flow.fromBeforeTo',
  'times as HH:MM': 'validation.flow.timeFormat',
  'dates as YYYY-MM-DD': 'validation.flow.dateFormat',
  "a name of letters, digits and '_'": 'validation.flow.variable',
  'GET or POST': 'validation.flow.method',
  'an http:// or https:// address': 'validation.flow.url',
  'digits, number, amount, date or time': 'validation.flow.sayAs',
  'at least one language': 'validation.flow.noLanguages',
  'zh or en': 'validation.flow.language',
  'extension, conference or external': 'validation.flow.transferTarget',
  'extension or queue': 'validation.flow.boxType',
  'no such queue': 'validation.noSuchQueue',
  // ACD-3 / ACD-4 flow nodes (queue priority, caller condition) and number lists
  '0..100 or a ${variable}': 'validation.flow.priority',
  'required: 0..100 or a ${variable}': 'validation.flow.priorityRequired',
  'an area code or a number list is required': 'validation.flow.callerNeedsAreaOrList',
  'an area code such as 010 or 0755, or a mobile prefix such as 138': 'validation.flow.area',
  'no such number list': 'validation.flow.noSuchNumberList',
  'a phone number, or an area code or prefix ending in * (0755*, 138*)': 'validation.numberListEntry',
  // ACD: queue settings, skills, reason codes, agent states
  'queue:<name> or extension:<number> of an existing box': 'validation.voicemailBox',
  'cannot be the queue itself': 'validation.notItself',
  'one of 0-9, * or #': 'validation.queueKey',
  'must differ from the voicemail key': 'validation.keysDiffer',
  '0 (never) or 5..600': 'validation.announceSeconds',
  '0 (never) or 10..3600': 'validation.periodicSeconds',
  '1..32 letters, digits, _ or -': 'validation.acdCode',
  'level 1..10': 'validation.level',
  'no such skill': 'validation.noSuchSkill',
  'no such reason code': 'validation.noSuchReason',
  'sip, webrtc or external': 'validation.device',
  'ready, not_ready or logged_out': 'validation.agentState',
};

/** Text for a field error message from the API, translated when known, else as sent. */
export function fieldErrorText(message) {
  if (!message) return '';
  const key = FIELD_MESSAGES[message];
  if (key && has(key)) return t(key);
  let m = /^at least (\d+) characters$/.exec(message);
  if (m) return t('validation.minLength', { n: m[1] });
  m = /^at most (\d+) characters$/.exec(message);
  if (m) return t('validation.maxLength', { n: m[1] });
  if (/^not a WAV audio file/.test(message)) return t('validation.notWav');
  m = /^goes to missing node (.+)$/.exec(message);
  if (m) return t('validation.flow.missingNode', { node: m[1] });
  m = /^no shipped prompt (.+)$/.exec(message);
  if (m) return t('validation.flow.noShippedPrompt', { name: m[1] });
  m = /^no uploaded prompt (.+)$/.exec(message);
  if (m) return t('validation.flow.noUploadedPrompt', { name: m[1] });
  if (/^not audio this server can play/.test(message)) return t('validation.notAudio');
  if (/^MP3 needs sox/.test(message)) return t('validation.mp3NeedsSox');
  if (/^cannot read this MP3/.test(message)) return t('validation.badMp3');
  if (/^file name must be letters, digits, '\.', '_' or '-', ending in \.wav or \.mp3$/.test(message)) return t('validation.promptName');
  m = /^text to speech needs espeak-ng/.exec(message);
  if (m) return t('validation.flow.noTts');
  m = /^no such skill: (.+)$/.exec(message);
  if (m) return t('validation.noSuchSkillNamed', { name: m[1] });
  m = /^minimum level of (.+) must be 1\.\.10$/.exec(message);
  if (m) return t('validation.skillLevel', { name: m[1] });
  m = /^(.+) listed twice$/.exec(message);
  if (m) return t('validation.listedTwice', { name: m[1] });
  m = /^digits, optionally ending in \* for a prefix: (.*)$/.exec(message);
  if (m) return t('validation.vipNumber', { number: m[1] });
  if (/^type must be one of /.test(message)) return t('validation.destinationKind');
  m = /^(\d+)\.\.(\d+)$/.exec(message);
  if (m) return t('validation.range', { min: m[1], max: m[2] });
  return message;
}
