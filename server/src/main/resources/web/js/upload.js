// One file upload to the API, as the music-on-hold and prompts pages do it: pick, size check,
// multipart POST, toast, reload, and the server's refusal explained beside the field.

import { api, t, toast, errorText, fieldErrorText } from './common.js';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/**
 * A Vue mixin for a page that uploads to {@code path}; texts come from `<keys>.chooseFile`,
 * `.tooLarge`, `.uploaded` and `.refused`. The page provides `load()` and a `<input ref="file">`.
 */
export function uploadMixin(path, keys) {
  return {
    data() { return { file: null, uploading: false, uploadError: null }; },
    methods: {
      pick(ev) {
        this.uploadError = null;
        this.file = (ev.target.files && ev.target.files[0]) || null;
      },
      async upload() {
        this.uploadError = null;
        if ('actionError' in this) this.actionError = null;
        if (!this.file) { this.uploadError = t(keys + '.chooseFile'); return; }
        if (this.file.size > MAX_UPLOAD_BYTES) { this.uploadError = t(keys + '.tooLarge'); return; }
        this.uploading = true;
        try {
          const res = await api.upload(path, this.file);
          toast(t(keys + '.uploaded', { name: (res && res.name) || this.file.name }));
          this.file = null;
          if (this.$refs.file) this.$refs.file.value = '';
          await this.load();
        } catch (e) {
          this.uploadError = this.refusal(e, this.file.name);
        } finally { this.uploading = false; }
      },
      /** Why the server refused a file (400 with a field error on "file"), in the UI language. */
      refusal(e, name) {
        if (e.status !== 400 && e.status !== 413) return errorText(e);
        const fe = (e.fieldErrors || []).filter((x) => x && x.message);
        const reason = fe.length ? fe.map((x) => fieldErrorText(x.message)).join('; ')
          : (e.status === 413 ? t(keys + '.tooLarge') : t('validation.notWav'));
        return t(keys + '.refused', { name, reason });
      },
    },
  };
}
