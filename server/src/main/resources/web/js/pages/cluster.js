// Cluster (operator only, OPS-3): the nodes sharing the database and the node each enterprise is served by; move an
// enterprise to a live node (its calls in progress go on at the old node to their end).

import { api, t } from '../common.js';
import { fmtTime } from '../format.js';
import { CrudTable } from '../components/crud-table.js';

export const ClusterPage = {
  components: { CrudTable },
  data() { return { nodes: [], nodesError: null, single: false, ready: false }; },
  created() { this.loadNodes(); },
  computed: {
    liveNodes() { return this.nodes.filter((n) => n.live); },
    columns() {
      return [
        { key: 'code', label: t('cluster.enterprise'), span: 'name mono' },
        { key: 'name', label: t('cluster.enterpriseName') },
        { key: 'node', label: t('cluster.servedBy'), cls: 'mono', text: (x) => x.node || t('cluster.unplaced'),
          testid: (x) => 'placement-node-' + x.code },
        { key: 'movingTo', label: t('cluster.movingTo'), cls: 'mono', text: (x) => x.movingTo || '—', testid: (x) => 'placement-moving-' + x.code },
        { key: 'drainingCalls', label: t('cluster.draining'), text: (x) => String(x.drainingCalls) },
      ];
    },
    fields() {
      return [
        { key: 'node', label: t('cluster.moveTo'), type: 'select', required: true, hint: t('cluster.moveHint'),
          options: () => this.liveNodes.map((n) => ({ value: n.id, label: n.id + ' — ' + n.sipUri })) },
      ];
    },
  },
  methods: {
    fmtTime,
    async loadNodes() {
      try {
        this.nodes = await api.get('/cluster/nodes');
        this.nodesError = null;
      } catch (e) {
        // A single server has no cluster routes.
        if (e.status === 404) this.single = true; else this.nodesError = e;
      } finally {
        this.ready = true;
      }
    },
    toForm(x) { return { node: x.movingTo || x.node || '' }; },
    toBody(f) { return { node: f.node }; },
    moved() { this.loadNodes(); return false; },
  },
  template: `
    <template v-if="single">
      <div class="page-head"><h1 data-testid="page-title">{{ t('cluster.title') }}</h1></div>
      <div class="alert" data-testid="cluster-single">{{ t('cluster.single') }}</div>
    </template>
    <template v-else-if="ready">
      <crud-table path="/cluster/placements" name="placement" table-testid="placements-table" refresh-testid="cluster-refresh"
        :title="t('cluster.title')" :subtitle="t('cluster.subtitle')" :edit-title="t('cluster.moveTitle')" :save-label="t('cluster.move')"
        :columns="columns" :fields="fields" :to-form="toForm" :to-body="toBody" modal-size="small"
        :creatable="false" :editable="false" :deletable="false" :after-save="moved" :known="['node']" :empty-text="t('cluster.empty')">
        <template #actions="{ row, edit }">
          <button class="btn-link" :data-testid="'placement-move-' + row.code" @click="edit(row)">{{ t('cluster.move') }}</button>
        </template>
        <template #below>
          <div class="page-head"><h2 data-testid="nodes-title">{{ t('cluster.nodes') }}</h2></div>
          <div v-if="nodesError" class="alert alert-error">{{ errorText(nodesError) }}</div>
          <div class="panel table-wrap">
            <table class="grid" data-testid="nodes-table">
              <thead><tr><th>{{ t('cluster.node') }}</th><th>{{ t('cluster.sipUri') }}</th><th>{{ t('cluster.httpUrl') }}</th>
                <th>{{ t('cluster.leaseUntil') }}</th><th>{{ t('cluster.state') }}</th></tr></thead>
              <tbody>
                <tr v-for="n in nodes" :key="n.id" :data-testid="'node-row-' + n.id">
                  <td class="mono">{{ n.id }}</td><td class="mono">{{ n.sipUri }}</td><td class="mono">{{ n.httpUrl }}</td>
                  <td class="mono">{{ fmtTime(n.leaseUntil) }}</td>
                  <td><span class="badge" :class="n.live ? 'badge-ok' : 'badge-off'">{{ n.live ? t('cluster.live') : t('cluster.dead') }}</span></td>
                </tr>
              </tbody>
            </table>
          </div>
        </template>
      </crud-table>
    </template>`,
};
