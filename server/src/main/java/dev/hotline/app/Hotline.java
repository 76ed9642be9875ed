package dev.hotline.app;

import dev.hotline.acd.Acd;
import dev.hotline.acd.AcdRoutes;
import dev.hotline.acd.AgentDesk;
import dev.hotline.acd.CustomerRouting;
import dev.hotline.acd.QueueRoutes;
import dev.hotline.acd.QueueStore;
import dev.hotline.audit.AuditLog;
import dev.hotline.audit.AuditRoutes;
import dev.hotline.auth.Passwords;
import dev.hotline.auth.Permission;
import dev.hotline.backup.BackupRoutes;
import dev.hotline.backup.ConfigBackup;
import dev.hotline.billing.BillingRoutes;
import dev.hotline.billing.CallRating;
import dev.hotline.branding.Branding;
import dev.hotline.branding.BrandingRoutes;
import dev.hotline.cluster.ClusterNode;
import dev.hotline.cluster.ClusterRoutes;
import dev.hotline.call.AcdHost;
import dev.hotline.call.AgentsForRouting;
import dev.hotline.call.DeskCallControl;
import dev.hotline.call.Switchboard;
import dev.hotline.campaign.CampaignRoutes;
import dev.hotline.campaign.Dialer;
import dev.hotline.contract.ContractRoutes;
import dev.hotline.contract.Contracts;
import dev.hotline.crm.AddressBook;
import dev.hotline.crm.CrmRoutes;
import dev.hotline.crm.CrmSettings;
import dev.hotline.crm.CustomerImports;
import dev.hotline.crm.CustomerStore;
import dev.hotline.crm.Customers;
import dev.hotline.cti.CallControlRoutes;
import dev.hotline.cti.CallView;
import dev.hotline.cti.CtiHub;
import dev.hotline.directory.Directory;
import dev.hotline.directory.DirectoryRoutes;
import dev.hotline.domain.DomainException;
import dev.hotline.engine.Engines;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.SipTls;
import dev.hotline.engine.call.OverloadControl;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.tts.Language;
import dev.hotline.ice.IceServerRoutes;
import dev.hotline.ice.IceServers;
import dev.hotline.ivr.DataSourceRoutes;
import dev.hotline.ivr.DataSources;
import dev.hotline.ivr.FlowRoutes;
import dev.hotline.ivr.GreetingRoutes;
import dev.hotline.ivr.Ivr;
import dev.hotline.ivr.NumberListRoutes;
import dev.hotline.ivr.NumberLists;
import dev.hotline.ivr.PromptRoutes;
import dev.hotline.kb.Kb;
import dev.hotline.kb.KbRoutes;
import dev.hotline.login.Auth;
import dev.hotline.login.AuthRoutes;
import dev.hotline.login.LoginThrottle;
import dev.hotline.mail.MailRoutes;
import dev.hotline.mail.Mailer;
import dev.hotline.mail.SecretBox;
import dev.hotline.mail.SmtpSettings;
import dev.hotline.mail.SmtpTrust;
import dev.hotline.masking.Masking;
import dev.hotline.masking.MaskingRoutes;
import dev.hotline.monitor.Monitor;
import dev.hotline.monitor.MonitorRoutes;
import dev.hotline.ops.Metrics;
import dev.hotline.ops.OpsRoutes;
import dev.hotline.ops.SipBanRoutes;
import dev.hotline.ops.SipBanStore;
import dev.hotline.order.OrderRoutes;
import dev.hotline.order.Orders;
import dev.hotline.recording.CallRecorder;
import dev.hotline.recording.MediaFiles;
import dev.hotline.recording.RecordingArchive;
import dev.hotline.recording.RecordingRoutes;
import dev.hotline.recording.RecordingStore;
import dev.hotline.recording.SftpArchive;
import dev.hotline.report.CallRecord;
import dev.hotline.report.CallRoutes;
import dev.hotline.report.EventLog;
import dev.hotline.report.QueueTargets;
import dev.hotline.report.ReportCatalog;
import dev.hotline.report.ReportRoutes;
import dev.hotline.reportmail.ReportScheduleRoutes;
import dev.hotline.reportmail.ScheduledReports;
import dev.hotline.report.business.BusinessReportRoutes;
import dev.hotline.routing.CallBook;
import dev.hotline.routing.CallRouter;
import dev.hotline.fax.FaxRoutes;
import dev.hotline.fax.Faxes;
import dev.hotline.engine.fax.FaxTimers;
import dev.hotline.routing.RoutingData;
import dev.hotline.routing.RoutingRoutes;
import dev.hotline.routing.SipAdmission;
import dev.hotline.sms.Sms;
import dev.hotline.sms.SmsRoutes;
import dev.hotline.sms.SmsSender;
import dev.hotline.store.Database;
import dev.hotline.supervision.Supervision;
import dev.hotline.supervision.SupervisionRoutes;
import dev.hotline.survey.SurveyRoutes;
import dev.hotline.survey.SurveyStore;
import dev.hotline.survey.Surveys;
import dev.hotline.tenant.EnterpriseRoutes;
import dev.hotline.tenant.Enterprises;
import dev.hotline.ticket.CallBackOutcomes;
import dev.hotline.ticket.TicketEscalation;
import dev.hotline.ticket.TicketRoutes;
import dev.hotline.ticket.Tickets;
import dev.hotline.toll.TollGuard;
import dev.hotline.toll.TollRoutes;
import dev.hotline.voicemail.VoicemailRoutes;
import dev.hotline.voicemail.VoicemailStore;
import dev.hotline.web.Api;
import dev.hotline.web.Tls;
import dev.hotline.web.WebServer;
import dev.hotline.webcallback.WebCallbackRoutes;
import dev.hotline.webcallback.WebCallbacks;
import dev.hotline.webhook.EventStream;
import dev.hotline.webhook.EventStreamRoutes;
import dev.hotline.webhook.WebhookRoutes;
import dev.hotline.webhook.Webhooks;
import dev.hotline.widget.WidgetCalls;
import dev.hotline.widget.WidgetRoutes;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole server, wired by hand in one place: construct, {@link #start()}, {@link #close()}. */
public final class Hotline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Hotline.class);

    private final Config config;
    private final Database db;
    private final WebServer web;
    private final EventLog eventLog;
    private final RoutingData routing;
    private final CallRouter router;
    private final CallRecorder recorder;
    private final RecordingArchive recordingArchive;
    private final Acd acd;
    private final Dialer dialer;
    private final WebCallbacks webCallbacks;
    private final WidgetCalls widgetCalls;
    private final CtiHub cti;
    private final TelephonyEngine engine;
    private final ScheduledExecutorService housekeeping;
    private final Ivr ivr;
    private final DataSources dataSources;
    private final Monitor monitor;
    private final Metrics metrics;
    private final Webhooks webhooks;
    private final Mailer mailer;
    private final ScheduledReports scheduledReports;
    private final SmsSender smsSender;
    private final EventStream eventStream;
    private final CustomerImports customerImports;
    private final DemoData.Seeded seeded;
    private final Api api;
    private final TicketEscalation ticketEscalation;
    /** OPS-3: this node among several sharing the database; null on a single server. */
    private ClusterNode cluster;

    public Hotline(Config config) {
        this(config, Clock.systemUTC());
    }

    /** @param clock the server's time (tests move it to reach a scheduled report's hour without waiting for it) */
    public Hotline(Config config, Clock clock) {
        this.config = config;
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create data folder " + config.dataDir() + ": " + e.getMessage(), e);
        }
        this.db = new Database(config.dbUrl(), config.dbUser(), config.dbPassword());
        var jdbi = db.jdbi();
        Passwords passwords = new Passwords(config.bcryptCost());
        AuditLog audit = new AuditLog(clock);
        // CRM-5: one masking policy per enterprise, asked by every path a number goes out by (docs/masking.md).
        Masking masking = new Masking(jdbi, (e, n) -> jdbi.withHandle(h -> CustomerStore.nameByNumber(h, e, n)),
                config.dataDir().resolve("secrets").resolve("number-ref.key"), clock);
        Duration sessionLifetime = Duration.ofHours(config.sessionHours());
        Auth auth = new Auth(jdbi, passwords, new LoginThrottle(clock), audit, clock, sessionLifetime);
        Enterprises enterprises = new Enterprises(passwords, clock, List.of(QueueStore::seedReasons, Tickets::seedTypes, Orders::seedCounter));
        Directory directory = new Directory(passwords, clock);

        Api api = new Api();
        this.api = api;
        AuthRoutes.register(api, auth, jdbi, (int) sessionLifetime.toSeconds());
        EnterpriseRoutes.register(api, enterprises, jdbi, audit);
        DirectoryRoutes.register(api, directory, jdbi, audit);
        QueueRoutes.register(api, jdbi, audit);
        AuditRoutes.register(api, audit, jdbi);
        CallRoutes.register(api, jdbi, masking);
        MaskingRoutes.register(api, jdbi, masking, audit);
        QueueTargets.Source queueTargets = (h, enterpriseId) -> QueueStore.list(h, enterpriseId).stream().collect(
                java.util.stream.Collectors.toMap(q -> q.name(), q -> new QueueTargets(q.settings().serviceLevelSeconds(),
                        q.settings().shortAbandonSeconds())));
        // Day roll-ups are kept in the server's time zone: reports by day, week or month in it read them.
        java.time.ZoneId reportZone = java.time.ZoneId.systemDefault();
        ReportCatalog reportCatalog = new ReportCatalog(); // the reports by name: their routes, and scheduled reports (MSG-2)
        ReportRoutes.register(api, reportCatalog, jdbi, masking, clock, reportZone);
        BusinessReportRoutes.register(api, jdbi, clock); // RPT-4
        SurveyRoutes.register(api, reportCatalog, jdbi, masking, clock, reportZone);
        BillingRoutes.register(api, jdbi, audit, masking, clock, reportZone);
        // CRM (issue 16): customers, their import jobs (on a thread of their own) and the address books.
        this.customerImports = new CustomerImports(jdbi, clock, config.dataDir());
        CrmRoutes.register(api, jdbi, audit, masking, new Customers(clock), customerImports, new AddressBook(clock));
        // MSG-3: SMS through the enterprise's SMPP or HTTP gateway, sent by threads of their own; the after-call SMS is queued
        // by the event log's projection, a ticket's notices to its customer (BIZ-1) by the ticket's change.
        SecretBox smsSecrets = SecretBox.fromKeyFile(config.dataDir().resolve("secrets").resolve("sms.key"));
        this.smsSender = new SmsSender(jdbi, clock, smsSecrets, Duration.ofSeconds(10));
        Sms sms = new Sms(clock, smsSecrets, reportZone, new Customers(clock), smsSender);
        KbRoutes.register(api, jdbi, new Kb(clock));
        Branding branding = new Branding(config.dataDir(), clock);
        BrandingRoutes.register(api, jdbi, branding); // ADM-4
        ContractRoutes.register(api, jdbi, new Contracts(config.dataDir(), clock)); // BIZ-4 contracts
        this.ticketEscalation = new TicketEscalation(jdbi, clock);

        this.seeded = DemoData.seed(jdbi, enterprises, passwords, config, clock);
        this.webhooks = new Webhooks(jdbi, clock, masking);
        // MSG-2: e-mail through the enterprise's SMTP server or the configured default, sent from the outbox by a thread of its own.
        SecretBox mailKey = SecretBox.fromKeyFile(config.dataDir().resolve("secrets").resolve("mail.key"));
        this.mailer = new Mailer(jdbi, clock, mailKey, serverSmtp(config), config.smtp().truststore().isBlank() ? null
                : SmtpTrust.fromTrustStore(Path.of(config.smtp().truststore()), config.smtp().truststorePassword()));
        // MSG-2 with RPT-2: reports sent by e-mail on schedules, through the outbox (OPS-3: by the node serving the enterprise).
        this.scheduledReports = new ScheduledReports(jdbi, clock, reportCatalog, masking, reportZone, config.dataDir(),
                e -> cluster == null || cluster.serves(e));
        ReportScheduleRoutes.register(api, jdbi, audit, scheduledReports);
        // OPS-2: configuration backup and restore (the SMTP password is re-sealed under the passphrase and back).
        SecretBox archiveKey = SecretBox.fromKeyFile(config.dataDir().resolve("secrets").resolve("archive.key"));
        SecretBox ivrDbKey = SecretBox.fromKeyFile(config.dataDir().resolve("secrets").resolve("ivr-db.key"));
        BackupRoutes.register(api, new ConfigBackup(jdbi, config.dataDir(),
                        Map.of("mail", mailKey, "sms", smsSecrets, "archive", archiveKey, "ivr-db", ivrDbKey), clock),
                jdbi, audit);
        MailRoutes.register(api, jdbi, audit, mailer, clock);
        SmsRoutes.register(api, jdbi, audit, sms, masking);
        WebhookRoutes.register(api, jdbi, audit, webhooks, clock);
        this.eventStream = new EventStream(jdbi, clock); // API-2: the enterprise-wide WebSocket event stream
        Instant startedAt = clock.instant();
        CallBackOutcomes callBackOutcomes = new CallBackOutcomes(); // BIZ-1: a ticket call-back's outcome on its timeline
        this.eventLog = new EventLog(jdbi, clock, config.dataDir().resolve("event-log-refused.tsv"),
                List.of(VoicemailStore::project, RecordingStore::project, SurveyStore::project, new CallRating(reportZone), webhooks::project,
                        eventStream, sms::project, callBackOutcomes), queueTargets,
                reportZone, !config.cluster().enabled()); // OPS-3: a node closes only the calls of enterprises it takes over
        // BIZ-1 tickets; their events go to webhooks and the event stream through the event log (API-2), as calls' do.
        Tickets tickets = new Tickets(clock, sms, eventLog::append);
        OrderRoutes.register(api, jdbi, new Orders(clock, tickets)); // BIZ-4
        if (CallRating.rebuildDaysIfZoneChanged(jdbi, reportZone)) log.info("built the billing day roll-up in zone {}", reportZone);
        int rated = CallRating.rateCallsClosedByRestart(jdbi, startedAt, reportZone); // RPT-5: calls the last run left unfinished
        if (rated > 0) log.info("rated {} trunk call leg(s) left unfinished by the last run", rated);
        // RPT-5 with OPS-3: the calls a node taking an enterprise over closes are rated as they are closed.
        eventLog.onClosedBySystem((h, enterpriseId, record) -> CallRating.rateClosedCall(h, reportZone, enterpriseId, record.callId()));
        MediaFiles mediaFiles = new MediaFiles(config.dataDir(), clock);
        this.ivr = new Ivr(config.dataDir(),
                (enterpriseId, number, field) -> jdbi.withHandle(h -> CrmSettings.callerField(h, enterpriseId, number, field)));
        // ACD-3/ACD-4: the CRM tells the queues a caller's tier priority and their record's owner.
        CustomerRouting crmRouting = (enterpriseId, number) -> jdbi.withHandle(h -> CrmSettings.callerRouting(h, enterpriseId, number))
                .map(c -> new CustomerRouting.Caller(c.ownerId(), c.priority()));
        // IVR-1: the enterprises' external databases for the flows' lookup nodes (passwords sealed under their own key).
        this.dataSources = new DataSources(jdbi, ivrDbKey, clock);
        ivr.dataSources(dataSources);
        NumberLists numberLists = new NumberLists(jdbi, clock); // ACD-4: the lists the flows' caller condition nodes route by
        ivr.numberLists(numberLists);
        this.acd = new Acd(jdbi, eventLog, clock, ivr, new Random(), crmRouting);
        AgentDesk agentDesk = new AgentDesk(jdbi, acd);
        this.cti = new CtiHub(jdbi, auth, acd, agentDesk, masking);
        // The call path: routing data and the calls in progress, routing, recording, then the desks' and the ACD's call control.
        Duration ringTimeout = Duration.ofSeconds(30);
        this.routing = new RoutingData(jdbi);
        CallBook calls = new CallBook(eventLog, clock);
        this.recorder = new CallRecorder(mediaFiles, eventLog, clock, routing::recording, id -> routing.engine().channel(id));
        AgentsForRouting agentsForRouting = new AgentsForRouting(acd, cti);
        this.router = new CallRouter(routing, calls, agentsForRouting, recorder, mediaFiles, ivr, jdbi, clock, ringTimeout);
        // MSG-5: fax to and from a file, a T.38 fax terminal on the call's leg; numbers of destination "fax" reach it.
        Faxes faxes = new Faxes(jdbi, routing, calls, config.dataDir(), clock, FaxTimers.T30);
        router.faxLine(faxes);
        if (!config.cluster().enabled() && faxes.failInterrupted() > 0) log.info("faxes left in progress by the last run marked failed");
        FaxRoutes.register(api, jdbi, audit, faxes);
        Surveys surveys = new Surveys(calls, routing, ivr, cti, acd);
        DeskCallControl desk = new DeskCallControl(routing, calls, router, acd, cti, mediaFiles, ringTimeout, ivr, clock, surveys);
        cti.attach(desk);
        CallControlRoutes.register(api, cti, masking, recorder); // API-1: the desk's call control over HTTP
        // BIZ-1: tickets; a call-back from a ticket is the desk's click-to-dial.
        TicketRoutes.register(api, jdbi, tickets, masking, (enterpriseId, userId, number) -> {
            String leg = cti.run(c -> c.dial(enterpriseId, userId, number));
            String callId = cti.run(c -> c.calls(userId).stream().filter(v -> v.legId().equals(leg)).map(CallView::callId).findFirst().orElse(null));
            return new TicketRoutes.CallBack.Placed(leg, callId);
        }, callBackOutcomes);
        AcdHost acdHost = new AcdHost(acd, cti, calls, routing, router, recorder, mediaFiles, ringTimeout, surveys);
        Switchboard switchboard = new Switchboard(calls, routing, router, recorder, desk, acdHost, acd, cti);
        switchboard.follow(surveys::onEvent);
        switchboard.follow(agentsForRouting::onEvent); // a phone's transfer to a colleague, handed to the ACD once unbridged
        ivr.surveys(surveys::expectAfterAgent);
        ivr.tickets((enterpriseId, keys, language) -> { // BIZ-1: the flows' ticket-status node
            Tickets.Keyed k = jdbi.withHandle(h -> tickets.keyed(h, enterpriseId, keys));
            if (k instanceof Tickets.Keyed.Found f) {
                return new Ivr.TicketAnswer.Found(f.trackingNumber(), f.status().key(), f.status().words(language == Language.EN));
            }
            return k instanceof Tickets.Keyed.Invalid ? new Ivr.TicketAnswer.Invalid() : new Ivr.TicketAnswer.Unknown();
        });
        // OUT-1: the dialer places campaign calls and follows their events on a thread of its own.
        this.dialer = new Dialer(jdbi, acd, calls, routing, ivr, sms, clock); // MSG-3: SMS campaigns and the SMS after an outcome
        switchboard.follow(dialer::onEvent);
        CampaignRoutes.register(api, jdbi, audit, clock, dialer, masking, sms, eventLog::append); // API-2: its events through the log
        // OUT-4: web callbacks, stored first, placed customer-first into the callback queue on a thread of their own.
        this.webCallbacks = new WebCallbacks(jdbi, acd, calls, routing, clock);
        switchboard.follow(webCallbacks::onEvent);
        WebCallbackRoutes.register(api, jdbi, audit, webCallbacks, masking);
        // API-3: the "call us" widget: a visitor's browser on the agents' WebRTC media path, queued like an inbound caller.
        this.widgetCalls = new WidgetCalls(acd, calls, routing::engine, clock);
        switchboard.follow(widgetCalls::onEvent);
        // MEDIA-6: STUN/TURN servers for the browsers' peer connections (browser phone, widget), TURN credentials per request.
        Config.Turn turn = config.turn();
        IceServers iceServers = new IceServers(turn.urls(), turn.username(), turn.password(), turn.secret(),
                Duration.ofSeconds(turn.ttlSeconds()), clock);
        IceServerRoutes.register(api, iceServers, jdbi, audit, cti::webRtcSettingsChanged);
        WidgetRoutes.register(api, jdbi, audit, widgetCalls, iceServers);
        Supervision supervision = new Supervision(routing, calls, acd, cti, jdbi, ringTimeout);
        switchboard.follow(supervision::onEvent);
        SipAdmission admission = new SipAdmission(routing, config.sipDefaultEnterprise());
        AcdRoutes.register(api, jdbi, audit, acd, agentDesk, masking);
        SupervisionRoutes.register(api, jdbi, audit, supervision);
        this.monitor = new Monitor(acd, calls, supervision, jdbi, eventLog, clock, reportZone);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hotline-housekeeping");
            t.setDaemon(true);
            return t;
        });
        // SEC-1 toll-fraud limits: checked by the routing on every call out; a refusal is a supervisors' alert, and the first
        // of each kind in ten minutes goes to the operation log (written off the call path).
        TollGuard toll = new TollGuard(jdbi, clock, refusal -> housekeeping.execute(() -> jdbi.useHandle(h -> audit.record(h,
                refusal.enterpriseId(), null, "system", null, "toll.blocked", refusal.number(),
                refusal.limit().name().toLowerCase(Locale.ROOT) + (refusal.detail() == null ? "" : ": " + refusal.detail())))));
        toll.start();
        routing.tollCheck(toll);
        monitor.alertSource(e -> toll.recentRefusals(e).stream().map(r -> new Monitor.Alert("toll_limit",
                r.limit().name().toLowerCase(Locale.ROOT), r.detail(), 0, 0, "red")).toList());
        TollRoutes.register(api, toll, jdbi, audit, masking);
        // SUP-3: supervisors signed in on the desk are sent the alerts as CTI events.
        monitor.alertsTo(new Monitor.AlertListener() {
            @Override
            public List<Monitor.AlertWatcher> watchers() {
                return cti.connectedWith(Permission.MONITOR_READ).stream().map(c -> new Monitor.AlertWatcher(c.key(), c.enterpriseId())).toList();
            }

            @Override
            public void send(Monitor.AlertWatcher to, List<Monitor.Alert> alerts, List<Monitor.Alert> raised) {
                cti.sendTo(to.key(), "monitor.alerts", Map.of("alerts", alerts, "raised", raised));
            }
        });
        MonitorRoutes.register(api, monitor, jdbi, audit, masking, branding);
        FlowRoutes.register(api, jdbi, audit, ivr, clock);
        VoicemailRoutes.register(api, jdbi, audit, clock, masking);
        PromptRoutes.register(api, jdbi, audit, ivr);
        GreetingRoutes.register(api, jdbi, audit, ivr);
        DataSourceRoutes.register(api, jdbi, audit, dataSources);
        NumberListRoutes.register(api, jdbi, audit, numberLists);
        ivr.warmPublished(jdbi);
        // one key store for HTTPS and SIP over TLS
        Tls.Keys tlsKeys = config.httpsPort() < 0 && config.sipTlsPort() == 0 ? null
                : Tls.load(config.httpsKeystore(), config.httpsKeystorePassword(), config.dataDir(),
                        Tls.localNames(config.sipExternalAddress(), config.httpHost().equals("0.0.0.0") ? null : config.httpHost()));
        EngineConfig engineConfig = EngineConfig.defaults()
                .withBind(config.sipHost(), config.sipPort())
                .withAdvertisedAddress(advertisedAddress(config))
                .withRtpPorts(config.rtpPortMin(), config.rtpPortMax())
                .withProduct(config.sipProduct())
                .withShield(10, 10, config.sipTrusted())
                .withTls(sipTls(config, tlsKeys));
        try {
            this.engine = Engines.start(engineConfig, admission, admission, switchboard);
        } catch (IOException e) {
            router.close();
            cti.close();
            eventLog.close();
            webhooks.close();
            mailer.close();
            scheduledReports.close();
            smsSender.close();
            eventStream.close();
            db.close();
            throw new IllegalStateException("cannot start SIP on " + config.sipHost() + ":" + config.sipPort() + ": " + e.getMessage(), e);
        }
        routing.attach(engine);
        Config.Overload overload = config.overload();
        engine.overload().limits(new OverloadControl.Limits(overload.maxCps(), Duration.ofMillis(overload.maxQueueDelayMs()),
                Duration.ofSeconds(overload.retryAfterSeconds())));
        engine.overload().pressure(() -> eventLog.backlog() > overload.maxEventBacklog());
        router.start();
        acd.start(acdHost);
        dialer.start();
        webCallbacks.start();
        widgetCalls.start();
        // REC-2: recordings archived to each enterprise's SFTP server (hourly, below); the secrets sealed like the mail password.
        this.recordingArchive = new RecordingArchive(jdbi, archiveKey,
                new SftpArchive(), clock);
        RecordingRoutes.register(api, jdbi, audit, mediaFiles, masking, recorder, recordingArchive, (e, agent) -> {
            if (acd.agentView(e, agent).isEmpty()) throw DomainException.notFound("agent");
            return acd.talkingLeg(e, agent).flatMap(calls::find).map(c -> c.callId());
        }, clock);
        smsSender.start();
        scheduledReports.start();
        this.metrics = new Metrics(engine, eventLog, acd, jdbi);
        OpsRoutes.register(api, metrics, jdbi, config.sipHost(), engine.sipPort());
        // OPS-3 (docs/adr/0004-nodes-behind-kamailio.md): several nodes behind Kamailio; this one serves the enterprises
        // placed on it, takes over those of a node whose lease ran out (closing the calls it left open), refuses the others'.
        if (config.cluster().enabled()) {
            Config.Cluster c = config.cluster();
            String sipUri = c.sipUri().isBlank() ? "sip:" + advertisedAddress(config) + ":" + engine.sipPort() : c.sipUri();
            this.cluster = new ClusterNode(jdbi, c.nodeId(), sipUri, c.httpUrl(), Duration.ofSeconds(c.leaseSeconds()),
                    (enterpriseId, which) -> eventLog.closeUnfinishedCalls(enterpriseId, "system_restart", which),
                    enterpriseId -> { // an operator's move: the calls that go on here; every one that ended recorded first
                        java.util.Set<String> inProgress = calls.live(enterpriseId).stream().map(CallRecord::callId)
                                .collect(java.util.stream.Collectors.toSet());
                        if (!eventLog.awaitSettled(eventLog.appended(), Duration.ofSeconds(10))) {
                            log.warn("the event log is behind: calls of enterprise {} that ended may be closed again by the node it moves to",
                                    enterpriseId);
                        }
                        return inProgress;
                    });
            admission.servedBy(cluster::serves);
            ClusterRoutes.register(api, cluster, admission::enterpriseOf, jdbi, audit);
        }
        SipBanRoutes.register(api, engine.sipBans(), jdbi, audit);
        // SEC-1: bans survive a restart; written on the housekeeping thread.
        new SipBanStore(jdbi, housekeeping).attach(engine.sipBans(), clock.instant());
        // REC-2 retention (local files and archived copies): once at start, then every six hours.
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                mediaFiles.sweepRetention(jdbi, recordingArchive::delete);
            } catch (RuntimeException e) {
                log.error("retention sweep failed", e);
            }
        }, 0, 6, TimeUnit.HOURS);
        // REC-2 archive: every hour, each enterprise's recordings older than its setting go to its SFTP server.
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                recordingArchive.runAll();
            } catch (RuntimeException e) {
                log.error("recording archive failed", e);
            }
        }, 10, 60, TimeUnit.MINUTES);
        // API-2: the event stream keeps a day of events; the webhook delivery log and the mail outbox are pruned too.
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                eventStream.prune();
                webhooks.prune(); // API-2: delivered deliveries kept 7 days
                mailer.prune(); // MSG-2: sent and given-up messages kept 30 days
                acd.pruneCallbacks(); // ACD-6: call backs that ended kept 30 days
                scheduledReports.prune(); // MSG-2: reports sent (and their files) kept 90 days
            } catch (RuntimeException e) {
                log.error("event stream pruning failed", e);
            }
        }, 1, 60, TimeUnit.MINUTES);
        // SEC-1: the billed minutes and spend the toll-fraud limits count, every 5 seconds.
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                toll.refreshCharges();
            } catch (RuntimeException e) {
                log.error("toll usage refresh failed", e);
            }
        }, 5, 5, TimeUnit.SECONDS);
        // BIZ-1 escalation stages: every 30 seconds.
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                ticketEscalation.runOnce();
            } catch (RuntimeException e) {
                log.error("ticket escalation failed", e);
            }
        }, 30, 30, TimeUnit.SECONDS);
        RoutingRoutes.register(api, jdbi, audit, clock, engine::locations, routing, router,
                (enterpriseId, name) -> ivr.promptFiles(enterpriseId).contains(name),
                (h, enterpriseId, name) -> QueueStore.byName(h, enterpriseId, name).isPresent(), masking);
        WebServer.Https https = config.httpsPort() < 0 ? null : new WebServer.Https(config.httpsPort(), tlsKeys);
        this.web = new WebServer(config.httpHost(), config.httpPort(), https, api, auth, () -> {
            routing.invalidate();
            acd.invalidate();
        }, routes -> {
            cti.mount(routes);
            EventStreamRoutes.mount(routes, auth, eventStream, masking);
        }, cluster == null ? null : cluster::httpHomeOf); // OPS-3: HTTP for an enterprise served elsewhere is sent to its node
    }

    /** The configured default SMTP server (smtp.host set), if any. */
    static Optional<SmtpSettings> serverSmtp(Config config) {
        Config.Smtp s = config.smtp();
        if (s.host().isBlank()) return Optional.empty();
        String from = s.from().isBlank() ? "hotline@" + s.host() : s.from();
        return Optional.of(new SmtpSettings(s.host(), s.port(), SmtpSettings.Security.parse(s.security()).orElseThrow(),
                s.user().isBlank() ? null : s.user(), s.password(), from));
    }

    /** The address phones and trunks reach us at: configured, else the bind address, else this host's first LAN address. */
    /** SIP over TLS with HTTPS's key store, and the trust store of {@code sip.tls.truststore} when set. */
    private static SipTls sipTls(Config config, Tls.Keys keys) {
        if (config.sipTlsPort() == 0) {
            return SipTls.OFF;
        }
        SipTls tls = SipTls.on(config.sipTlsPort(), keys.file(), keys.password(), "PKCS12");
        return config.sipTlsTruststore().isBlank() ? tls
                : tls.withTrustStore(Path.of(config.sipTlsTruststore()), config.sipTlsTruststorePassword(), "PKCS12");
    }

    static String advertisedAddress(Config config) {
        if (!config.sipExternalAddress().isBlank()) return config.sipExternalAddress();
        if (!config.sipHost().equals("0.0.0.0")) return config.sipHost();
        try {
            for (var nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) continue;
                for (var a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress()) return a.getHostAddress();
                }
            }
        } catch (SocketException e) {
            log.warn("cannot list network interfaces: {}", e.getMessage());
        }
        return "127.0.0.1";
    }

    public TelephonyEngine engine() {
        return engine;
    }

    public EventLog eventLog() {
        return eventLog;
    }

    public CallRouter router() {
        return router;
    }

    /** IVR-1: the enterprises' external databases the lookup node reads. */
    public DataSources dataSources() {
        return dataSources;
    }

    public Monitor monitor() {
        return monitor;
    }

    public Acd acd() {
        return acd;
    }

    public Hotline start() {
        web.start();
        if (cluster != null) {
            Config.Cluster c = config.cluster();
            String httpUrl = c.httpUrl().isBlank()
                    ? "http://" + (config.httpHost().equals("0.0.0.0") ? advertisedAddress(config) : config.httpHost()) + ":" + web.port()
                    : c.httpUrl();
            cluster.httpUrl(httpUrl).start();
        }
        return this;
    }

    public int httpPort() {
        return web.port();
    }

    /** The HTTPS port, or -1 when HTTPS is off. */
    public int httpsPort() {
        return web.httpsPort();
    }

    /** Every HTTP API route, as documented in the OpenAPI document. */
    public List<Api.Route> routes() {
        return api.routes();
    }

    public Config config() {
        return config;
    }

    DemoData.Seeded seeded() {
        return seeded;
    }

    /**
     * What a person starting the server should know now: a missing espeak-ng (text-to-speech prompts cannot be made;
     * the shipped recorded prompts still play) and whether the demo hotline is open at this hour.
     */
    public java.util.List<String> startNotices() {
        java.util.List<String> notices = new java.util.ArrayList<>();
        if (!ivr.ttsAvailable()) {
            notices.add("Warning : espeak-ng not found: text-to-speech prompts cannot be made (recorded prompts still play);"
                    + " install it with: apt-get install espeak-ng");
        }
        DemoData.ivrStatus(db.jdbi(), Clock.systemUTC()).ifPresent(s -> notices.add("Demo IVR: " + s));
        return notices;
    }

    Path dataDir() {
        return config.dataDir();
    }

    @Override
    public void close() {
        log.info("stopping Hotline");
        monitor.close();
        web.close();
        metrics.close();
        housekeeping.shutdownNow();
        dialer.close();
        webCallbacks.close();
        widgetCalls.close();
        engine.close();
        acd.close();
        cti.close();
        router.close(); // pending call backs stay stored for the next start
        recorder.finishOnStop();
        try {
            recordingArchive.close();
        } catch (IOException e) {
            log.warn("closing the SFTP client: {}", e.toString());
        }
        ivr.close();
        dataSources.close();
        customerImports.close();
        eventLog.close();
        // OPS-3: after the records of this node's calls are written, so that the node taking over finds none open.
        if (cluster != null) cluster.close();
        webhooks.close();
        scheduledReports.close();
        mailer.close();
        smsSender.close();
        eventStream.close();
        db.close();
    }

    /** MSG-2's scheduled reports (tests wait for a round of the scheduler). */
    public ScheduledReports scheduledReports() {
        return scheduledReports;
    }
}
