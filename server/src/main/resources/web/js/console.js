// Admin console: one page, hash routes (#/users, #/roles, ...), menu by the user's permissions.

import { boot, mountApp, hasConsoleAccess, landingFor, titleFrom, t } from './common.js';
import { UsersPage } from './pages/users.js';
import { DepartmentsPage } from './pages/departments.js';
import { RolesPage } from './pages/roles.js';
import { ExtensionsPage } from './pages/extensions.js';
import { QueuesPage } from './pages/queues.js';
import { SkillsPage } from './pages/skills.js';
import { AuditPage } from './pages/audit.js';
import { TokensPage } from './pages/tokens.js';
import { EnterprisesPage } from './pages/enterprises.js';
import { SipBansPage } from './pages/sip-bans.js';
import { ClusterPage } from './pages/cluster.js';
import { BackupPage } from './pages/backup.js';
import { TrunksPage } from './pages/trunks.js';
import { NumbersPage } from './pages/numbers.js';
import { RoutesPage } from './pages/routes.js';
import { BlacklistPage } from './pages/blacklist.js';
import { CallbacksPage } from './pages/callbacks.js';
import { CallsPage } from './pages/calls.js';
import { RecordingsPage } from './pages/recordings.js';
import { MohPage } from './pages/moh.js';
import { ConferencesPage } from './pages/conferences.js';
import { DisaPage } from './pages/disa.js';
import { FlowsPage } from './pages/flows.js';
import { PromptsPage } from './pages/prompts.js';
import { VoicemailPage } from './pages/voicemail.js';
import { RingGroupsPage } from './pages/ringgroups.js';
import { ReportsPage } from './pages/reports.js';
import { BillingPage } from './pages/billing.js';
import { CustomersPage } from './pages/customers.js';
import { CustomerFieldsPage } from './pages/customer-fields.js';
import { AddressBookPage } from './pages/addressbook.js';
import { CampaignsPage } from './pages/campaigns.js';
import { WebCallbackPage } from './pages/webcallback.js';
import { WidgetsPage } from './pages/widgets.js';
import { MailPage } from './pages/mail.js';
import { WebhooksPage } from './pages/webhooks.js';
import { ReportSchedulesPage } from './pages/report-schedules.js';
import { SmsPage } from './pages/sms.js';
import { FaxesPage } from './pages/faxes.js';
import { TicketsPage } from './pages/tickets.js';
import { OrdersPage } from './pages/orders.js';
import { ProductsPage } from './pages/products.js';
import { ContractsPage } from './pages/contracts.js';
import { StockPage } from './pages/stock.js';
import { KbPage } from './pages/kb.js';
import { KbQuestionsPage } from './pages/kb-questions.js';
import { TollPage } from './pages/toll.js';
import { BusinessReportsPage } from './pages/business-reports.js';
import { TicketTypesPage } from './pages/ticket-types.js';
import { BrandingPage } from './pages/branding.js';
import { TicketSettingsPage } from './pages/ticket-settings.js';
import { CrmSettingsPage } from './pages/crm-settings.js';
import { WebRtcSettingsPage } from './pages/webrtc-settings.js';

const I = (d) => '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">' + d + '</svg>';
const MENU = [
  { id: 'enterprises', perm: 'enterprise.manage', group: 'platform', component: EnterprisesPage,
    icon: I('<path d="M3 21h18M5 21V7l7-4 7 4v14M9 9h1M14 9h1M9 13h1M14 13h1M9 17h1M14 17h1"/>') },
  { id: 'sip-bans', perm: 'enterprise.manage', group: 'platform', component: SipBansPage,
    icon: I('<circle cx="12" cy="12" r="9"/><path d="M5.6 5.6l12.8 12.8"/>') },
  { id: 'cluster', perm: 'enterprise.manage', group: 'platform', component: ClusterPage,
    icon: I('<rect x="3" y="3" width="7" height="7" rx="1"/><rect x="14" y="3" width="7" height="7" rx="1"/><rect x="8.5" y="14" width="7" height="7" rx="1"/><path d="M6.5 10v2h11v-2M12 12v2"/>') },
  { id: 'users', perm: 'user.read', group: 'org', component: UsersPage,
    icon: I('<circle cx="9" cy="8" r="4"/><path d="M1 21v-1a7 7 0 0 1 14 0v1M17 11a3 3 0 1 0 0-6M23 21v-1a6 6 0 0 0-4-5.6"/>') },
  { id: 'departments', perm: 'department.read', group: 'org', component: DepartmentsPage,
    icon: I('<rect x="9" y="2" width="6" height="5" rx="1"/><rect x="2" y="17" width="6" height="5" rx="1"/><rect x="16" y="17" width="6" height="5" rx="1"/><path d="M12 7v5M5 17v-5h14v5"/>') },
  { id: 'roles', perm: 'role.read', group: 'org', component: RolesPage,
    icon: I('<path d="M12 2l8 4v6c0 5-3.5 9-8 10-4.5-1-8-5-8-10V6z"/><path d="M9 12l2 2 4-4"/>') },
  { id: 'extensions', perm: 'extension.read', group: 'telephony', component: ExtensionsPage,
    icon: I('<rect x="6" y="2" width="12" height="20" rx="2"/><path d="M10 18h4"/>') },
  { id: 'queues', perm: 'queue.read', group: 'telephony', component: QueuesPage,
    icon: I('<path d="M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01"/>') },
  { id: 'skills', perm: 'queue.read', group: 'telephony', component: SkillsPage,
    icon: I('<path d="M12 2l2.9 6.9 7.1.6-5.4 4.7 1.6 7.3L12 17.8 5.8 21.5l1.6-7.3L2 9.5l7.1-.6z"/>') },
  { id: 'flows', perm: 'ivr.read', group: 'telephony', component: FlowsPage,
    icon: I('<rect x="9" y="2" width="6" height="5" rx="1"/><rect x="2" y="17" width="6" height="5" rx="1"/><rect x="16" y="17" width="6" height="5" rx="1"/><path d="M12 7v4M5 17c0-3 2-6 7-6s7 3 7 6"/>') },
  { id: 'prompts', perm: 'ivr.read', group: 'telephony', component: PromptsPage,
    icon: I('<path d="M11 5L6 9H2v6h4l5 4z"/><path d="M15.5 8.5a5 5 0 0 1 0 7M19 5a10 10 0 0 1 0 14"/>') },
  { id: 'trunks', perm: 'routing.read', group: 'telephony', component: TrunksPage,
    icon: I('<rect x="2" y="3" width="20" height="7" rx="2"/><rect x="2" y="14" width="20" height="7" rx="2"/><path d="M6 6.5h.01M6 17.5h.01M10 6.5h8M10 17.5h8"/>') },
  { id: 'numbers', perm: 'routing.read', group: 'telephony', component: NumbersPage,
    icon: I('<path d="M4 9h16M4 15h16M10 3L8 21M16 3l-2 18"/>') },
  { id: 'ringgroups', perm: 'routing.read', group: 'telephony', component: RingGroupsPage,
    icon: I('<rect x="2" y="8" width="6" height="12" rx="1.5"/><rect x="9" y="4" width="6" height="16" rx="1.5"/><rect x="16" y="8" width="6" height="12" rx="1.5"/>') },
  { id: 'routes', perm: 'routing.read', group: 'telephony', component: RoutesPage,
    icon: I('<circle cx="6" cy="19" r="3"/><path d="M9 19h8.5a3.5 3.5 0 0 0 0-7h-11a3.5 3.5 0 0 1 0-7H15"/><path d="M15 2l3 3-3 3"/>') },
  { id: 'blacklist', perm: 'routing.read', group: 'telephony', component: BlacklistPage,
    icon: I('<circle cx="12" cy="12" r="10"/><path d="M4.9 4.9l14.2 14.2"/>') },
  { id: 'toll', perm: 'routing.read', group: 'telephony', component: TollPage,
    icon: I('<path d="M12 2v20M17 5H9.5a3.5 3.5 0 0 0 0 7h5a3.5 3.5 0 0 1 0 7H6"/>') },
  { id: 'callbacks', perm: 'routing.read', group: 'telephony', component: CallbacksPage,
    icon: I('<path d="M3 5a2 2 0 0 1 2-2h3l2 5-2.5 1.5a11 11 0 0 0 5 5L14 12l5 2v3a2 2 0 0 1-2 2A16 16 0 0 1 3 5z"/><path d="M15 3h6v6M21 3l-7 7"/>') },
  { id: 'conferences', perm: 'routing.read', group: 'telephony', component: ConferencesPage,
    icon: I('<circle cx="12" cy="7" r="3"/><circle cx="5" cy="10" r="2"/><circle cx="19" cy="10" r="2"/><path d="M7 21v-2a5 5 0 0 1 10 0v2M1 21v-1a4 4 0 0 1 4-4M23 21v-1a4 4 0 0 0-4-4"/>') },
  { id: 'disa', perm: 'routing.read', group: 'telephony', component: DisaPage,
    icon: I('<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4M12 15v2"/>') },
  // MEDIA-6: Opus or G.711 for browsers (browser phones, the widget); after the routing pages of the same permission.
  { id: 'webrtc-settings', perm: 'routing.read', group: 'telephony', component: WebRtcSettingsPage,
    icon: I('<path d="M12 2a3 3 0 0 0-3 3v7a3 3 0 0 0 6 0V5a3 3 0 0 0-3-3z"/><path d="M19 10v2a7 7 0 0 1-14 0v-2M12 19v3"/>') },
  { id: 'moh', perm: 'recording.read', group: 'telephony', component: MohPage,
    icon: I('<path d="M9 18V5l12-2v13"/><circle cx="6" cy="18" r="3"/><circle cx="18" cy="16" r="3"/>') },
  { id: 'campaigns', perm: 'campaign.manage', group: 'telephony', component: CampaignsPage,
    icon: I('<path d="M3 11v2a1 1 0 0 0 1 1h2l5 4V6L6 10H4a1 1 0 0 0-1 1z"/><path d="M15 9a3 3 0 0 1 0 6M18 6a7 7 0 0 1 0 12"/>') },
  { id: 'webcallback', perm: 'campaign.manage', group: 'telephony', component: WebCallbackPage,
    icon: I('<rect x="3" y="4" width="18" height="14" rx="2"/><path d="M8 21h8M12 18v3M9 9l2 2 4-4"/>') },
  { id: 'widgets', perm: 'widget.manage', group: 'telephony', component: WidgetsPage,
    icon: I('<rect x="2" y="3" width="20" height="14" rx="2"/><path d="M8 21h8"/><circle cx="16" cy="11" r="3"/><path d="M15 10.5l1 1 1.5-1.5"/>') },
  { id: 'calls', perm: 'call.read', group: 'reports', component: CallsPage,
    icon: I('<path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L8 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2z"/><path d="M15 3h6M15 7h6M15 11h3"/>') },
  { id: 'reports', perm: 'call.read', group: 'reports', component: ReportsPage,
    icon: I('<path d="M3 3v18h18"/><rect x="7" y="12" width="3" height="6"/><rect x="12" y="8" width="3" height="10"/><rect x="17" y="5" width="3" height="13"/>') },
  { id: 'billing', perm: 'call.read', group: 'reports', component: BillingPage,
    icon: I('<rect x="4" y="2" width="16" height="20" rx="2"/><path d="M8 7h8M8 11h8M8 15h4M15 17.5h1"/>') },
  { id: 'recordings', perm: 'recording.read', group: 'reports', component: RecordingsPage,
    icon: I('<circle cx="12" cy="12" r="9"/><circle cx="12" cy="12" r="3.5" fill="currentColor"/>') },
  { id: 'audit', perm: 'audit.read', group: 'system', component: AuditPage,
    icon: I('<path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z"/><path d="M14 2v6h6M8 13h8M8 17h8"/>') },
  { id: 'tokens', perm: 'token.write', group: 'system', component: TokensPage,
    icon: I('<circle cx="7.5" cy="15.5" r="4.5"/><path d="M10.7 12.3L21 2M16 7l3 3M18 5l2 2"/>') },
  // API-2: the webhooks, their test event and their deliveries (admins: webhook.manage), beside the API tokens.
  { id: 'webhooks', perm: 'webhook.manage', group: 'system', component: WebhooksPage,
    icon: I('<path d="M18 16.98h-5.99c-1.1 0-1.95.94-2.48 1.9A4 4 0 0 1 2 17c.01-.7.2-1.4.57-2"/><path d="M6 17l3.13-5.78c.53-.97.1-2.18-.5-3.1a4 4 0 1 1 6.89-4.06"/><path d="M12 6l3.13 5.73C15.66 12.7 16.9 13 18 13a4 4 0 0 1 0 8"/>') },
  // CRM (issue 16): listed after the tokens so that no one's landing page changes; shown in a group of their own.
  { id: 'customers', perm: 'customer.read', group: 'crm', component: CustomersPage,
    icon: I('<circle cx="12" cy="8" r="4"/><path d="M4 21v-1a8 8 0 0 1 16 0v1"/><path d="M17 3l2 2-2 2"/>') },
  { id: 'customer-fields', perm: 'customer.manage', group: 'crm', component: CustomerFieldsPage,
    icon: I('<rect x="3" y="4" width="18" height="16" rx="2"/><path d="M7 9h10M7 13h6M7 17h8"/>') },
  // ACD-3, AGENT-4: the tier field, tier priorities and per-queue pop URLs.
  { id: 'crm-settings', perm: 'customer.manage', group: 'crm', component: CrmSettingsPage,
    icon: I('<circle cx="12" cy="12" r="3"/><path d="M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1"/>') },
  { id: 'addressbook', perm: 'addressbook.use', group: 'crm', component: AddressBookPage,
    icon: I('<path d="M5 3h13a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H5z"/><path d="M5 3v18M3 7h4M3 12h4M3 17h4"/><circle cx="12" cy="10" r="2.5"/><path d="M8.5 16a3.5 3.5 0 0 1 7 0"/>') },
  { id: 'tickets', perm: 'ticket.read', group: 'crm', component: TicketsPage,
    icon: I('<path d="M3 7a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v3a2 2 0 0 0 0 4v3a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-3a2 2 0 0 0 0-4z"/><path d="M13 5v14" stroke-dasharray="2 2"/>') },
  { id: 'kb', perm: 'kb.read', group: 'crm', component: KbPage,
    icon: I('<path d="M4 19.5A2.5 2.5 0 0 1 6.5 17H20V3H6.5A2.5 2.5 0 0 0 4 5.5z"/><path d="M4 19.5A2.5 2.5 0 0 0 6.5 22H20v-5"/>') },
  // BIZ-3: questions to the experts (ask, answer, accept).
  { id: 'kb-questions', perm: 'kb.read', group: 'crm', component: KbQuestionsPage,
    icon: I('<circle cx="12" cy="12" r="9"/><path d="M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14"/><circle cx="12" cy="17.5" r=".6"/>') },
  // BIZ-2: the ticket types' form designer.
  { id: 'ticket-types', perm: 'ticket.manage', group: 'crm', component: TicketTypesPage,
    icon: I('<rect x="4" y="3" width="16" height="18" rx="2"/><path d="M8 8h8M8 12h8M8 16h5"/><path d="M17 15l2 2-2 2"/>') },
  // BIZ-1: prefix, business hours, escalation and the notices by e-mail and SMS.
  { id: 'ticket-settings', perm: 'ticket.manage', group: 'crm', component: TicketSettingsPage,
    icon: I('<rect x="4" y="3" width="16" height="18" rx="2"/><circle cx="12" cy="12" r="3"/><path d="M12 7v2M12 15v2M7 12h2M15 12h2"/>') },
  // RPT-4: customers, regions and tickets over time; after the CRM pages so that nobody's landing page changes.
  { id: 'business-reports', perms: ['customer.read', 'ticket.read'], group: 'crm', component: BusinessReportsPage,
    icon: I('<path d="M3 3v18h18"/><path d="M7 15l4-5 3 3 5-7"/><circle cx="19" cy="6" r="1.5"/>') },
  // BIZ-4: customers' orders and the product catalog; after the reports so that nobody's landing page changes.
  { id: 'orders', perm: 'order.read', group: 'crm', component: OrdersPage,
    icon: I('<path d="M6 2l-2 4v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V6l-2-4z"/><path d="M4 6h16M16 10a4 4 0 0 1-8 0"/>') },
  { id: 'products', perm: 'order.read', group: 'crm', component: ProductsPage,
    icon: I('<path d="M21 16V8l-9-5-9 5v8l9 5z"/><path d="M3.3 7L12 12l8.7-5M12 22V12"/>') },
  // BIZ-4: stock per product and customers' contracts.
  { id: 'stock', perm: 'order.read', group: 'crm', component: StockPage,
    icon: I('<rect x="3" y="12" width="8" height="8"/><rect x="13" y="12" width="8" height="8"/><rect x="8" y="3" width="8" height="8"/>') },
  { id: 'contracts', perm: 'contract.read', group: 'crm', component: ContractsPage,
    icon: I('<path d="M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9z"/><path d="M14 3v6h6M8 13h8M8 17h5"/>') },
  // Every console user with a desk or the recordings sees the inbox; the server filters the boxes. Listed last so
  // that it is nobody's landing page; the sidebar shows it in a group of its own (issue 14).
  { id: 'voicemail', perms: ['agent.desk', 'recording.read'], group: 'messages', component: VoicemailPage,
    icon: I('<circle cx="6" cy="12" r="4"/><circle cx="18" cy="12" r="4"/><path d="M6 16h12"/>') },
  // MSG-2: the e-mail settings and outbox, after the inbox in the messages group.
  { id: 'mail', perm: 'mail.manage', group: 'messages', component: MailPage,
    icon: I('<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M3 7l9 6 9-6"/>') },
  // MSG-2 with RPT-2: reports e-mailed on schedules, after the e-mail settings.
  { id: 'report-schedules', perms: ['mail.manage'], group: 'messages', component: ReportSchedulesPage,
    icon: I('<rect x="3" y="4" width="18" height="17" rx="2"/><path d="M3 9h18M8 2v4M16 2v4M8 14h3M8 17h6"/>') },
  // MSG-3: the SMS gateway, templates, after-call switch and message log, after the e-mail.
  { id: 'sms', perm: 'sms.manage', group: 'messages', component: SmsPage,
    icon: I('<path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/><path d="M8 9h8M8 13h5"/>') },
  // MSG-5: faxes sent and received, and a document to send, after the SMS.
  { id: 'faxes', perm: 'fax.read', group: 'messages', component: FaxesPage,
    icon: I('<path d="M6 9V3h12v6"/><rect x="3" y="9" width="18" height="9" rx="2"/><path d="M6 14h12v7H6z"/>') },
  // OPS-2: configuration backup and restore (admin: the enterprise; operator: every enterprise), listed last so that it is
  // nobody's landing page; the sidebar shows it in the platform group.
  { id: 'backup', perms: ['config.backup', 'enterprise.manage'], group: 'platform', component: BackupPage,
    icon: I('<path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4M7 10l5 5 5-5M12 15V3"/>') },
  // ADM-4: the company name and logo, listed last so that it is nobody's landing page.
  { id: 'branding', perm: 'branding.manage', group: 'system', component: BrandingPage,
    icon: I('<rect x="3" y="3" width="18" height="18" rx="2"/><circle cx="8.5" cy="8.5" r="1.5"/><path d="M21 15l-5-5L5 21"/>') },
];
const LINKS = [
  { id: 'agent', perm: 'agent.desk', href: '/agent.html',
    icon: I('<path d="M3 18v-6a9 9 0 0 1 18 0v6"/><path d="M21 19a2 2 0 0 1-2 2h-1v-6h3zM3 19a2 2 0 0 0 2 2h1v-6H3z"/>') },
  { id: 'supervisor', perm: 'monitor.read', href: '/supervisor.html',
    icon: I('<path d="M3 3v18h18"/><path d="M7 14l4-4 4 4 5-6"/>') },
];
const GROUPS = ['platform', 'org', 'crm', 'telephony', 'messages', 'reports', 'system'];

function routeFromHash() {
  const m = /^#\/([a-z-]+)/.exec(location.hash || '');
  return m ? m[1] : '';
}

const me = await boot();
if (me) {
  if (!hasConsoleAccess(me) && landingFor(me) !== '/') {
    location.replace(landingFor(me));
  } else {
    start(me);
  }
}

function start(me) {
  const perms = new Set(me.permissions || []);
  const menu = MENU.filter((m) => (m.perms ? m.perms.some((p) => perms.has(p)) : perms.has(m.perm)));
  const links = LINKS.filter((m) => perms.has(m.perm));
  const components = {};
  for (const m of MENU) components['page-' + m.id] = m.component;

  const Console = {
    components,
    setup() { return { me, menu, links }; },
    data() { return { route: '' }; },
    computed: {
      groups() {
        return GROUPS.map((g) => ({ id: g, items: menu.filter((m) => m.group === g) })).filter((g) => g.items.length);
      },
      current() { return menu.find((m) => m.id === this.route) || null; },
    },
    created() {
      this.sync();
      window.addEventListener('hashchange', this.sync);
    },
    methods: {
      sync() {
        const r = routeFromHash();
        if (menu.some((m) => m.id === r)) {
          // A page opened from the (long) menu starts at its top, not where the menu was scrolled to.
          if (r !== this.route) window.scrollTo(0, 0);
          this.route = r;
          return;
        }
        if (menu.length) { location.replace('#/' + menu[0].id); this.route = menu[0].id; } else { this.route = ''; }
      },
    },
    template: `
      <app-header :me="me" title-key="app.console"></app-header>
      <div class="layout">
        <nav class="sidebar" data-testid="sidebar">
          <template v-for="g in groups" :key="g.id">
            <div class="group">{{ t('nav.group.' + g.id) }}</div>
            <a v-for="m in g.items" :key="m.id" class="nav" :class="{ active: route === m.id }" :href="'#/' + m.id" :data-testid="'nav-' + m.id">
              <span v-html="m.icon"></span><span>{{ t('nav.' + m.id) }}</span>
            </a>
          </template>
          <template v-if="links.length">
            <div class="group">{{ t('nav.group.workspace') }}</div>
            <a v-for="m in links" :key="m.id" class="nav" :href="m.href" :data-testid="'nav-' + m.id">
              <span v-html="m.icon"></span><span>{{ t('nav.' + m.id) }}</span>
            </a>
          </template>
        </nav>
        <main class="main" data-testid="main">
          <component v-if="current" :is="'page-' + current.id" :me="me" :key="current.id"></component>
          <div v-else class="center-msg" data-testid="no-access">{{ t('console.noAccess') }}</div>
        </main>
      </div>
      <ui-host></ui-host>`,
  };
  titleFrom('app.console');
  mountApp(Console, '#app', me);
}
