package dev.hotline.ivr;

import dev.hotline.crm.PhoneNumbers;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ACD-4: a caller's number as routing by area and by number list sees it: its Chinese national form, so that
 * {@code +8675512345678}, {@code 008675512345678} and {@code 075512345678} agree (the CRM's matching, {@link PhoneNumbers}),
 * a mobile number without its trunk 0 ({@code 13800138000}), a fixed-line number with it ({@code 01088886666}). Area codes
 * and number-list prefixes are compared with the start of that form: fixed-line area codes with their 0 ({@code 010},
 * {@code 021}, {@code 0755}), mobile prefixes as dialled ({@code 138}, {@code 1380013}).
 */
public final class CallerNumbers {
    private CallerNumbers() {}

    /** An area code or number prefix as a node or a list takes it: a fixed-line area (0 and 2–9 digits) or a mobile prefix (1, 3–9, ...). */
    static final Pattern AREA = Pattern.compile("0[1-9][0-9]{1,8}|1[3-9][0-9]{1,9}");

    /**
     * The national form of a caller's number: {@code 13800138000} (mobile), {@code 01088886666} (fixed line), a foreign
     * number as {@code 00} and its digits, a short or local number as its digits; empty when it is no phone number.
     */
    public static Optional<String> national(String raw) {
        String m = PhoneNumbers.matchingForm(raw);
        if (m == null) return Optional.empty();
        if (!m.startsWith("+")) return Optional.of(m);
        String international = m.substring(1);
        if (!international.startsWith(PhoneNumbers.COUNTRY)) return Optional.of("00" + international);
        String rest = international.substring(PhoneNumbers.COUNTRY.length());
        return Optional.of(isMobile(rest) ? rest : "0" + rest);
    }

    /** An 11-digit number 1[3-9]…: a Chinese mobile number (Beijing's fixed-line numbers, 10…, are 10 digits). */
    private static boolean isMobile(String national) {
        return national.length() == 11 && national.charAt(0) == '1' && national.charAt(1) >= '3';
    }

    /**
     * An area code or number prefix in its national form: spaces and dashes dropped, {@code +86} / {@code 0086} taken off
     * (then {@code 10…} / {@code 2x…} / others are fixed-line areas and get their 0, {@code 1[3-9]…} are mobile prefixes);
     * null when it is not one ({@link #AREA}).
     */
    public static String prefix(String raw) {
        if (raw == null) return null;
        String s = raw.replaceAll("[\\s\\-()]", "");
        boolean international = false;
        if (s.startsWith("+86")) {
            s = s.substring(3);
            international = true;
        } else if (s.startsWith("0086")) {
            s = s.substring(4);
            international = true;
        }
        if (international && !s.isEmpty() && !(s.length() >= 2 && s.charAt(0) == '1' && s.charAt(1) >= '3')) s = "0" + s;
        return AREA.matcher(s).matches() ? s : null;
    }

    /** Whether the caller's national number starts with the area code or prefix {@code area} (given in national form). */
    public static boolean inArea(String national, String area) {
        return national != null && area != null && national.startsWith(area) && national.length() > area.length();
    }

    /**
     * The caller's area in words a report or an HTTP lookup can use: a fixed-line number's area code ({@code 010}, {@code 021}
     * as three digits, others as four: {@code 0755}), a mobile number's first three digits ({@code 138}); "" otherwise.
     */
    public static String area(String national) {
        if (national == null) return "";
        if (isMobile(national)) return national.substring(0, 3);
        if (national.length() >= 10 && national.charAt(0) == '0' && national.charAt(1) != '0') {
            return national.charAt(1) == '1' || national.charAt(1) == '2' ? national.substring(0, 3) : national.substring(0, 4);
        }
        return "";
    }
}
