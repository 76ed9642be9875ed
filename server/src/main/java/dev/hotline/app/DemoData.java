package dev.hotline.app;

import dev.hotline.acd.Queue;
import dev.hotline.acd.QueueSettings;
import dev.hotline.acd.QueueStore;
import java.util.List;
import dev.hotline.auth.Passwords;
import dev.hotline.auth.Permission;
import dev.hotline.directory.DepartmentStore;
import dev.hotline.directory.ExtensionStore;
import dev.hotline.directory.RoleStore;
import dev.hotline.directory.UserStore;
import dev.hotline.routing.RoutingStore;
import dev.hotline.tenant.Enterprise;
import dev.hotline.tenant.EnterpriseStore;
import dev.hotline.tenant.Enterprises;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * First-start data: the operator's {@code system} enterprise always, and on an empty database
 * the demo enterprise {@code demo} (OPS-1) with an admin, a supervisor, three agents with
 * extensions 1001–1003, departments and the queues {@code sales} and {@code support}.
 */
final class DemoData {
    static final String DEMO = "demo";

    /** What was created, with the passwords to print once (empty when nothing was created). */
    record Seeded(Optional<String> operatorPassword, Optional<String> demoPassword) {}

    private DemoData() {}

    /**
     * The demo hotline (issue 5 item 8): in business hours a welcome and a menu (1 sales, 2 support,
     * 3 hear your number, 0 operator, 9 voicemail); outside them a night message and voicemail.
     */
    static dev.hotline.ivr.Flow.Graph mainFlow() {
        try {
            return dev.hotline.web.Json.MAPPER.readValue("""
                    {"start": "hours", "nodes": {
                      "hours": {"type": "time", "timezone": "Asia/Shanghai",
                                "weekly": [{"days": [1, 2, 3, 4, 5], "from": "09:00", "to": "18:00"}], "open": "menu", "closed": "night"},
                      "menu": {"type": "menu", "prompts": [{"prompt": "WELCOME"}, {"prompt": "DEMO_MENU"}],
                               "options": {"1": "sales", "2": "support", "3": "number", "0": "operator", "9": "voicemail"},
                               "timeoutSeconds": 5, "retries": 2, "invalidPrompts": [{"prompt": "INVALID_INPUT"}], "fail": "operator"},
                      "sales": {"type": "transfer", "target": "queue", "value": "sales", "fail": "voicemail"},
                      "support": {"type": "transfer", "target": "queue", "value": "support", "fail": "voicemail"},
                      "number": {"type": "say", "value": "${caller}", "as": "digits", "next": "menu"},
                      "operator": {"type": "transfer", "target": "extension", "value": "1001", "fail": "voicemail"},
                      "night": {"type": "play", "prompts": [{"prompt": "THANK_YOU_FOR_CALLING"}, {"prompt": "DEMO_CLOSED"}], "next": "voicemail"},
                      "voicemail": {"type": "voicemail", "boxType": "queue", "box": "support"}},
                     "layout": {"hours": {"x": 40, "y": 200}, "menu": {"x": 280, "y": 120}, "night": {"x": 280, "y": 380},
                                "sales": {"x": 560, "y": 20}, "support": {"x": 560, "y": 120}, "number": {"x": 560, "y": 220},
                                "operator": {"x": 560, "y": 320}, "voicemail": {"x": 820, "y": 380}}}""", dev.hotline.ivr.Flow.Graph.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Says whether the demo hotline (DID 4000, flow {@code main}) answers with its menu now or with the night
     * message, and how to open it at any hour; empty without a demo enterprise or its flow.
     */
    static Optional<String> ivrStatus(Jdbi jdbi, Clock clock) {
        return jdbi.withHandle(h -> EnterpriseStore.byCode(h, DEMO)
                .map(demo -> dev.hotline.ivr.FlowStore.published(h, demo.id()).get("main"))
                .flatMap(g -> dev.hotline.ivr.Flow.Time.first(g))
                .map(t -> {
                    boolean open = t.isOpenAt(clock.instant());
                    String now = java.time.ZonedDateTime.now(clock.withZone(t.zone()))
                            .format(java.time.format.DateTimeFormatter.ofPattern("EEE HH:mm", java.util.Locale.ENGLISH));
                    return open
                            ? "open now (" + now + " there): DID 4000 plays the menu; hours " + t.describe()
                            : "CLOSED now (" + now + " there): DID 4000 plays the night message and takes voicemail; hours "
                              + t.describe() + ". To open it at any hour: console > IVR flows > main > the time node,"
                              + " 00:00-24:00 on every day, then publish";
                }));
    }

    static Seeded seed(Jdbi jdbi, Enterprises enterprises, Passwords passwords, Config cfg, Clock clock) {
        return jdbi.inTransaction(h -> {
            Optional<String> operatorPw = Optional.empty();
            if (EnterpriseStore.byCode(h, Enterprise.SYSTEM).isEmpty()) {
                String pw = cfg.operatorPassword().or(cfg::demoPassword).orElseGet(() -> Passwords.generate(12));
                enterprises.createUnchecked(h, Enterprise.SYSTEM, "Hotline operator", "operator", passwords.hash(pw), Permission.BuiltinRole.OPERATOR);
                operatorPw = Optional.of(pw);
            }
            boolean empty = EnterpriseStore.list(h).stream().allMatch(e -> e.code().equals(Enterprise.SYSTEM));
            if (!cfg.demo() || !empty) return new Seeded(operatorPw, Optional.empty());

            String pw = cfg.demoPassword().orElseGet(() -> Passwords.generate(12));
            String hash = passwords.hash(pw);
            Enterprise demo = enterprises.createUnchecked(h, DEMO, "演示企业 Demo Co.", "admin", hash, Permission.BuiltinRole.ADMIN);
            long e = demo.id();
            long service = DepartmentStore.insert(h, e, "客服部 Customer Service", null);
            long sales = DepartmentStore.insert(h, e, "销售部 Sales", null);
            long supervisor = RoleStore.byName(h, e, "supervisor").orElseThrow().id();
            long agent = RoleStore.byName(h, e, "agent").orElseThrow().id();
            UserStore.insert(h, e, new UserStore.Fields("lead", "王班长 Lead Wang", supervisor, service, "8000", null, true), hash, clock.instant());
            String[] names = {"李娜 Li Na", "张伟 Zhang Wei", "刘洋 Liu Yang"};
            long[] agents = new long[3];
            for (int i = 1; i <= 3; i++) {
                long uid = UserStore.insert(h, e, new UserStore.Fields("agent" + i, names[i - 1], agent, i == 3 ? sales : service,
                        String.valueOf(8000 + i), null, true), hash, clock.instant());
                ExtensionStore.insert(h, e, String.valueOf(1000 + i), uid, pw, true);
                agents[i - 1] = uid;
            }
            // PBX-2 demo: an IP trunk accepting calls from this machine, DID 4000 to extension 1001, and
            // an outbound route sending every other number to the same trunk (a SIP peer on 127.0.0.1:5080).
            long trunk = RoutingStore.insertTrunk(h, e, new RoutingStore.TrunkFields("loopback", "ip", "127.0.0.1", 5080, "udp",
                    "127.0.0.1", null, 600, "4000", 0, true, "off"), null);
            // IVR-1/2: DID 4000 runs the demo flow `main`; DID 4010 rings extension 1001 directly.
            long flow = dev.hotline.ivr.FlowStore.create(h, e, "main", "演示主菜单 Demo main menu", "demo", clock.instant());
            dev.hotline.ivr.FlowStore.saveDraft(h, dev.hotline.ivr.FlowStore.byId(h, e, flow).orElseThrow(), mainFlow(), "demo", clock.instant());
            dev.hotline.ivr.FlowStore.publish(h, flow, 1, clock.instant());
            RoutingStore.insertDid(h, e, new RoutingStore.Did(0, "4000", trunk, "flow", "main", "演示热线 Demo hotline", null));
            RoutingStore.insertDid(h, e, new RoutingStore.Did(0, "4010", trunk, "extension", "1001", "总机直线 Direct line to 1001", null));
            RoutingStore.insertRoute(h, e, new RoutingStore.RouteFields("outside", "", 0, null, trunk, "4000", 100, true), null);
            // ACD demo (issue 6): sales rings round robin; support needs English and billing skills, with
            // a wider search after 30 s. All three agents serve both queues.
            long salesQ = QueueStore.insert(h, e, "sales", Queue.Strategy.ROUND_ROBIN, "销售热线 Sales line", new QueueSettings(
                    20, 300, 0, new QueueSettings.Destination("voicemail", "queue:sales"), null, 5, 3, 30, null, 0, "9", "*",
                    true, true, List.of(), 0, List.of(), 20));
            long supportQ = QueueStore.insert(h, e, "support", Queue.Strategy.LONGEST_IDLE, "客户服务 Customer support", new QueueSettings(
                    20, 300, 0, new QueueSettings.Destination("voicemail", "queue:support"), null, 5, 3, 30, null, 0, "9", "*",
                    true, true, List.of(new QueueSettings.SkillRequirement("english", 1), new QueueSettings.SkillRequirement("billing", 1)),
                    30, List.of(), 20));
            long english = QueueStore.insertSkill(h, e, "english");
            long billing = QueueStore.insertSkill(h, e, "billing");
            for (int i = 0; i < 3; i++) {
                QueueStore.setMember(h, salesQ, agents[i], 0);
                QueueStore.setMember(h, supportQ, agents[i], 0);
            }
            QueueStore.setAgentSkills(h, agents[0], java.util.Map.of(english, 5, billing, 3));
            QueueStore.setAgentSkills(h, agents[1], java.util.Map.of(english, 2, billing, 5));
            QueueStore.setAgentSkills(h, agents[2], java.util.Map.of(billing, 4));
            return new Seeded(operatorPw, Optional.of(pw));
        });
    }
}
