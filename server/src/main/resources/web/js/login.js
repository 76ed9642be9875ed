// Login page: enterprise code, username, password; redirects by role afterwards.

import { api, setCsrfToken } from './api.js';
import { i18n, t, loadLang, adoptUserLang, errorText } from './i18n.js';
import { mountApp, landingFor, titleFrom, ICONS } from './common.js';

const LAST_ENTERPRISE = 'hotline.enterprise';

function safeNext() {
  const n = new URLSearchParams(location.search).get('next');
  if (!n || !n.startsWith('/') || n.startsWith('//') || n.startsWith('/login.html')) return null;
  return n;
}

const Login = {
  setup() { return { i18n, logo: ICONS.logo }; },
  data() {
    let ent = new URLSearchParams(location.search).get('e') || '';
    if (!ent) { try { ent = localStorage.getItem(LAST_ENTERPRISE) || ''; } catch (e) { /* ignore */ } }
    const moved = new URLSearchParams(location.search).get('moved') === '1';
    return { form: { enterprise: ent, username: '', password: '' }, error: null, busy: false, brand: null, moved };
  },
  async created() {
    // ADM-4: the company name and logo of the enterprise named by ?e= (else the host name's first label); Hotline by default.
    const e = new URLSearchParams(location.search).get('e');
    try { this.brand = await api.get('/branding/public', e ? { e } : {}); } catch (err) { this.brand = null; }
  },
  mounted() {
    const el = this.$el.parentElement.querySelector(this.form.enterprise ? '[data-testid=login-username]' : '[data-testid=login-enterprise]');
    if (el) el.focus();
  },
  methods: {
    async submit() {
      this.error = null;
      const f = this.form;
      if (!f.enterprise.trim() || !f.username.trim() || !f.password) {
        this.error = t('login.missing');
        return;
      }
      this.busy = true;
      try {
        const me = await api.post('/auth/login', { enterprise: f.enterprise.trim(), username: f.username.trim(), password: f.password });
        setCsrfToken(me.csrfToken);
        try { localStorage.setItem(LAST_ENTERPRISE, f.enterprise.trim()); } catch (e) { /* ignore */ }
        await adoptUserLang(me);
        const next = safeNext();
        location.replace(next && !(me.role === 'agent' && !next.startsWith('/agent')) ? next : landingFor(me));
      } catch (e) {
        if (e.nodeOrigin) {
          // OPS-3: the enterprise is served by another node: sign in there (its login page, the enterprise filled in).
          const q = new URLSearchParams({ e: f.enterprise.trim(), moved: '1' });
          if (safeNext()) q.set('next', safeNext());
          location.assign(e.nodeOrigin + '/login.html?' + q);
          return;
        }
        this.error = errorText(e);
        this.form.password = '';
        this.busy = false;
      }
    },
  },
  template: `
    <div class="login-page">
      <div class="login-top"><lang-switch></lang-switch></div>
      <div class="login-center">
        <div class="login-card" data-testid="login-card">
          <div class="brand"><img v-if="brand && brand.logoUrl" class="brand-logo" :src="brand.logoUrl" alt="" data-testid="login-logo">
            <span v-else class="logo" v-html="logo"></span><span data-testid="login-company">{{ brand ? brand.companyName : t('app.name') }}</span></div>
          <p class="tagline" data-testid="login-tagline">{{ t('login.tagline') }}</p>
          <form @submit.prevent="submit" novalidate>
            <div v-if="error" class="alert alert-error" role="alert" data-testid="login-error">{{ error }}</div>
            <div v-else-if="moved" class="alert alert-info" data-testid="login-moved">{{ t('login.otherNode') }}</div>
            <form-field :label="t('login.enterprise')">
              <input type="text" v-model="form.enterprise" data-testid="login-enterprise" autocomplete="organization" :placeholder="t('login.enterpriseHint')">
            </form-field>
            <form-field :label="t('login.username')">
              <input type="text" v-model="form.username" data-testid="login-username" autocomplete="username">
            </form-field>
            <form-field :label="t('login.password')">
              <input type="password" v-model="form.password" data-testid="login-password" autocomplete="current-password">
            </form-field>
            <button type="submit" class="btn btn-primary btn-block" data-testid="login-submit" :disabled="busy">
              {{ busy ? t('login.signingIn') : t('login.submit') }}
            </button>
          </form>
        </div>
      </div>
      <div class="login-foot">{{ t('login.footer') }}</div>
    </div>`,
};

await loadLang(i18n.lang);
titleFrom('login.title');
mountApp(Login, '#app', null);
