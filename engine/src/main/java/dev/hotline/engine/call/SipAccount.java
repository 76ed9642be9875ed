package dev.hotline.engine.call;

/** Credentials of one SIP user (an extension). {@code accountKey} is the server's own key for it. */
public record SipAccount(String accountKey, String password) {
    public SipAccount {
        if (accountKey == null || password == null) {
            throw new IllegalArgumentException("accountKey and password are required");
        }
    }

    @Override
    public String toString() {
        return "SipAccount[" + accountKey + "]";
    }
}
