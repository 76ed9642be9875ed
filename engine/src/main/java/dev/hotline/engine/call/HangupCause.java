package dev.hotline.engine.call;

/**
 * Why a channel ended, with its Q.850 cause value and the SIP status used to end an unanswered
 * inbound leg (RFC 3398 §7.2.4.1 / RFC 6432 mapping, simplified).
 */
public enum HangupCause {
    NORMAL_CLEARING(16, 200),
    ORIGINATOR_CANCEL(127, 487),
    USER_BUSY(17, 486),
    NO_USER_RESPONSE(18, 408),
    NO_ANSWER(19, 480),
    SUBSCRIBER_ABSENT(20, 480),
    CALL_REJECTED(21, 603),
    UNALLOCATED_NUMBER(1, 404),
    FORBIDDEN(21, 403),
    INCOMPATIBLE_DESTINATION(88, 488),
    NETWORK_OUT_OF_ORDER(38, 502),
    /**
     * A TLS peer's certificate was refused: not signed by a trusted authority, or not naming the host dialled
     * (RFC 5922 §7.2); nothing was sent to it.
     */
    TLS_CERTIFICATE_REFUSED(38, 502),
    NORMAL_TEMPORARY_FAILURE(41, 503),
    SERVICE_UNAVAILABLE(63, 503),
    MEDIA_TIMEOUT(102, 408),
    SESSION_TIMEOUT(102, 408),
    /** A browser leg whose browser stopped granting consent (RFC 7675: no check nor media for 30 s). */
    CONSENT_EXPIRED(102, 408),
    TRANSFERRED(16, 200),
    INTERWORKING(127, 500);

    private final int q850;
    private final int sipStatus;

    HangupCause(int q850, int sipStatus) {
        this.q850 = q850;
        this.sipStatus = sipStatus;
    }

    public int q850() {
        return q850;
    }

    /** SIP final status to send when this cause ends a leg before it was answered. */
    public int sipStatus() {
        return sipStatus < 300 ? 480 : sipStatus;
    }

    /** The cause for a final failure response received on an outbound leg. */
    public static HangupCause fromSipStatus(int status) {
        return switch (status) {
            case 404, 484, 485, 604 -> UNALLOCATED_NUMBER;
            case 486, 600 -> USER_BUSY;
            case 408 -> NO_USER_RESPONSE;
            case 480 -> NO_ANSWER;
            case 487 -> ORIGINATOR_CANCEL;
            case 403, 401, 407 -> FORBIDDEN;
            case 603 -> CALL_REJECTED;
            case 488, 606 -> INCOMPATIBLE_DESTINATION;
            case 502 -> NETWORK_OUT_OF_ORDER;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? NORMAL_TEMPORARY_FAILURE : INTERWORKING;
        };
    }
}
