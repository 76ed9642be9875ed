package dev.hotline.acd;

/**
 * Agent feature codes dialled from a SIP phone (AGENT-1, AGENT-3): {@code *21} log in with this
 * phone, {@code *22} log out, {@code *23} ready, {@code *24} not ready (break).
 */
public final class FeatureCodes {
    public static final String LOGIN = "*21";
    public static final String LOGOUT = "*22";
    public static final String READY = "*23";
    public static final String NOT_READY = "*24";

    private FeatureCodes() {}

    public static boolean matches(String dialled) {
        return LOGIN.equals(dialled) || LOGOUT.equals(dialled) || READY.equals(dialled) || NOT_READY.equals(dialled);
    }

    /** Applies the code for the user owning the calling extension; throws when the ACD refuses the move. */
    public static AgentView apply(Acd acd, long enterpriseId, long userId, String code) {
        return switch (code) {
            case LOGIN -> acd.login(enterpriseId, userId, new Device(Device.Kind.SIP, null), "agent");
            case LOGOUT -> acd.logout(enterpriseId, userId, "agent");
            case READY -> acd.setState(enterpriseId, userId, AgentState.READY, null, "agent");
            case NOT_READY -> acd.setState(enterpriseId, userId, AgentState.NOT_READY, "break", "agent");
            default -> throw new IllegalArgumentException("not a feature code: " + code);
        };
    }
}
