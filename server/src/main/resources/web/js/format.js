// Shared formatting of values for every page: times, durations, sizes, the empty-cell dash, labels
// of roles and permissions, and the parsing of form inputs back into API values. Pages import these
// from here instead of keeping their own copies.

import { t, tOr } from './i18n.js';

const pad = (n) => String(n).padStart(2, '0');

/** The empty-cell dash for null, undefined and ''. */
export function dash(v) { return v === null || v === undefined || v === '' ? '—' : v; }

// ---------- dates and times ----------

/** Formats an ISO-8601 instant as local "YYYY-MM-DD HH:mm:ss". */
export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return String(iso);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}

/** A local date as "YYYY-MM-DD". */
export function ymd(d) { return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()); }

/** A datetime-local input's value as an ISO instant; '' when blank or invalid. */
export function toIso(local) {
  if (!local) return '';
  const d = new Date(local);
  return isNaN(d.getTime()) ? '' : d.toISOString();
}

// ---------- durations and sizes ----------

/** Live timers (desk, monitor): "m:ss" or "h:mm:ss" of whole seconds, rounded down; "—" when unknown. */
export function clock(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? h + ':' + pad(m) + ':' + pad(s % 60) : m + ':' + pad(s % 60);
}

/** Recorded durations: 75 → "1:15", 3700 → "1:01:40"; rounded, missing counts as 0. */
export function fmtDuration(seconds) {
  const s = Math.max(0, Math.round(Number(seconds) || 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? h + ':' + pad(m) + ':' + pad(s % 60) : m + ':' + pad(s % 60);
}

/** Milliseconds as "m:ss", whole seconds down, as the browser's player shows the length. */
export function fmtMs(ms) { return fmtDuration(Math.floor((Number(ms) || 0) / 1000)); }

/** 1536 → "1.5 KB", 3 400 000 → "3.2 MB". */
export function fmtSize(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
  return (n / (1024 * 1024)).toFixed(1) + ' MB';
}

// ---------- sorting ----------

/** Sorts objects with a `number` (extension, room, DID) in natural order: 2 before 10. */
export function byNumber(a, b) { return String(a.number).localeCompare(String(b.number), undefined, { numeric: true }); }

/** Sorts objects by their `name`. */
export function byName(a, b) { return String(a.name).localeCompare(String(b.name)); }

// ---------- labels ----------

/** An agent's device in words: "Browser phone", "SIP phone 1001", "Mobile 13800138000" (never an internal id). */
export function deviceLabel(kind, number) {
  if (!kind) return '—';
  if (kind === 'webrtc') return t('device.webrtc');
  if (kind === 'sip') return number ? t('device.sipNumber', { number }) : t('device.sip');
  if (kind === 'external') return number ? t('device.externalNumber', { number }) : t('device.external');
  return kind;
}

/** A destination "type:target" (queue:sales, voicemail:1001, extension:1002, ...) in words: "Queue sales". */
export function destinationLabel(type, target) {
  if (!type) return '—';
  if (target === undefined || target === null) {
    const i = String(type).indexOf(':');
    if (i < 0) return tOr('destination.' + type, type);
    target = type.slice(i + 1);
    type = type.slice(0, i);
  }
  const label = tOr('destination.' + type, '');
  return label ? (target ? label + ' ' + target : label) : type + (target ? ':' + target : '');
}

/** "Enabled" / "Disabled". */
export function enabledLabel(on) { return on ? t('common.enabled') : t('common.disabled'); }

/** A role (object or name): built-in roles translated, custom ones by their name. */
export function roleLabel(role) {
  if (!role) return '—';
  const name = role.name || role;
  if (role.builtin === false) return name;
  return tOr('role.builtin.' + name, name);
}

/** Translated label of a permission name such as "user.read". */
export function permLabel(name) {
  return tOr('perm.' + name, name);
}

// ---------- form inputs back to API values ----------

/** '' → null, trimmed otherwise. */
export function blankToNull(v) {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

/** A whole number from a form input, null when blank, the text itself when not a number (the API says so). */
export function intOrNull(v) {
  const s = v === null || v === undefined ? '' : String(v).trim();
  if (s === '') return null;
  return /^-?\d+$/.test(s) ? Number(s) : s;
}

/** "1.2.3.4, 5.6.7.8" or one per line → ["1.2.3.4", "5.6.7.8"]. */
export function splitList(s) {
  return String(s || '').split(/[\s,;]+/).map((x) => x.trim()).filter((x) => x);
}

// ---------- monitor alerts (SUP-3) ----------

/** A share (0..1) as a percentage with one decimal; the dash for null. */
export function pct(v) { return v == null ? '—' : Math.round(v * 1000) / 10 + '%'; }

/** An alert of the monitor in words: the same text on the supervisor's page, the wallboard and the desk. */
export function alertText(a) {
  const sl = a.kind === 'service_level';
  return t('wallboard.alert.' + a.kind, { queue: a.subject, value: sl ? pct(a.value) : a.value, threshold: sl ? pct(a.threshold) : a.threshold });
}
