package dev.hotline.routing;

import java.util.List;

/**
 * PBX-3: a ring group of an enterprise. Callers reach it from a number (DID), a flow's transfer or an
 * extension dialling its {@code number}; its {@code members} (extension numbers, in order) ring all at
 * once ({@code ring_all}: the first to answer takes the call) or one after the other ({@code linear},
 * {@code ringSeconds} each); when nobody answers the call goes to {@code fail}. {@code page} (PBX-8 paging): every
 * registered member's phone is called with auto-answer headers and joins, muted, a room where it hears the caller.
 *
 * @param number      internal number extensions dial, or null
 * @param ringSeconds ring_all: how long the group rings; linear: how long each member rings
 */
public record RingGroup(long id, String name, String number, String strategy, int ringSeconds, List<String> members, Fail fail) {

    public static final String RING_ALL = "ring_all";
    public static final String LINEAR = "linear";
    public static final String PAGE = "page";
    public static final List<String> STRATEGIES = List.of(RING_ALL, LINEAR, PAGE);
    public static final List<String> FAIL_TYPES = List.of("hangup", "voicemail", "extension", "queue");

    /**
     * Where an unanswered call goes: {@code hangup}; {@code voicemail} of a box ("extension:1001",
     * "queue:support"); an {@code extension}; a {@code queue}.
     */
    public record Fail(String type, String value) {
        public static final Fail HANGUP = new Fail("hangup", null);
    }

    public RingGroup {
        members = List.copyOf(members);
        if (fail == null) fail = Fail.HANGUP;
    }

    public boolean ringAll() {
        return !LINEAR.equals(strategy);
    }

    /** PBX-8 paging: the members only hear the caller. */
    public boolean page() {
        return PAGE.equals(strategy);
    }
}
