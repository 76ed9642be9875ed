// Branding (ADM-4): the company name and logo shown on the login page, the console, desk and supervisor headers and the
// wallboard. The logo is uploaded as it is (PNG or JPEG, at most 256 KB, recognised by its content on the server; SVG is
// refused) and the server's refusal is shown under the field. The header picks the change up at once.

import { api, t, toast, toastError } from '../common.js';

/** Tells the page's header (AppHeader) the branding changed. */
function announce(view) {
  window.dispatchEvent(new CustomEvent('hotline:branding', { detail: view }));
}

export const BrandingPage = {
  props: { me: Object },
  data() {
    return { view: null, name: '', errors: {}, formError: null, saving: false, file: null, uploading: false, logoError: null, logoAlert: null };
  },
  created() { this.load(); },
  methods: {
    async load() {
      try {
        this.view = await api.get('/branding');
        this.name = this.view.companyName || '';
      } catch (e) { toastError(e); }
    },
    async saveName() {
      this.errors = {}; this.formError = null; this.saving = true;
      try {
        this.view = await api.put('/branding', { companyName: this.name.trim() || null });
        this.name = this.view.companyName || '';
        announce(this.view);
        toast(t('common.saved'));
      } catch (e) {
        this.errors = e.fields ? e.fields() : {};
        this.formError = e;
      } finally { this.saving = false; }
    },
    pick(ev) {
      this.logoError = null; this.logoAlert = null;
      this.file = (ev.target.files && ev.target.files[0]) || null;
    },
    async upload() {
      this.logoError = null; this.logoAlert = null;
      if (!this.file) { this.logoError = t('branding.chooseFile'); return; }
      this.uploading = true;
      try {
        this.view = await api.uploadPut('/branding/logo', this.file);
        this.file = null;
        if (this.$refs.file) this.$refs.file.value = '';
        announce(this.view);
        toast(t('branding.uploaded'));
      } catch (e) {
        const f = e.fields ? e.fields() : {};
        this.logoError = f.logo || f.file || null;
        if (!this.logoError) this.logoAlert = e;
      } finally { this.uploading = false; }
    },
    async removeLogo() {
      this.logoError = null; this.logoAlert = null;
      try {
        this.view = await api.del('/branding/logo');
        announce(this.view);
        toast(t('branding.removed'));
      } catch (e) { this.logoAlert = e; }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('branding.title') }}</h1>
      <span class="sub">{{ t('branding.subtitle') }}</span>
    </div>
    <div class="panel" v-if="view" data-testid="branding-name">
      <div class="panel-head"><h2>{{ t('branding.name') }}</h2></div>
      <div class="panel-body">
        <form class="toolbar" @submit.prevent="saveName" novalidate data-testid="branding-name-form">
          <form-field :label="t('branding.companyName')" :error="errors.companyName" testid="branding-company-error" :hint="t('branding.companyNameHint')">
            <input type="text" v-model="name" maxlength="200" data-testid="branding-company"></form-field>
          <button type="submit" class="btn btn-primary" :disabled="saving" data-testid="branding-save">{{ t('common.save') }}</button>
        </form>
        <form-alert :error="formError" :known="['companyName']" testid="branding-name-alert"></form-alert>
      </div>
    </div>
    <div class="panel" v-if="view" data-testid="branding-logo">
      <div class="panel-head"><h2>{{ t('branding.logo') }}</h2></div>
      <div class="panel-body">
        <p class="muted">{{ t('branding.logoHint') }}</p>
        <p>
          <img v-if="view.logoUrl" :src="view.logoUrl" alt="" style="height:48px;max-width:240px;object-fit:contain" data-testid="branding-logo-preview">
          <span v-else class="muted" data-testid="branding-no-logo">{{ t('branding.noLogo') }}</span>
        </p>
        <form class="toolbar" @submit.prevent="upload" novalidate data-testid="branding-logo-form">
          <form-field :label="t('branding.logoFile')" :error="logoError" testid="branding-logo-error">
            <input type="file" ref="file" accept="image/png,image/jpeg" @change="pick" data-testid="branding-logo-file"></form-field>
          <button type="submit" class="btn btn-primary" :disabled="uploading" data-testid="branding-upload">{{ t('branding.upload') }}</button>
          <button v-if="view.logoUrl" type="button" class="btn" data-testid="branding-remove" @click="removeLogo">{{ t('branding.remove') }}</button>
        </form>
        <form-alert :error="logoAlert" :known="['logo', 'file']" testid="branding-logo-alert"></form-alert>
      </div>
    </div>`,
};
