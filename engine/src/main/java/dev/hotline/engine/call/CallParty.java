package dev.hotline.engine.call;

/** One end of a call as the server sees it: the user part, the domain and the display name (may be empty). */
public record CallParty(String user, String domain, String displayName) {
    public CallParty {
        user = user == null ? "" : user;
        domain = domain == null ? "" : domain;
        displayName = displayName == null ? "" : displayName;
    }
}
