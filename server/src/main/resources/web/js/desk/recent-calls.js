import { t } from '../common.js';
import { clock } from '../format.js';
import { desk } from './store.js';
import { DialLink } from './dial-link.js';

/** This agent's recent calls on this browser; numbers are click-to-dial. */
export const RecentCalls = {
  components: { DialLink },
  setup() { return { desk, clock }; },
  methods: {
    /** MSG-4: the caller's score (and the reason of an unsatisfied one), or why there is none; empty when not surveyed. */
    surveyText(s) {
      if (!s) return '';
      if (!s.score) return t('survey.result.' + s.result);
      const score = t('survey.score.' + s.score);
      return s.reason ? score + ' · ' + t('survey.reason.' + s.reason) : score;
    },
  },
  template: `
    <div class="panel table-wrap">
      <div class="panel-head"><h2>{{ t('agent.recentCalls') }}</h2></div>
      <table class="grid" data-testid="agent-recent-calls">
        <thead><tr><th>{{ t('agent.col.time') }}</th><th>{{ t('agent.col.direction') }}</th><th>{{ t('agent.col.number') }}</th><th>{{ t('agent.col.duration') }}</th><th>{{ t('agent.col.result') }}</th><th>{{ t('agent.col.survey') }}</th></tr></thead>
        <tbody>
          <tr v-for="r in desk.recent" :key="r.legId + r.at">
            <td>{{ fmtTime(r.at) }}</td><td>{{ tOr('calls.direction.' + r.direction, r.direction || '—') }}</td>
            <td><dial-link :number="r.number" :dial-ref="r.numberRef"></dial-link></td><td>{{ r.answered ? clock(r.seconds) : '—' }}</td>
            <td>{{ r.answered ? tOr('calls.cause.' + r.cause, r.cause || '—') : t('desk.missed') }}</td>
            <td data-testid="agent-recent-survey" :data-call="r.callId" :data-score="r.survey && r.survey.score ? r.survey.score : ''">{{ surveyText(r.survey) }}</td>
          </tr>
          <empty-row v-if="!desk.recent.length" :cols="6" testid="agent-recent-empty"></empty-row>
        </tbody>
      </table>
    </div>`,
};
