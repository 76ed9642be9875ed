package dev.hotline.billing;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The rates of one trunk, in one currency (RPT-5). */
public record RateTable(long id, long trunkId, String trunk, String currency, List<Rate> rates) {
    public RateTable {
        rates = List.copyOf(rates);
    }

    /** The rate whose prefix is the longest that starts {@code number} (a leading + ignored), if any. */
    public Optional<Rate> match(String number) {
        if (number == null) return Optional.empty();
        String digits = number.startsWith("+") ? number.substring(1) : number;
        return rates.stream().filter(r -> digits.startsWith(r.prefix())).max(Comparator.comparingInt(r -> r.prefix().length()));
    }
}
