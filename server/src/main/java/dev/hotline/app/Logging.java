package dev.hotline.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/** OPS-4: switches the logs to one JSON object per line ({@code log.format=json}), for a log collector. */
final class Logging {
    private Logging() {}

    static void json() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        JoranConfigurator c = new JoranConfigurator();
        c.setContext(ctx);
        ctx.reset();
        try {
            c.doConfigure(Logging.class.getResource("/logback-json.xml"));
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure JSON logs: " + e.getMessage(), e);
        }
    }
}
