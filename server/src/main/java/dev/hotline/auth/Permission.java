package dev.hotline.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** What a role may do. Roles are sets of these; every API route names the one it needs. */
public enum Permission {
    USER_READ("user.read"), USER_WRITE("user.write"),
    DEPARTMENT_READ("department.read"), DEPARTMENT_WRITE("department.write"),
    ROLE_READ("role.read"), ROLE_WRITE("role.write"),
    EXTENSION_READ("extension.read"), EXTENSION_WRITE("extension.write"),
    QUEUE_READ("queue.read"), QUEUE_WRITE("queue.write"),
    AUDIT_READ("audit.read"),
    ROUTING_READ("routing.read"), ROUTING_WRITE("routing.write"),
    CALL_READ("call.read"),
    RECORDING_READ("recording.read"), RECORDING_WRITE("recording.write"),
    IVR_READ("ivr.read"), IVR_WRITE("ivr.write"),
    TOKEN_WRITE("token.write"),
    MONITOR_READ("monitor.read"),
    AGENT_DESK("agent.desk"),
    /** Supervisors: force an agent's state (ready, not ready, logged out), SUP-2. */
    AGENT_MANAGE("agent.manage"),
    /** Supervisors: listen to, whisper to, barge into, take over or hang up an agent's call, SUP-2. */
    CALL_SUPERVISE("call.supervise"),
    /** Integrations: the enterprise's webhooks and their delivery log, API-2. */
    WEBHOOK_MANAGE("webhook.manage"),
    /** E-mail (MSG-2): the enterprise's SMTP server, a test message, the outbox and its failures. */
    MAIL_MANAGE("mail.manage"),
    /** CRM-1, CRM-3: read the customers one may see (own, department-shared, enterprise-shared). */
    CUSTOMER_READ("customer.read"),
    /** Create customers and change the ones one may see; only the owner (or customer.manage) transfers or deletes. */
    CUSTOMER_WRITE("customer.write"),
    /** CRM-2: import customers from CSV or xlsx. */
    CUSTOMER_IMPORT("customer.import"),
    /** CRM-2: export the customers one may see. */
    CUSTOMER_EXPORT("customer.export"),
    /** Every customer of the enterprise whatever its sharing, the field definitions, bulk transfer by owner. */
    CUSTOMER_MANAGE("customer.manage"),
    /** CRM-6: one's personal contacts and the staff directory. */
    ADDRESS_BOOK("addressbook.use"),
    /** Outbound campaigns, their lists and the do-not-call list, OUT-1..3. */
    CAMPAIGN_MANAGE("campaign.manage"),
    /** API-3: the enterprise's "call us" web widgets (key, queue, allowed sites, limits). */
    WIDGET_MANAGE("widget.manage"),
    /** Tickets (BIZ-1): read them and memos; open, assign, move and comment on them; define types, forms and the SLA calendar. */
    TICKET_READ("ticket.read"), TICKET_WRITE("ticket.write"), TICKET_MANAGE("ticket.manage"),
    /** Knowledge base (BIZ-3): read and ask; write drafts; review (publish or reject), answer questions, edit categories. */
    KB_READ("kb.read"), KB_WRITE("kb.write"), KB_REVIEW("kb.review"),
    /** CRM-5: see outside numbers in full whatever the enterprise's masking policy (docs/masking.md). */
    NUMBER_UNMASKED("number.unmasked"),
    /** Orders (BIZ-4): read the catalog and the orders of the customers one may see; place orders and move their status; edit the catalog. */
    ORDER_READ("order.read"), ORDER_WRITE("order.write"), PRODUCT_MANAGE("product.manage"),
    /** Orders (BIZ-4): approve or reject the orders submitted to one as team leader (组长); confirm an order without a submission. */
    ORDER_APPROVE("order.approve"),
    /** Contracts (BIZ-4, seed 002 4.2.13): read the contracts of the customers one may see; add, change, move and delete them. */
    CONTRACT_READ("contract.read"), CONTRACT_WRITE("contract.write"),
    /** SMS (MSG-3): send SMS (desk, ticket, API) and see one's own; the gateway, templates, quotas, after-call switch and whole log. */
    SMS_SEND("sms.send"), SMS_MANAGE("sms.manage"),
    /** MSG-5: see the enterprise's faxes (sent and received) and download their documents; send a fax. */
    FAX_READ("fax.read"), FAX_SEND("fax.send"),
    /** ADM-4: the enterprise's company name and logo. */
    BRANDING_MANAGE("branding.manage"),
    /** OPS-2: export the enterprise's configuration to a backup file and restore one into it. */
    CONFIG_BACKUP("config.backup"),
    ENTERPRISE_MANAGE("enterprise.manage");

    private final String key;

    Permission(String key) {
        this.key = key;
    }

    @JsonValue
    public String key() {
        return key;
    }

    public String group() {
        return key.substring(0, key.indexOf('.'));
    }

    public static Optional<Permission> parse(String key) {
        return Arrays.stream(values()).filter(p -> p.key.equals(key)).findFirst();
    }

    /** Permissions an enterprise role may hold (enterprise.manage belongs to the operator alone). */
    public static Set<Permission> enterpriseAssignable() {
        return EnumSet.complementOf(EnumSet.of(ENTERPRISE_MANAGE));
    }

    /** The built-in roles every enterprise gets, with their fixed permissions. */
    public enum BuiltinRole {
        ADMIN("admin", enterpriseAssignable()),
        SUPERVISOR("supervisor", EnumSet.of(USER_READ, DEPARTMENT_READ, ROLE_READ, EXTENSION_READ, QUEUE_READ,
                AUDIT_READ, TOKEN_WRITE, MONITOR_READ, AGENT_DESK, AGENT_MANAGE, CALL_SUPERVISE, ROUTING_READ, CALL_READ, RECORDING_READ, IVR_READ, CAMPAIGN_MANAGE,
                CUSTOMER_READ, CUSTOMER_WRITE, CUSTOMER_IMPORT, CUSTOMER_EXPORT, ADDRESS_BOOK,
                TICKET_READ, TICKET_WRITE, TICKET_MANAGE, KB_READ, KB_WRITE, KB_REVIEW, ORDER_READ, ORDER_WRITE, PRODUCT_MANAGE, ORDER_APPROVE,
                CONTRACT_READ, CONTRACT_WRITE, SMS_SEND, FAX_READ, FAX_SEND)),
        AGENT("agent", EnumSet.of(AGENT_DESK, TOKEN_WRITE, CUSTOMER_READ, CUSTOMER_WRITE, ADDRESS_BOOK, TICKET_READ, TICKET_WRITE, KB_READ, KB_WRITE,
                ORDER_READ, ORDER_WRITE, CONTRACT_READ, CONTRACT_WRITE, SMS_SEND)),
        OPERATOR("operator", EnumSet.of(ENTERPRISE_MANAGE, AUDIT_READ, TOKEN_WRITE));

        private final String roleName;
        private final Set<Permission> permissions;

        BuiltinRole(String roleName, Set<Permission> permissions) {
            this.roleName = roleName;
            this.permissions = permissions;
        }

        public String roleName() {
            return roleName;
        }

        public Set<Permission> permissions() {
            return EnumSet.copyOf(permissions);
        }
    }
}
