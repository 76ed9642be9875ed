package dev.hotline.crm;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A customer as the API shows it (CRM-1, CRM-3): name, phone numbers, the values of the enterprise's fields by key,
 * owner and sharing.
 */
public record Customer(long id, String name, List<Phone> phones, Map<String, Object> fields, Long ownerId, String ownerName,
                       Sharing sharing, Instant createdAt, Instant updatedAt) {

    /** One number of a customer: as written, its matching form, its extension and a label (mobile, office, ...). */
    public record Phone(String number, String normalized, String extension, String label) {}

    /** What a client sends to create or change a customer; {@code fields} by field key. */
    public record Input(String name, List<PhoneInput> phones, Map<String, Object> fields, String sharing, Long ownerId) {}

    public record PhoneInput(String number, String label) {}

    /** One page of a search. */
    public record Page(long total, int offset, int limit, List<Customer> items) {}
}
