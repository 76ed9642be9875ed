package dev.hotline.engine.call;

/** Server-provided: receives new calls and every call event. Called on the call's serial executor. */
public interface CallHandler {
    void onIncomingCall(CallEvent.IncomingCall call);

    default void onEvent(CallEvent event) {
    }
}
