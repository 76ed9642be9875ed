package dev.hotline.crm;

import dev.hotline.directory.User;
import dev.hotline.directory.UserStore;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Address books (CRM-6): each user's personal contacts, which no one else sees, and the staff directory of the
 * enterprise (read-only: the users with their extension, department and job number, to call a colleague).
 */
public final class AddressBook {
    private final Clock clock;

    public AddressBook(Clock clock) {
        this.clock = clock;
    }

    public record Contact(long id, String name, String number, String normalized, String company, String note, Instant createdAt) {}

    public record ContactInput(String name, String number, String company, String note) {}

    /** One colleague as the staff directory shows them. */
    public record Staff(long userId, String username, String displayName, String extension, String jobNumber, Long departmentId,
                        String departmentName, String email) {}

    private static final String SELECT = "SELECT id, name, number, normalized, company, note, created_at FROM personal_contact"
            + " WHERE enterprise_id = :e AND user_id = :u";

    private static Contact map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Contact(rs.getLong("id"), rs.getString("name"), rs.getString("number"), rs.getString("normalized"),
                rs.getString("company"), rs.getString("note"), rs.getTimestamp("created_at").toInstant());
    }

    public List<Contact> contacts(Handle h, long enterpriseId, long userId, String text) {
        String q = Validator.clean(text);
        var query = h.createQuery(SELECT + (q == null ? "" : " AND (LOWER(name) LIKE :q OR LOWER(COALESCE(company, '')) LIKE :q OR number LIKE :q OR normalized LIKE :q)")
                + " ORDER BY name, id").bind("e", enterpriseId).bind("u", userId);
        if (q != null) query.bind("q", "%" + q.toLowerCase() + "%");
        return query.map((rs, ctx) -> map(rs)).list();
    }

    public Contact contact(Handle h, long enterpriseId, long userId, long id) {
        return h.createQuery(SELECT + " AND id = :id").bind("e", enterpriseId).bind("u", userId).bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne().orElseThrow(() -> DomainException.notFound("contact"));
    }

    public Contact save(Handle h, long enterpriseId, long userId, Long id, ContactInput in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        if (id != null) contact(h, enterpriseId, userId, id);
        String name = Validator.clean(in.name());
        String number = Validator.clean(in.number());
        String company = Validator.clean(in.company());
        String note = Validator.clean(in.note());
        String normalized = PhoneNumbers.matchingForm(number);
        Validator.of().required("name", name).maxLength("name", name, 128).required("number", number).maxLength("number", number, 64)
                .check(number == null || normalized != null, "number", "not a phone number")
                .maxLength("company", company, 128).maxLength("note", note, 500).throwIfInvalid();
        if (id == null) {
            id = h.createUpdate("""
                    INSERT INTO personal_contact (enterprise_id, user_id, name, number, normalized, company, note, created_at)
                    VALUES (:e, :u, :n, :num, :norm, :c, :note, :t)""")
                    .bind("e", enterpriseId).bind("u", userId).bind("n", name).bind("num", number).bind("norm", normalized)
                    .bind("c", company).bind("note", note).bind("t", clock.instant())
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        } else {
            h.createUpdate("""
                    UPDATE personal_contact SET name = :n, number = :num, normalized = :norm, company = :c, note = :note
                    WHERE id = :id AND enterprise_id = :e AND user_id = :u""")
                    .bind("e", enterpriseId).bind("u", userId).bind("id", id).bind("n", name).bind("num", number).bind("norm", normalized)
                    .bind("c", company).bind("note", note).execute();
        }
        return contact(h, enterpriseId, userId, id);
    }

    public String delete(Handle h, long enterpriseId, long userId, long id) {
        Contact c = contact(h, enterpriseId, userId, id);
        h.createUpdate("DELETE FROM personal_contact WHERE id = :id AND enterprise_id = :e AND user_id = :u")
                .bind("id", id).bind("e", enterpriseId).bind("u", userId).execute();
        return c.name();
    }

    /** The enabled users of the enterprise, filtered by name, username, extension, job number or department. */
    public List<Staff> staff(Handle h, long enterpriseId, String text, Long departmentId) {
        String q = Validator.clean(text);
        return UserStore.list(h, enterpriseId, new UserStore.Query(null, departmentId, null)).stream()
                .filter(User::enabled)
                .filter(u -> q == null || contains(u.displayName(), q) || contains(u.username(), q) || contains(u.extension(), q)
                        || contains(u.jobNumber(), q) || contains(u.departmentName(), q))
                .map(u -> new Staff(u.id(), u.username(), u.displayName(), u.extension(), u.jobNumber(), u.departmentId(), u.departmentName(), u.email()))
                .toList();
    }

    private static boolean contains(String s, String q) {
        return s != null && s.toLowerCase().contains(q.toLowerCase());
    }
}
