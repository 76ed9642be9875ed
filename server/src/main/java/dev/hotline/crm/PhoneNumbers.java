package dev.hotline.crm;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phone numbers as matching needs them (CRM-1): an E.164-like form, so that a call from 013800138000,
 * +8613800138000, 008613800138000 or 13800138000 finds the same customer. Chinese numbers are the default
 * (country code 86, trunk prefix 0): a leading 00 is the international prefix, a single leading 0 the trunk
 * prefix before an area code or a mobile number, an 11-digit number starting with 1 a mobile number. Spaces,
 * dashes, dots and brackets are dropped; an extension ("ext 12", "x12", "转12", ",12", "#12") is kept apart.
 * Numbers that cannot be placed in a country (short service numbers, extensions, local landline numbers without
 * area code) keep their digits as they are.
 */
public final class PhoneNumbers {
    private PhoneNumbers() {}

    public static final String COUNTRY = "86";

    /** A number split into its matching form, its digits as written and its extension (null when none). */
    public record Parsed(String normalized, String digits, String extension) {}

    private static final Pattern EXTENSION = Pattern.compile("^(.*?)(?:\\s*(?:;ext=|ext\\.?|extension|x|转|分机|,|#|p|w)\\s*)(\\d{1,10})$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ALLOWED = Pattern.compile("\\+?[0-9]+");

    /** The parsed number, or empty when {@code raw} is not a phone number (letters, too short or too long). */
    public static Optional<Parsed> parse(String raw) {
        if (raw == null) return Optional.empty();
        String s = raw.strip();
        if (s.regionMatches(true, 0, "tel:", 0, 4)) s = s.substring(4);
        if (s.regionMatches(true, 0, "sip:", 0, 4)) {
            s = s.substring(4);
            int at = s.indexOf('@');
            if (at >= 0) s = s.substring(0, at);
        }
        String extension = null;
        Matcher m = EXTENSION.matcher(s);
        if (m.matches() && !m.group(1).isBlank()) {
            s = m.group(1);
            extension = m.group(2);
        }
        s = s.replaceAll("[\\s\\-.()\\u00a0/（）]", "").replace('＋', '+');
        if (!ALLOWED.matcher(s).matches()) return Optional.empty();
        String digits = s.startsWith("+") ? s.substring(1) : s;
        if (digits.length() < 3 || digits.length() > 20) return Optional.empty();
        return Optional.of(new Parsed(normalize(s), digits, extension));
    }

    /** The matching form of a cleaned number ("+" and digits only). */
    static String normalize(String s) {
        String international;
        if (s.startsWith("+")) {
            international = s.substring(1);
        } else if (s.startsWith("00")) {
            international = s.substring(2);
        } else if (s.startsWith("0") && s.length() >= 10) {
            international = COUNTRY + s.substring(1); // trunk prefix: 010..., 0755..., 013800138000
        } else if (s.length() == 11 && s.startsWith("1")) {
            international = COUNTRY + s; // a Chinese mobile number
        } else {
            return s; // short, local or service number: as dialled
        }
        if (international.startsWith(COUNTRY + "0")) international = COUNTRY + international.substring(COUNTRY.length() + 1); // +86 010...
        return "+" + international;
    }

    /** The matching form of {@code raw}, or its bare digits when it is not a full number; null when nothing is left. */
    public static String matchingForm(String raw) {
        return parse(raw).map(Parsed::normalized).orElse(null);
    }

    /** Digits of a partial number typed in a search box, without an international or trunk prefix. */
    public static String searchDigits(String partial) {
        if (partial == null) return "";
        String d = partial.replaceAll("[^0-9+]", "").toLowerCase(Locale.ROOT);
        if (d.startsWith("+" + COUNTRY)) d = d.substring(1 + COUNTRY.length());
        else if (d.startsWith("00" + COUNTRY)) d = d.substring(2 + COUNTRY.length());
        return d.replace("+", "");
    }
}
