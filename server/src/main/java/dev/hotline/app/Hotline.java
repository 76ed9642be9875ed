package dev.hotline.app;

import dev.hotline.acd.AcdRoutes;
import dev.hotline.acd.AgentDesk;
import dev.hotline.acd.QueueRoutes;
import dev.hotline.acd.QueueStore;
import dev.hotline.audit.AuditLog;
import dev.hotline.audit.AuditRoutes;
import dev.hotline.login.Auth;
import dev.hotline.login.AuthRoutes;
import dev.hotline.login.LoginThrottle;
import dev.hotline.auth.Passwords;
import dev.hotline.directory.Directory;
import dev.hotline.directory.DirectoryRoutes;
import dev.hotline.engine.Engines;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.recording.MediaFiles;
import dev.hotline.recording.RecordingRoutes;
import dev.hotline.recording.RecordingStore;
import dev.hotline.report.CallRoutes;
import dev.hotline.report.EventLog;
import dev.hotline.routing.CallRouter;
import dev.hotline.routing.RoutingRoutes;
import dev.hotline.store.Database;
import dev.hotline.tenant.EnterpriseRoutes;
import dev.hotline.tenant.Enterprises;
import dev.hotline.voicemail.VoicemailStore;
import dev.hotline.web.Api;
import dev.hotline.web.WebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole server, wired by hand in one place: construct, {@link #start()}, {@link #close()}. */
public final class Hotline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Hotline.class);

    private final Config config;
    private final Database db;
    private final WebServer web;
    private final EventLog eventLog;
    private final CallRouter router;
    private final dev.hotline.acd.Acd acd;
    private final dev.hotline.cti.CtiHub cti;
    private final TelephonyEngine engine;
    private final java.util.concurrent.ScheduledExecutorService housekeeping;
    private final dev.hotline.ivr.Ivr ivr;
    private final DemoData.Seeded seeded;
    private final Api api;

    public Hotline(Config config) {
        this.config = config;
        Clock clock = Clock.systemUTC();
        try {
            Files.createDirectories(config.dataDir());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create data folder " + config.dataDir() + ": " + e.getMessage(), e);
        }
        this.db = new Database(config.dbUrl(), config.dbUser(), config.dbPassword());
        var jdbi = db.jdbi();
        Passwords passwords = new Passwords(config.bcryptCost());
        AuditLog audit = new AuditLog(clock);
        Duration sessionLifetime = Duration.ofHours(config.sessionHours());
        Auth auth = new Auth(jdbi, passwords, new LoginThrottle(clock), audit, clock, sessionLifetime);
        Enterprises enterprises = new Enterprises(passwords, clock, List.of(QueueStore::seedReasons));
        Directory directory = new Directory(passwords, clock);

        Api api = new Api();
        this.api = api;
        AuthRoutes.register(api, auth, jdbi, (int) sessionLifetime.toSeconds());
        EnterpriseRoutes.register(api, enterprises, jdbi, audit);
        DirectoryRoutes.register(api, directory, jdbi, audit);
        QueueRoutes.register(api, jdbi, audit);
        AuditRoutes.register(api, audit, jdbi);
        CallRoutes.register(api, jdbi);

        this.seeded = DemoData.seed(jdbi, enterprises, passwords, config, clock);
        this.eventLog = new EventLog(jdbi, clock, config.dataDir().resolve("event-log-refused.tsv"),
                List.of(VoicemailStore::project, RecordingStore::project));
        MediaFiles mediaFiles = new MediaFiles(config.dataDir(), clock);
        this.ivr = new dev.hotline.ivr.Ivr(config.dataDir());
        this.acd = new dev.hotline.acd.Acd(jdbi, eventLog, clock, ivr, new java.util.Random());
        this.router = new CallRouter(jdbi, eventLog, clock, config.sipDefaultEnterprise(), Duration.ofSeconds(30), mediaFiles, ivr, acd);
        AgentDesk agentDesk = new AgentDesk(jdbi, acd);
        AcdRoutes.register(api, jdbi, audit, acd, agentDesk);
        dev.hotline.ivr.FlowRoutes.register(api, jdbi, audit, ivr, clock);
        dev.hotline.voicemail.VoicemailRoutes.register(api, jdbi, audit, clock);
        dev.hotline.ivr.PromptRoutes.register(api, jdbi, audit, ivr);
        dev.hotline.ivr.GreetingRoutes.register(api, jdbi, audit, ivr);
        ivr.warmPublished(jdbi);
        EngineConfig engineConfig = EngineConfig.defaults()
                .withBind(config.sipHost(), config.sipPort())
                .withAdvertisedAddress(advertisedAddress(config))
                .withRtpPorts(config.rtpPortMin(), config.rtpPortMax());
        try {
            this.engine = Engines.start(engineConfig, router, router, router);
        } catch (java.io.IOException e) {
            eventLog.close();
            db.close();
            throw new IllegalStateException("cannot start SIP on " + config.sipHost() + ":" + config.sipPort() + ": " + e.getMessage(), e);
        }
        router.attach(engine);
        acd.start(router);
        RecordingRoutes.register(api, jdbi, audit, mediaFiles);
        this.housekeeping = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hotline-housekeeping");
            t.setDaemon(true);
            return t;
        });
        // REC-2 retention: once at start, then every six hours.
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                mediaFiles.sweepRetention(jdbi);
            } catch (RuntimeException e) {
                log.error("retention sweep failed", e);
            }
        }, 0, 6, java.util.concurrent.TimeUnit.HOURS);
        RoutingRoutes.register(api, jdbi, audit, clock, engine::locations, router,
                (enterpriseId, name) -> ivr.promptFiles(enterpriseId).contains(name));
        this.cti = new dev.hotline.cti.CtiHub(jdbi, auth, acd, agentDesk);
        router.attachCti(cti);
        WebServer.Https https = config.httpsPort() < 0 ? null : new WebServer.Https(config.httpsPort(),
                dev.hotline.web.Tls.load(config.httpsKeystore(), config.httpsKeystorePassword(), config.dataDir(),
                        dev.hotline.web.Tls.localNames(config.sipExternalAddress(), config.httpHost().equals("0.0.0.0") ? null : config.httpHost())));
        this.web = new WebServer(config.httpHost(), config.httpPort(), https, api, auth, () -> {
            router.invalidate();
            acd.invalidate();
        }, cti::mount);
    }

    /** The address phones and trunks reach us at: configured, else the bind address, else this host's first LAN address. */
    static String advertisedAddress(Config config) {
        if (!config.sipExternalAddress().isBlank()) return config.sipExternalAddress();
        if (!config.sipHost().equals("0.0.0.0")) return config.sipHost();
        try {
            for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) continue;
                for (var a : java.util.Collections.list(nic.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) return a.getHostAddress();
                }
            }
        } catch (java.net.SocketException e) {
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

    public dev.hotline.acd.Acd acd() {
        return acd;
    }

    public Hotline start() {
        web.start();
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
    public java.util.List<Api.Route> routes() {
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
        web.close();
        housekeeping.shutdownNow();
        engine.close();
        acd.close();
        cti.close();
        router.finishRecordingsOnStop();
        ivr.close();
        eventLog.close();
        db.close();
    }
}
