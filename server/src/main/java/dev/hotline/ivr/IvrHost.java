package dev.hotline.ivr;

import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.Recording;
import java.nio.file.Path;
import java.util.Map;

/** What an IVR session asks of routing (the call's record, transfers, published flows, voicemail files). */
public interface IvrHost {
    void logNode(String callId, String channelId, String flow, String node, String type);

    void logKey(String callId, String channelId, String flow, String node, String key);

    /** Hands the call to routing: "extension", "conference" or "external"; false when that is impossible now. */
    boolean transfer(String callId, Channel channel, String target, String value);

    /** As {@link #transfer(String, Channel, String, String)}, with the caller's priority in a queue (ACD-3). */
    default boolean transfer(String callId, Channel channel, String target, String value, int priority) {
        return transfer(callId, channel, target, value);
    }

    /**
     * IVR-4: the flow reached a {@code return} node: the caller goes back to the agent who sent them into the flow, with
     * {@code result} and the flow's {@code variables}. False when no agent sent this caller (the flow then hangs up).
     */
    default boolean returnToAgent(String callId, Channel channel, String result, Map<String, String> variables) {
        return false;
    }

    /** The published graph of a flow of the enterprise, or null. */
    Flow.Graph publishedFlow(long enterpriseId, String name);

    void ended(String channelId);

    /** Where a voicemail of the call goes on disk. */
    Path voicemailFile(String callId, String boxType, String box);

    /**
     * Keeps a voicemail: logged at once in the call (so that its record says voicemail), with the recording's length
     * when the engine has closed it, else the wall-clock time the caller {@code spoken} after the tone.
     */
    void saveVoicemail(String callId, String channelId, String boxType, String box, String caller, String callback,
                       Recording recording, java.time.Duration spoken);

    /** Drops a recording that is no message (the caller hung up at the tone): its file goes once the engine has closed it. */
    void discardVoicemail(Recording recording);
}
