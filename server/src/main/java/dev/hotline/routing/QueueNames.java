package dev.hotline.routing;

import org.jdbi.v3.core.Handle;

/** Whether the enterprise has a queue of that name: queues belong to the ACD; numbers and ring groups are checked against them. */
@FunctionalInterface
public interface QueueNames {
    boolean exists(Handle h, long enterpriseId, String name);
}
