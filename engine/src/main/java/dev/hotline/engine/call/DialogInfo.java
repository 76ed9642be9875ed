package dev.hotline.engine.call;

import java.util.Locale;

/**
 * PBX-8: one dialog of a watched resource (an extension, a park slot) as a busy lamp shows it: the {@code <dialog>}
 * element of RFC 4235. The server states them; the engine renders them to its subscribers.
 *
 * @param id         the dialog's identifier, stable for the dialog's life (e.g. the channel id)
 * @param state      where the dialog is (RFC 4235 §3.7.1)
 * @param role       whether the resource called (initiator) or was called (recipient)
 * @param remoteUser the other party's number or name as known, may be null
 */
public record DialogInfo(String id, State state, Role role, String remoteUser) {
    public DialogInfo {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id is required");
        }
        if (state == null || role == null) {
            throw new IllegalArgumentException("state and role are required");
        }
    }

    /** RFC 4235 §3.7.1 dialog states (the ones a B2BUA sees). */
    public enum State {
        TRYING, EARLY, CONFIRMED, TERMINATED;

        /** The state's name in dialog-info XML. */
        public String xml() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A lamp is lit (busy or ringing) while any dialog is not terminated. */
        public boolean live() {
            return this != TERMINATED;
        }
    }

    /** RFC 4235 §4.1.2 direction attribute. */
    public enum Role {
        INITIATOR, RECIPIENT;

        public String xml() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
