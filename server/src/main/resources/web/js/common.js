// Shared pieces of every page: boot (language + /me + CSRF), the top bar, the language switch,
// modal, form field with its API error, confirm dialog and toasts.

import { api, setCsrfToken, setUnauthenticatedHandler } from './api.js';
import { i18n, t, tOr, loadLang, setLang, adoptUserLang, errorText, fieldErrorText, LANGS } from './i18n.js';
import { fmtTime, dash } from './format.js';

const { createApp, reactive } = window.Vue;

export const ICONS = {
  logo: '<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L8 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2z"/></svg>',
};

let redirecting = false;
/** Sends the browser to the login page, coming back here afterwards. */
export function goLogin() {
  if (redirecting) return;
  redirecting = true;
  const here = location.pathname + location.hash;
  const next = (here && here !== '/' && here !== '/index.html') ? '?next=' + encodeURIComponent(here) : '';
  location.replace('/login.html' + next);
}

const CONSOLE_PERMS = ['enterprise.manage', 'user.read', 'department.read', 'role.read', 'extension.read',
  'queue.read', 'ivr.read', 'routing.read', 'call.read', 'recording.read', 'audit.read', 'token.write', 'customer.read', 'addressbook.use',
  'ticket.read', 'kb.read'];

/** Where a user goes after login: operator → enterprises, agents → desk, others → console. */
export function landingFor(me) {
  const perms = new Set((me && me.permissions) || []);
  if (me && me.enterprise && me.enterprise.code === 'system') return '/#/enterprises';
  // Each built-in role lands on its own home page: the agent on the desk, the supervisor on the monitor.
  if (me && me.role === 'agent') return '/agent.html';
  if (me && me.role === 'supervisor' && perms.has('monitor.read')) return '/supervisor.html';
  if (CONSOLE_PERMS.some((p) => perms.has(p))) return '/';
  if (perms.has('agent.desk')) return '/agent.html';
  if (perms.has('monitor.read')) return '/supervisor.html';
  return '/';
}

export function hasConsoleAccess(me) {
  const perms = new Set((me && me.permissions) || []);
  return CONSOLE_PERMS.some((p) => perms.has(p));
}

/** Loads the language and the current user; redirects to login when there is no session. */
export async function boot() {
  setUnauthenticatedHandler(() => goLogin());
  await loadLang(i18n.lang);
  let me;
  try {
    me = await api.get('/me');
  } catch (e) {
    if (e.status === 401) { goLogin(); return null; }
    const box = document.getElementById('app');
    if (box) {
      box.innerHTML = '<div class="center-msg" data-testid="boot-error"></div>';
      box.firstChild.textContent = errorText(e);
    }
    return null;
  }
  setCsrfToken(me.csrfToken);
  await adoptUserLang(me);
  return me;
}

export async function logout() {
  try { await api.post('/auth/logout'); } catch (e) { /* session may already be gone */ }
  setCsrfToken(null);
  location.replace('/login.html');
}



// ---------- toasts and confirm ----------
export const ui = reactive({ toasts: [], confirm: null });
let toastSeq = 0;
export function toast(message, kind) {
  const id = ++toastSeq;
  ui.toasts.push({ id, message, kind: kind || 'ok' });
  setTimeout(() => { const i = ui.toasts.findIndex((x) => x.id === id); if (i >= 0) ui.toasts.splice(i, 1); }, kind === 'error' ? 6000 : 3000);
}
export function toastError(err) { toast(errorText(err), 'error'); }
/** Resolves true when the user confirms. */
export function confirmDialog(message, opts) {
  return new Promise((resolve) => {
    ui.confirm = { message, danger: !(opts && opts.danger === false), okKey: (opts && opts.okKey) || 'common.delete', resolve };
  });
}

const UiHost = {
  setup() { return { ui }; },
  methods: {
    answer(v) { const c = ui.confirm; ui.confirm = null; if (c) c.resolve(v); },
  },
  template: `
    <div class="toasts" data-testid="toasts">
      <div v-for="x in ui.toasts" :key="x.id" class="toast" :class="x.kind" data-testid="toast">{{ x.message }}</div>
    </div>
    <div v-if="ui.confirm" class="modal-backdrop" @keydown.esc="answer(false)">
      <div class="modal small" role="alertdialog" data-testid="confirm-dialog">
        <div class="modal-head"><h3>{{ t('common.confirmTitle') }}</h3></div>
        <div class="modal-body"><div>{{ ui.confirm.message }}</div></div>
        <div class="modal-foot">
          <button class="btn" data-testid="confirm-cancel" @click="answer(false)">{{ t('common.cancel') }}</button>
          <button class="btn" :class="ui.confirm.danger ? 'btn-danger-solid' : 'btn-primary'" data-testid="confirm-ok" @click="answer(true)">{{ t(ui.confirm.okKey) }}</button>
        </div>
      </div>
    </div>`,
};

// ---------- components ----------
export const LangSwitch = {
  props: { light: Boolean },
  setup() { return { i18n, LANGS }; },
  methods: { pick(l) { if (l !== i18n.lang) setLang(l); } },
  template: `
    <div class="lang-switch" :class="{ light }" role="group" :aria-label="t('common.language')">
      <button type="button" data-testid="lang-zh" :class="{ active: i18n.lang === 'zh' }" @click="pick('zh')">{{ t('lang.zh') }}</button>
      <button type="button" data-testid="lang-en" :class="{ active: i18n.lang === 'en' }" @click="pick('en')">{{ t('lang.en') }}</button>
    </div>`,
};

export const AppHeader = {
  props: { me: Object, titleKey: String },
  components: { LangSwitch },
  setup() { return { logo: ICONS.logo }; },
  computed: {
    initial() { const n = (this.me && (this.me.displayName || this.me.username)) || '?'; return n.charAt(0).toUpperCase(); },
    roleLabel() {
      const r = this.me && this.me.role;
      if (!r) return '';
      return tOr('role.builtin.' + r, r);
    },
  },
  data() { return { pw: null, brand: null }; },
  async created() {
    // ADM-4: the enterprise's company name and logo.
    // The console's branding page tells of a change (hotline:branding) so the header shows it at once.
    this.onBranding = (e) => { this.brand = e.detail; };
    window.addEventListener('hotline:branding', this.onBranding);
    if (this.me) { try { this.brand = await api.get('/branding'); } catch (e) { this.brand = null; } }
  },
  beforeUnmount() { window.removeEventListener('hotline:branding', this.onBranding); },
  methods: {
    logout,
    openPassword() { this.pw = { form: { oldPassword: '', newPassword: '', confirm: '' }, errors: {}, error: null, saving: false }; },
    async savePassword() {
      const d = this.pw;
      d.errors = {}; d.error = null;
      if (d.form.newPassword !== d.form.confirm) { d.errors = { confirm: t('password.mismatch') }; return; }
      d.saving = true;
      try {
        await api.put('/me/password', { oldPassword: d.form.oldPassword, newPassword: d.form.newPassword });
        this.pw = null;
        toast(t('password.changed'));
      } catch (e) { d.errors = e.fields ? e.fields() : {}; d.error = e; d.saving = false; }
    },
  },
  template: `
    <header class="topbar">
      <div class="brand">
        <img v-if="brand && brand.logoUrl" class="brand-logo" :src="brand.logoUrl" alt="" data-testid="app-logo">
        <span v-else class="logo" v-html="logo"></span>
        <span data-testid="app-company">{{ brand ? brand.companyName : me && me.enterprise ? me.enterprise.name : t('app.name') }}</span>
        <span class="product" data-testid="app-title">{{ t(titleKey || 'app.console') }}</span>
      </div>
      <div class="spacer"></div>
      <slot></slot>
      <lang-switch></lang-switch>
      <button type="button" class="user clickable" v-if="me" data-testid="change-password" :title="t('password.title')" @click="openPassword">
        <span class="avatar">{{ initial }}</span>
        <span><span data-testid="app-user">{{ me.displayName || me.username }}</span> <span class="role">· {{ roleLabel }}</span></span>
      </button>
      <button class="btn btn-sm" data-testid="logout" @click="logout">{{ t('common.logout') }}</button>
    </header>
    <modal v-if="pw" size="small" :title="t('password.title')" testid="password-dialog" @close="pw = null">
      <form @submit.prevent="savePassword" novalidate style="display:flex;flex-direction:column;gap:14px">
        <form-field :label="t('password.old')" required :error="pw.errors.oldPassword" testid="password-old-error">
          <input type="password" v-model="pw.form.oldPassword" data-testid="password-old" autocomplete="current-password">
        </form-field>
        <form-field :label="t('password.new')" required :error="pw.errors.newPassword" testid="password-new-error" :hint="t('users.passwordRule')">
          <input type="password" v-model="pw.form.newPassword" data-testid="password-new" autocomplete="new-password">
        </form-field>
        <form-field :label="t('password.confirm')" required :error="pw.errors.confirm" testid="password-confirm-error">
          <input type="password" v-model="pw.form.confirm" data-testid="password-confirm" autocomplete="new-password">
        </form-field>
        <form-alert :error="pw.error" :known="['oldPassword', 'newPassword']"></form-alert>
        <button type="submit" hidden></button>
      </form>
      <template #footer>
        <button class="btn" @click="pw = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="password-save" :disabled="pw.saving" @click="savePassword">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};

export const Modal = {
  props: { title: String, size: String, testid: String },
  emits: ['close'],
  mounted() {
    const first = this.$el.querySelector('input:not([type=checkbox]):not(:disabled), select, textarea');
    if (first) first.focus();
  },
  template: `
    <div class="modal-backdrop" @keydown.esc="$emit('close')">
      <div class="modal" :class="size" role="dialog" :data-testid="testid">
        <div class="modal-head">
          <h3>{{ title }}</h3>
          <button type="button" class="icon-btn" :aria-label="t('common.close')" @click="$emit('close')">×</button>
        </div>
        <div class="modal-body"><slot></slot></div>
        <div class="modal-foot"><slot name="footer"></slot></div>
      </div>
    </div>`,
};

export const FormField = {
  props: { label: String, error: String, testid: String, required: Boolean, hint: String, span: Boolean },
  methods: { fieldErrorText },
  template: `
    <label class="field" :class="{ invalid: !!error, 'span-2': span }">
      <span class="field-label">{{ label }}<span v-if="required" class="req">*</span></span>
      <slot></slot>
      <span v-if="error" class="field-error" :data-testid="testid">{{ fieldErrorText(error) }}</span>
      <span v-else-if="hint" class="field-hint">{{ hint }}</span>
    </label>`,
};

/** Shows the errors of an ApiError that no field on the form claims. */
export const FormAlert = {
  props: { error: Object, known: Array, testid: String },
  computed: {
    lines() {
      const e = this.error;
      if (!e) return [];
      const known = new Set(this.known || []);
      const rest = (e.fieldErrors || []).filter((fe) => !known.has(fe.field)).map((fe) => fe.field + ': ' + fieldErrorText(fe.message));
      return [errorText(e)].concat(rest);
    },
  },
  template: `<div v-if="error" class="alert alert-error" :data-testid="testid"><div v-for="l in lines">{{ l }}</div></div>`,
};

/**
 * The one empty state of every list (issue 14): a table row "Nothing here yet" / "暂无数据", or "Loading…" while
 * loading; an optional hint below says what to do about it. <empty-row :cols="5" :loading="loading" testid="x-empty">.
 */
export const EmptyRow = {
  props: { cols: { type: Number, default: 1 }, loading: Boolean, hint: String, testid: String },
  template: `
    <tr class="empty-row"><td class="empty" :colspan="cols" :data-testid="loading ? null : testid">
      <template v-if="loading">{{ t('common.loading') }}</template>
      <template v-else>{{ t('common.noData') }}<div v-if="hint" class="empty-hint">{{ hint }}</div></template>
    </td></tr>`,
};

/** Creates and mounts a Vue app with t(), can() and the shared components. */
export function mountApp(root, selector, me) {
  const app = createApp(root);
  const perms = new Set((me && me.permissions) || []);
  app.config.globalProperties.t = t;
  app.config.globalProperties.tOr = tOr;
  app.config.globalProperties.can = (p) => perms.has(p);
  app.config.globalProperties.fmtTime = fmtTime;
  app.config.globalProperties.dash = dash;
  app.config.globalProperties.errorText = errorText;
  app.config.globalProperties.fieldErrorText = fieldErrorText;
  app.component('lang-switch', LangSwitch);
  app.component('app-header', AppHeader);
  app.component('modal', Modal);
  app.component('form-field', FormField);
  app.component('form-alert', FormAlert);
  app.component('ui-host', UiHost);
  app.component('empty-row', EmptyRow);
  app.mount(selector);
  return app;
}

/** Keeps document.title translated. */
export function titleFrom(key) {
  const { watchEffect } = window.Vue;
  watchEffect(() => { document.title = t(key) + ' · ' + t('app.name'); });
}

export { api, t, tOr, i18n, errorText, fieldErrorText };
