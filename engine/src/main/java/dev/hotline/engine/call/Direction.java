package dev.hotline.engine.call;

/** Whether the engine received the call on this leg or placed it. */
public enum Direction { INBOUND, OUTBOUND }
