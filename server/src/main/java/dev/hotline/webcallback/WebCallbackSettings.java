package dev.hotline.webcallback;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.hotline.campaign.CallingWindows;
import dev.hotline.campaign.CampaignSettings;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;

/**
 * An enterprise's web callback settings (OUT-4), one JSON document.
 *
 * @param enabled           the public endpoint takes requests
 * @param mode              customer_first (dial the customer, then queue them to an agent) or agent_first (an agent first)
 * @param queueId           the queue whose agents take the callbacks
 * @param trunkId           the customer is dialled through this trunk, or
 * @param outboundRouteId   through this outbound route (one of them)
 * @param callerId          the number shown to the customer
 * @param timeZone          the zone of the business hours
 * @param windows           business hours, daily (none: any time)
 * @param allowedPrefixes   numbers must start with one of these (toll fraud); at least one
 * @param maxAttempts       tries per request (1–5, default 3)
 * @param retryMinutes      between tries (1–1440, default 10)
 * @param perAddressPerHour requests per source address per hour (default 5)
 * @param perNumberPerDay   requests per number per 24 h (default 3)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebCallbackSettings(boolean enabled, String mode, Long queueId, Long trunkId, Long outboundRouteId, String callerId,
                                  String timeZone, List<CampaignSettings.Window> windows, List<String> allowedPrefixes, Integer maxAttempts,
                                  Integer retryMinutes, Integer perAddressPerHour, Integer perNumberPerDay) {
    public static final String CUSTOMER_FIRST = "customer_first";
    public static final String AGENT_FIRST = "agent_first";
    static final int RING_SECONDS = 30;

    public int maxAttemptsOrDefault() {
        return maxAttempts == null ? 3 : maxAttempts;
    }

    public int retryMinutesOrDefault() {
        return retryMinutes == null ? 10 : retryMinutes;
    }

    public int perAddressPerHourOrDefault() {
        return perAddressPerHour == null ? 5 : perAddressPerHour;
    }

    public int perNumberPerDayOrDefault() {
        return perNumberPerDay == null ? 3 : perNumberPerDay;
    }

    /** The business hours as calling windows (the campaigns' class). */
    public CallingWindows hours() {
        ZoneId zone = timeZone == null ? ZoneId.of("UTC") : ZoneId.of(timeZone);
        List<CallingWindows.Span> spans = windows == null || windows.isEmpty() ? List.of(new CallingWindows.Span(LocalTime.MIN, LocalTime.MAX))
                : windows.stream().map(w -> new CallingWindows.Span(LocalTime.parse(w.from()), LocalTime.parse(w.to())))
                .sorted(Comparator.comparing(CallingWindows.Span::from)).toList();
        return new CallingWindows(zone, spans);
    }
}
