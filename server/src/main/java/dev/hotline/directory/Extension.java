package dev.hotline.directory;

/** A SIP extension (1–6 digits) of one enterprise, optionally bound to a user. The SIP password is never shown by the API. */
public record Extension(long id, String number, Long userId, String userName, boolean enabled, boolean outboundAllowed) {}
