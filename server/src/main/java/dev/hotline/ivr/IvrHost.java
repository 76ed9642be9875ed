package dev.hotline.ivr;

import dev.hotline.engine.call.Channel;

/** What an IVR session asks of the call router. */
public interface IvrHost {
    void logNode(String callId, String channelId, String flow, String node, String type);

    void logKey(String callId, String channelId, String flow, String node, String key);

    /** Hands the call to routing: "extension", "conference" or "external"; false when that is impossible now. */
    boolean transfer(String callId, Channel channel, String target, String value);

    /** The published graph of a flow of the enterprise, or null. */
    Flow.Graph publishedFlow(long enterpriseId, String name);

    void ended(String channelId);
}
