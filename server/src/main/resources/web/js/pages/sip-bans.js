// SIP bans (operator only, SEC-1): scanners, OPTIONS sweeps and password guessing, banned for a while; lift one early.

import { t } from '../common.js';
import { fmtTime } from '../format.js';
import { CrudTable } from '../components/crud-table.js';

export const SipBansPage = {
  components: { CrudTable },
  computed: {
    columns() {
      return [
        { key: 'kind', label: t('sipBans.kind'), text: (x) => t('sipBans.kind.' + x.kind) },
        { key: 'key', label: t('sipBans.key'), cls: 'mono' },
        { key: 'reason', label: t('sipBans.reason') },
        { key: 'since', label: t('sipBans.since'), cls: 'mono', text: (x) => fmtTime(x.since) },
        { key: 'until', label: t('sipBans.until'), cls: 'mono', text: (x) => fmtTime(x.until) },
      ];
    },
  },
  template: `
    <crud-table path="/sip-bans" name="sip-ban" table-testid="sip-bans-table"
      :title="t('sipBans.title')" :subtitle="t('sipBans.subtitle')" :columns="columns"
      :creatable="false" :editable="false" delete-key="sipBans.lift" :empty-text="t('sipBans.empty')"
      :confirm-text="(x) => t('sipBans.confirmLift', { key: x.key })" />`,
};
