package dev.hotline.routing;

/**
 * PBX-3 settings of one extension: where its calls are forwarded (an extension of the enterprise or an outside number;
 * null: not forwarded), do-not-disturb, call waiting and its pickup group.
 *
 * @param forwardAlways        every call goes there at once
 * @param forwardBusy          a call finding the extension busy (on a call without call waiting, or the phone answering 486)
 * @param forwardNoAnswer      a call not answered within {@code noAnswerSeconds}
 * @param forwardUnregistered  a call while no phone of the extension is registered
 * @param noAnswerSeconds      how long the phone rings (3..120), forwarded or not
 * @param dnd                  do-not-disturb: callers hear busy (486), unless forwarded on busy
 * @param callWaiting          a second call rings a busy extension (with {@code Alert-Info: <urn:alert:service:call-waiting>})
 *                             instead of finding it busy
 * @param pickupGroup          extensions of one group pick up each other's ringing calls with {@code *8} (null: none)
 */
public record ExtensionFeatures(String number, String forwardAlways, String forwardBusy, String forwardNoAnswer,
                                String forwardUnregistered, int noAnswerSeconds, boolean dnd, boolean callWaiting, String pickupGroup) {

    public static final int DEFAULT_NO_ANSWER_SECONDS = 20;

    /** An extension nobody configured: nothing forwarded, no DND, call waiting on. */
    public static ExtensionFeatures defaults(String number) {
        return new ExtensionFeatures(number, null, null, null, null, DEFAULT_NO_ANSWER_SECONDS, false, true, null);
    }

    /**
     * What is wrong with forward target {@code target} of extension {@code own} (null: fine): an extension's number or an
     * outside number, digits with an optional leading +, at most 32, not the extension itself.
     */
    public static String targetProblem(String target, String own) {
        if (target == null || !target.matches("\\+?[0-9]{1,31}")) return "an extension or an outside number (digits, optional leading +)";
        if (target.equals(own)) return "not the extension itself";
        return null;
    }

    /** The forward target of {@code kind} (always, busy, noanswer, unregistered). */
    public String forward(Forward kind) {
        return switch (kind) {
            case ALWAYS -> forwardAlways;
            case BUSY -> forwardBusy;
            case NO_ANSWER -> forwardNoAnswer;
            case UNREGISTERED -> forwardUnregistered;
        };
    }

    /** The same settings with forward {@code kind} set to {@code target} (null: off). */
    public ExtensionFeatures withForward(Forward kind, String target) {
        return new ExtensionFeatures(number, kind == Forward.ALWAYS ? target : forwardAlways, kind == Forward.BUSY ? target : forwardBusy,
                kind == Forward.NO_ANSWER ? target : forwardNoAnswer, kind == Forward.UNREGISTERED ? target : forwardUnregistered,
                noAnswerSeconds, dnd, callWaiting, pickupGroup);
    }

    public ExtensionFeatures withDnd(boolean on) {
        return new ExtensionFeatures(number, forwardAlways, forwardBusy, forwardNoAnswer, forwardUnregistered, noAnswerSeconds, on,
                callWaiting, pickupGroup);
    }

    public ExtensionFeatures withCallWaiting(boolean on) {
        return new ExtensionFeatures(number, forwardAlways, forwardBusy, forwardNoAnswer, forwardUnregistered, noAnswerSeconds, dnd, on,
                pickupGroup);
    }

    /** The four kinds of call forwarding, with the name the event log and the feature codes use. */
    public enum Forward {
        ALWAYS("always"), BUSY("busy"), NO_ANSWER("noanswer"), UNREGISTERED("unregistered");

        private final String label;

        Forward(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
