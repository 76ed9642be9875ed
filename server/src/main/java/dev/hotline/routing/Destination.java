package dev.hotline.routing;

import java.util.Optional;

/**
 * Where a call can be sent: what a number (DID) points at, a flow's transfer target, a queue's
 * overflow or a ring group's fail destination. Stored as a type and a value; {@link #parse} reads
 * that pair once, and routing switches on the variant.
 */
public sealed interface Destination {

    /** An extension of the enterprise. */
    record Extension(String number) implements Destination {}

    /** An ACD queue, by name. */
    record Queue(String name) implements Destination {}

    /** A published flow, by name. */
    record Flow(String name) implements Destination {}

    /** A ring group, by name. */
    record RingGroup(String name) implements Destination {}

    /** A conference room, by number. */
    record Room(String number) implements Destination {}

    /** A voicemail box: {@code boxType} "extension" or "queue". */
    record Voicemail(String boxType, String box) implements Destination {}

    /** An outside number, through the outbound routes. */
    record Outside(String number) implements Destination {}

    /** PBX-6: a DISA entry, by name: PIN, internal dial tone, a call as the PIN's extension. */
    record Disa(String name) implements Destination {}

    /** MSG-5: the number is a fax line: the call is answered by a T.38 fax terminal and the document stored. */
    record Fax() implements Destination {}

    /** The caller is hung up on. */
    record Hangup() implements Destination {}

    /**
     * The destination stored as {@code type} and {@code value}: "extension", "queue", "flow",
     * "ringgroup", "conference", "disa", "fax", "voicemail" (value "queue:support", "extension:1001" or a bare
     * extension number), "external" (a flow's outside number) or "hangup"; empty for any other type.
     */
    static Optional<Destination> parse(String type, String value) {
        if (type == null) return Optional.empty();
        return Optional.ofNullable(switch (type) {
            case "extension" -> new Extension(value);
            case "queue" -> new Queue(value);
            case "flow" -> new Flow(value);
            case "ringgroup" -> new RingGroup(value);
            case "conference" -> new Room(value);
            case "voicemail" -> voicemail(value);
            case "external" -> new Outside(value);
            case "disa" -> new Disa(value);
            case "fax" -> new Fax();
            case "hangup" -> new Hangup();
            default -> null;
        });
    }

    private static Voicemail voicemail(String value) {
        String v = value == null ? "" : value;
        if (v.startsWith("queue:")) return new Voicemail("queue", v.substring(6));
        return new Voicemail("extension", v.startsWith("extension:") ? v.substring(10) : v);
    }
}
