package dev.hotline.engine.call;

import java.util.Optional;

/** Server-provided: the engine asks it for credentials. The domain is the digest realm / SIP domain. */
@FunctionalInterface
public interface SipAccountDirectory {
    Optional<SipAccount> lookup(String domain, String user);
}
