package dev.hotline.ticket;

import java.util.List;

/** A business type of ticket (consultation, complaint, repair, order or custom) with its SLA and its own form. */
public record TicketType(long id, String code, String name, int slaMinutes, List<FormField> fields, boolean enabled) {}
