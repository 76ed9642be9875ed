package dev.hotline.backup;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OPS-2: every kind of configuration an enterprise has, one table each, in the order a restore inserts them (a kind
 * comes after every kind it refers to). What is not here is not configuration: call records, events, recordings,
 * voicemail messages, reports, customers, tickets, campaigns and the like belong to the database backup
 * (docs/operations.md); {@link #NOT_CONFIGURATION} names them so that a new table must be placed in one list or the
 * other ({@code ConfigBackupTest} fails otherwise).
 */
final class BackupKinds {
    private BackupKinds() {}

    /** How a kind's rows hang on their enterprise. */
    enum Owner {
        /** The table has an {@code enterprise_id} column. */
        ENTERPRISE,
        /** A child table without one: its rows are those whose {@code parentColumn} names a row of the enterprise's parent kind. */
        PARENT
    }

    /**
     * One kind of configuration.
     *
     * @param table        the table (also the file name in the backup, {@code <table>.json})
     * @param owner        how its rows belong to the enterprise
     * @param parentColumn for {@link Owner#PARENT}: the column naming the parent row
     * @param identity     whether rows have a generated {@code id} (a new one on restore; references to it are remapped)
     * @param refs         columns referring to another kind's {@code id}, by referred table (remapped on restore)
     * @param secrets      columns holding a secret in clear (encrypted under the passphrase in the file)
     * @param sealed       columns holding a secret sealed with one of this server's keys, by the key's name ({@link #MAIL_KEY},
     *                     {@link #SMS_KEY}, {@link #ARCHIVE_KEY}, {@link #IVR_DB_KEY}): opened, then encrypted under the passphrase
     */
    record Kind(String table, Owner owner, String parentColumn, boolean identity, Map<String, String> refs, Set<String> secrets,
                Map<String, String> sealed) {
        String parentTable() {
            return owner == Owner.PARENT ? refs.get(parentColumn) : null;
        }
    }

    /** The server's secret boxes (one key file each under {@code secrets/}) that seal columns of configuration tables. */
    static final String MAIL_KEY = "mail", SMS_KEY = "sms", ARCHIVE_KEY = "archive", IVR_DB_KEY = "ivr-db";

    private static Kind own(String table, boolean identity, Map<String, String> refs) {
        return new Kind(table, Owner.ENTERPRISE, null, identity, refs, Set.of(), Map.of());
    }

    private static Kind child(String table, String parentColumn, Map<String, String> refs) {
        return new Kind(table, Owner.PARENT, parentColumn, false, refs, Set.of(), Map.of());
    }

    static final List<Kind> ALL = List.of(
            own("enterprise_setting", false, Map.of()),
            own("department", true, Map.of("parent_id", "department")),
            own("app_role", true, Map.of()),
            child("role_permission", "role_id", Map.of("role_id", "app_role")),
            own("app_user", true, Map.of("role_id", "app_role", "department_id", "department")),
            new Kind("extension", Owner.ENTERPRISE, null, true, Map.of("user_id", "app_user"), Set.of("sip_password"), Map.of()),
            own("extension_feature", false, Map.of("extension_id", "extension")),
            own("acd_queue", true, Map.of()),
            own("skill", true, Map.of()),
            child("agent_skill", "user_id", Map.of("user_id", "app_user", "skill_id", "skill")),
            child("queue_member", "queue_id", Map.of("queue_id", "acd_queue", "user_id", "app_user")),
            own("reason_code", true, Map.of()),
            new Kind("trunk", Owner.ENTERPRISE, null, true, Map.of(), Set.of("secret"), Map.of()),
            own("did", true, Map.of("trunk_id", "trunk")),
            own("outbound_route", true, Map.of("trunk_id", "trunk")),
            own("rate_table", true, Map.of("trunk_id", "trunk")),
            child("rate", "rate_table_id", Map.of("rate_table_id", "rate_table")),
            own("blacklist", true, Map.of()),
            own("callback_entry", true, Map.of()),
            own("dnc_number", true, Map.of()),
            own("conference_room", true, Map.of()),
            own("ring_group", true, Map.of()),
            child("ring_group_member", "ring_group_id", Map.of("ring_group_id", "ring_group")),
            own("ivr_flow", true, Map.of()),
            child("ivr_flow_version", "flow_id", Map.of("flow_id", "ivr_flow")),
            own("voicemail_box", false, Map.of()),
            own("customer_field", true, Map.of()),
            own("crm_settings", false, Map.of()),
            own("crm_queue_pop", false, Map.of()),
            own("business_report_settings", false, Map.of()),
            own("number_mask_policy", false, Map.of()),
            own("number_mask_queue", false, Map.of()),
            own("ticket_settings", false, Map.of()),
            own("ticket_counter", false, Map.of()),
            own("ticket_type", true, Map.of()),
            own("product", true, Map.of()),
            own("order_counter", false, Map.of()),
            new Kind("mail_settings", Owner.ENTERPRISE, null, false, Map.of(), Set.of(), Map.of("password_enc", MAIL_KEY)),
            own("report_schedule", true, Map.of("agent_id", "app_user", "department_id", "department")), // MSG-2 scheduled reports
            new Kind("webhook", Owner.ENTERPRISE, null, true, Map.of(), Set.of("secret"), Map.of()),
            new Kind("web_callback_site", Owner.ENTERPRISE, null, false, Map.of(), Set.of("secret"), Map.of()),
            own("widget", true, Map.of("queue_id", "acd_queue")),
            own("disa", true, Map.of()),
            own("disa_pin", false, Map.of("extension_id", "extension")), // hashes salted by an enterprise_setting, restored with it
            own("enterprise_branding", false, Map.of()), // the logo file is under FILE_FOLDERS
            new Kind("recording_archive_settings", Owner.ENTERPRISE, null, false, Map.of(), Set.of(),
                    Map.of("password_enc", ARCHIVE_KEY, "private_key_enc", ARCHIVE_KEY)),
            new Kind("sms_settings", Owner.ENTERPRISE, null, false, Map.of(), Set.of(), Map.of("smpp_password_enc", SMS_KEY)),
            own("sms_template", true, Map.of()),
            own("sms_after_call", false, Map.of("queue_id", "acd_queue", "template_id", "sms_template")),
            new Kind("ivr_data_source", Owner.ENTERPRISE, null, true, Map.of(), Set.of(), Map.of("password_enc", IVR_DB_KEY)),
            own("ivr_number_list", true, Map.of()),
            child("ivr_number_list_entry", "list_id", Map.of("list_id", "ivr_number_list")));

    /**
     * Configuration tables NOT in a backup yet (a known gap, to be named in docs/features.md OPS-2); empty now. A feature
     * whose table cannot be backed up at once lists it here so that {@code ConfigBackupTest} still places every table.
     */
    static final Set<String> NOT_BACKED_UP_YET = Set.of();

    /** Tables that are not configuration: what happened (calls, events, reports), people's work (customers, tickets) and sessions. */
    static final Set<String> NOT_CONFIGURATION = Set.of(
            "sms_message", "sms_part", "recording_comment",
            "enterprise", "web_session", "api_token", "audit_log", "call_event", "call_record", "recording", "voicemail",
            "agent_event", "agent_state_now", "agent_time_stat", "agent_time_day", "agent_time_hour", "agent_time_zone",
            "pending_callback", "queue_callback", "direct_line_memory", "queue_visit", "queue_offer", "queue_stat", "agent_stat", "call_stat",
            "queue_day", "agent_day", "call_day", "queue_hour", "agent_hour", "call_hour", "call_charge", "charge_day", "charge_month", "charge_day_zone", "survey_result",
            "survey_queue_stat", "survey_queue_day", "survey_agent_stat", "survey_agent_day", "survey_rollup_zone",
            "number_stat", "number_day", "tolerance_stat", "tolerance_day", "outbound_stat", "outbound_day",
            "customer", "customer_phone", "customer_value", "customer_import", "customer_import_error", "personal_contact",
            "webhook_delivery", "campaign", "campaign_contact", "ticket", "ticket_event", "notification", "memo",
            "kb_category", "kb_article", "kb_token", "kb_question", "mail_outbox", "report_send", "event_stream", "web_callback",
            "customer_order", "order_line", "order_event", "sip_ban", "flyway_schema_history",
            "stock_movement", "order_change", "contract", "contract_order", "fax",
            // OPS-3: which node runs now and where each enterprise is placed: the running cluster's state, not configuration.
            "cluster_node", "enterprise_placement", "cluster_drain");

    /** The folders under the data folder holding an enterprise's files (audio; the branding logo), each in a sub-folder named by the enterprise id. */
    static final List<String> AUDIO_FOLDERS = List.of("prompts", "greetings", "moh", "branding");
}
