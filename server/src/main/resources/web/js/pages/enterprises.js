// Enterprises (operator only): create with its first admin, rename, enable/disable.

import { t } from '../common.js';
import { enabledLabel, fmtTime } from '../format.js';
import { CrudTable } from '../components/crud-table.js';

export const EnterprisesPage = {
  components: { CrudTable },
  computed: {
    columns() {
      return [
        { key: 'code', label: t('enterprises.code'), span: 'name mono' },
        { key: 'name', label: t('enterprises.name') },
        { key: 'enabled', label: t('enterprises.status') },
        { key: 'createdAt', label: t('enterprises.createdAt'), cls: 'mono', text: (x) => fmtTime(x.createdAt) },
      ];
    },
    fields() {
      const creating = (d) => d.mode === 'create';
      return [
        { key: 'code', label: t('enterprises.code'), required: true, hint: t('enterprises.codeHint'), disabled: (d) => d.mode === 'edit' },
        { key: 'name', label: t('enterprises.name'), required: true },
        { key: 'adminUsername', testid: 'admin-username', label: t('enterprises.adminUsername'), required: true, show: creating },
        { key: 'adminPassword', testid: 'admin-password', label: t('enterprises.adminPassword'), type: 'password', required: true,
          hint: t('users.passwordRule'), autocomplete: 'new-password', show: creating },
        { key: 'enabled', label: t('enterprises.enabledLabel'), type: 'checkbox', show: (d) => !creating(d) },
      ];
    },
  },
  methods: {
    enabledLabel,
    blank() { return { code: '', name: '', adminUsername: 'admin', adminPassword: '', enabled: true }; },
    toForm(x) { return { code: x.code, name: x.name, enabled: x.enabled !== false }; },
    toBody(f, d) {
      return d.mode === 'create'
        ? { code: f.code.trim(), name: f.name.trim(), adminUsername: f.adminUsername.trim(), adminPassword: f.adminPassword }
        : { name: f.name.trim(), enabled: !!f.enabled };
    },
  },
  template: `
    <crud-table path="/enterprises" name="enterprise" table-testid="enterprises-table"
      :title="t('enterprises.title')" :subtitle="t('enterprises.subtitle')" :new-label="t('enterprises.new')" :edit-title="t('enterprises.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :deletable="false" :row-id="(x) => x.code"
      :known="['code', 'name', 'adminUsername', 'adminPassword', 'enabled']">
      <template #cell-enabled="{ row }"><span class="badge" :class="row.enabled ? 'badge-ok' : 'badge-off'">{{ enabledLabel(row.enabled) }}</span></template>
    </crud-table>`,
};
