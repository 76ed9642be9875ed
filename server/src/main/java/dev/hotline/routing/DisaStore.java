package dev.hotline.routing;

import dev.hotline.auth.Passwords;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.store.EnterpriseSettings;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;

/**
 * PBX-6 DISA: the entries (table {@code disa}) and the extensions' DISA PINs (table {@code disa_pin}, migration V44).
 * A PIN is stored only as SHA-256 of the enterprise's DISA salt and the PIN: the PIN alone says whose it is, so the hash
 * must be the same for the same PIN within an enterprise (one salt per enterprise, PINs unique there). A 4..12 digit PIN
 * hashed this way resists a glance at the database, not an offline search of all PINs; the three-try limit per call and
 * the event log are what guard the dial-in.
 */
public final class DisaStore {
    private DisaStore() {}

    static final String SALT = "disa.salt";
    static final String PIN_PATTERN = "[0-9]{4,12}";

    /**
     * A DISA entry: reached from a number (DID) with destination type "disa" and this name. {@code language} (zh / en) is
     * that of its prompts; the welcome played before the PIN is asked for is the uploaded prompt {@code welcomePrompt} or
     * the text {@code welcomeText} spoken by TTS in that language (at most one of them; neither: no welcome).
     */
    public record Entry(long id, String name, boolean enabled, int digitTimeoutSeconds, String language, String welcomePrompt,
                        String welcomeText) {}

    /** The languages a DISA entry's prompts can be in (the shipped prompts' and espeak-ng's voices). */
    static final Set<String> LANGUAGES = Set.of("zh", "en");
    static final int MAX_WELCOME_TEXT = 500;

    /** An extension that has a DISA PIN (never the PIN). */
    public record PinHolder(long extensionId, String number, Instant setAt) {}

    /** What the router reads on a DISA call: the entries by name, whose PIN is which hash, the salt. */
    record Config(Map<String, Entry> entries, Map<String, String> extensionByHash, String salt) {
        static final Config NONE = new Config(Map.of(), Map.of(), "");

        /** The extension whose DISA PIN {@code pin} is, if any. */
        Optional<String> extensionOf(String pin) {
            if (salt.isEmpty() || pin == null || !pin.matches(PIN_PATTERN)) return Optional.empty();
            return Optional.ofNullable(extensionByHash.get(hash(salt, pin)));
        }
    }

    static Config config(Handle h, long enterpriseId) {
        Map<String, Entry> entries = new HashMap<>();
        list(h, enterpriseId).forEach(e -> entries.put(e.name(), e));
        Map<String, String> pins = new HashMap<>();
        h.createQuery("SELECT p.pin_hash, x.number FROM disa_pin p JOIN extension x ON x.id = p.extension_id WHERE p.enterprise_id = :e")
                .bind("e", enterpriseId).map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2))).forEach(en -> pins.put(en.getKey(), en.getValue()));
        return new Config(Map.copyOf(entries), Map.copyOf(pins), EnterpriseSettings.get(h, enterpriseId, SALT).orElse(""));
    }

    static String hash(String salt, String pin) {
        return Passwords.sha256(salt + ":" + pin);
    }

    public static List<Entry> list(Handle h, long enterpriseId) {
        return h.createQuery("""
                SELECT id, name, enabled, digit_timeout_seconds, language, welcome_prompt, welcome_text FROM disa
                WHERE enterprise_id = :e ORDER BY name""")
                .bind("e", enterpriseId).map((rs, c) -> new Entry(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getInt(4),
                        rs.getString(5), rs.getString(6), rs.getString(7))).list();
    }

    public static Optional<Entry> byId(Handle h, long enterpriseId, long id) {
        return list(h, enterpriseId).stream().filter(e -> e.id() == id).findFirst();
    }

    public static Optional<Entry> byName(Handle h, long enterpriseId, String name) {
        return list(h, enterpriseId).stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /**
     * Creates ({@code id} null) or changes an entry; 400 naming the field, 409 for a name taken, 404 for another's.
     * {@code uploaded}: whether the enterprise has an uploaded prompt of a name; {@code speaks}: whether TTS can run (a
     * welcome text is refused when it cannot, rather than failing mid-call).
     */
    public static Entry save(Handle h, long enterpriseId, Long id, DisaRoutes.EntryInput in, Predicate<String> uploaded, boolean speaks) {
        String n = Validator.clean(in.name());
        int timeout = in.digitTimeoutSeconds() == null ? 4 : in.digitTimeoutSeconds();
        String language = in.language() == null ? "zh" : in.language().strip();
        String prompt = Validator.clean(in.welcomePrompt());
        String text = Validator.clean(in.welcomeText());
        var v = Validator.of().required("name", n).maxLength("name", n, 64)
                .matches("name", n, "[\\p{L}\\p{N}_. \\-]+", "letters, digits, space, _ . -")
                .check(timeout >= 2 && timeout <= 15, "digitTimeoutSeconds", "2..15")
                .check(LANGUAGES.contains(language), "language", "zh or en")
                .maxLength("welcomeText", text, MAX_WELCOME_TEXT)
                .check(prompt == null || text == null, "welcomeText", "an uploaded prompt or a text, not both");
        if (prompt != null) v.check(uploaded.test(prompt), "welcomePrompt", "no such uploaded prompt");
        if (text != null && prompt == null) v.check(speaks, "welcomeText", "text to speech (espeak-ng) is not installed on the server");
        v.throwIfInvalid();
        if (id != null && byId(h, enterpriseId, id).isEmpty()) throw DomainException.notFound("DISA entry");
        byName(h, enterpriseId, n).filter(e -> !Long.valueOf(e.id()).equals(id)).ifPresent(e -> {
            throw DomainException.conflict("DISA entry name already exists", "name", "already exists");
        });
        boolean on = in.enabled() == null || in.enabled();
        if (id == null) {
            long newId = h.createUpdate("""
                    INSERT INTO disa (enterprise_id, name, enabled, digit_timeout_seconds, language, welcome_prompt, welcome_text)
                    VALUES (:e, :n, :on, :t, :l, :wp, :wt)""")
                    .bind("e", enterpriseId).bind("n", n).bind("on", on).bind("t", timeout).bind("l", language).bind("wp", prompt)
                    .bind("wt", text).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            return byId(h, enterpriseId, newId).orElseThrow();
        }
        h.createUpdate("""
                UPDATE disa SET name = :n, enabled = :on, digit_timeout_seconds = :t, language = :l, welcome_prompt = :wp,
                welcome_text = :wt WHERE id = :id AND enterprise_id = :e""")
                .bind("e", enterpriseId).bind("id", id).bind("n", n).bind("on", on).bind("t", timeout).bind("l", language).bind("wp", prompt)
                .bind("wt", text).execute();
        return byId(h, enterpriseId, id).orElseThrow();
    }

    /** Deletes an entry no number points to (409 otherwise). */
    public static Entry delete(Handle h, long enterpriseId, long id) {
        Entry e = byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("DISA entry"));
        if (RoutingStore.dids(h, enterpriseId).stream().anyMatch(d -> d.destinationType().equals("disa") && d.destination().equals(e.name()))) {
            throw DomainException.conflict("a number still points to this DISA entry");
        }
        h.createUpdate("DELETE FROM disa WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
        return e;
    }

    public static List<PinHolder> pinHolders(Handle h, long enterpriseId) {
        return h.createQuery("""
                SELECT p.extension_id, x.number, p.set_at FROM disa_pin p JOIN extension x ON x.id = p.extension_id
                WHERE p.enterprise_id = :e ORDER BY x.number""")
                .bind("e", enterpriseId).map((rs, c) -> new PinHolder(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant())).list();
    }

    /** The number of extension {@code extensionId} of the enterprise (404 for another's). */
    static String extensionNumber(Handle h, long enterpriseId, long extensionId) {
        return h.createQuery("SELECT number FROM extension WHERE id = :id AND enterprise_id = :e").bind("id", extensionId).bind("e", enterpriseId)
                .mapTo(String.class).findOne().orElseThrow(() -> DomainException.notFound("extension"));
    }

    /** Sets the DISA PIN of an extension (4..12 digits, unique in the enterprise: 409 when another extension has it). */
    public static PinHolder setPin(Handle h, long enterpriseId, long extensionId, String pin, Instant now) {
        String number = extensionNumber(h, enterpriseId, extensionId);
        String p = pin == null ? null : pin.strip();
        Validator.of().required("pin", p).matches("pin", p, PIN_PATTERN, "4..12 digits").throwIfInvalid();
        String salt = EnterpriseSettings.get(h, enterpriseId, SALT).orElse(null);
        if (salt == null) {
            salt = Passwords.randomToken(16);
            EnterpriseSettings.put(h, enterpriseId, SALT, salt);
        }
        String hash = hash(salt, p);
        boolean taken = h.createQuery("SELECT COUNT(*) FROM disa_pin WHERE enterprise_id = :e AND pin_hash = :h AND extension_id <> :x")
                .bind("e", enterpriseId).bind("h", hash).bind("x", extensionId).mapTo(Integer.class).one() > 0;
        if (taken) throw DomainException.conflict("another extension has this DISA PIN", "pin", "in use by another extension");
        h.createUpdate("DELETE FROM disa_pin WHERE extension_id = :x AND enterprise_id = :e").bind("x", extensionId).bind("e", enterpriseId).execute();
        h.createUpdate("INSERT INTO disa_pin (extension_id, enterprise_id, pin_hash, set_at) VALUES (:x, :e, :h, :at)")
                .bind("x", extensionId).bind("e", enterpriseId).bind("h", hash).bind("at", now).execute();
        return new PinHolder(extensionId, number, now);
    }

    /** Removes the DISA PIN of an extension; its number. */
    public static String clearPin(Handle h, long enterpriseId, long extensionId) {
        String number = extensionNumber(h, enterpriseId, extensionId);
        h.createUpdate("DELETE FROM disa_pin WHERE extension_id = :x AND enterprise_id = :e").bind("x", extensionId).bind("e", enterpriseId).execute();
        return number;
    }
}
