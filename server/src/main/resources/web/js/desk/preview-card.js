// OUT-1 preview on the agent's desk: while the agent is ready and on no call, the next record of a running preview campaign
// of theirs (number, name, the list's columns) with Dial (the server calls the number through the campaign's trunk or
// route, and the answer rings this agent) and Skip. Looked at when the desk opens, after each Dial or Skip, and each time
// the agent becomes free again (not on a timer: a poll every few seconds upset the browser phone's transfers, DeskBrowserTest).

import { api, t, toast, toastError } from '../common.js';
import { desk } from './store.js';

export const PreviewCard = {
  setup() { return { desk }; },
  data() { return { record: null, busy: false }; },
  computed: {
    free() { return !!desk.agent && desk.agent.state === 'ready' && !desk.calls.length; },
  },
  watch: { free(now) { if (now) this.load(); } },
  mounted() { this.load(); },
  methods: {
    async load() {
      if (!this.can('agent.desk') || this.busy) return;
      if (!this.free) { this.record = null; return; }
      try { this.record = await api.get('/agent/preview'); } catch (e) { this.record = null; }
    },
    async act(action) {
      if (!this.record) return;
      this.busy = true;
      try {
        await api.post('/agent/preview', { campaignId: this.record.campaignId, contactId: this.record.contactId, action });
        if (action === 'dial') toast(t('desk.preview.dialling', { number: this.record.number }));
        this.record = null;
      } catch (e) { toastError(e); } finally { this.busy = false; }
      await this.load();
    },
  },
  template: `
    <div v-if="record" class="panel" data-testid="desk-preview" :data-contact="record.contactId">
      <div class="panel-head"><h2>{{ t('desk.preview.title') }}</h2><span class="muted" data-testid="desk-preview-campaign">{{ record.campaign }}</span></div>
      <div class="panel-body">
        <dl class="kv">
          <dt>{{ t('desk.preview.number') }}</dt><dd class="mono" data-testid="desk-preview-number">{{ record.number }}</dd>
          <dt>{{ t('desk.preview.name') }}</dt><dd data-testid="desk-preview-name">{{ dash(record.name) }}</dd>
          <template v-for="(v, k) in record.vars" :key="k"><dt>{{ k }}</dt><dd :data-testid="'desk-preview-var-' + k">{{ v }}</dd></template>
          <dt>{{ t('desk.preview.attempts') }}</dt><dd data-testid="desk-preview-attempts">{{ record.attempts }}</dd>
        </dl>
        <div class="upload-row">
          <button class="btn btn-primary" data-testid="desk-preview-dial" :disabled="busy" @click="act('dial')">{{ t('desk.preview.dial') }}</button>
          <button class="btn" data-testid="desk-preview-skip" :disabled="busy" @click="act('skip')">{{ t('desk.preview.skip') }}</button>
        </div>
      </div>
    </div>`,
};
