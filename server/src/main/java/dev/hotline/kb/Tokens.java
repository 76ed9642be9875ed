package dev.hotline.kb;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The search tokens of a text, the same on H2 and PostgreSQL: runs of CJK characters give their single characters and their
 * bigrams ("如何申请退款流程" holds "退款"), other letters and digits give lower-cased words lightly stemmed (refunds,
 * refunding, refunded → refund). A query's CJK runs of two or more characters search by bigrams only.
 */
public final class Tokens {
    private Tokens() {}

    static boolean cjk(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA || s == Character.UnicodeScript.KATAKANA
                || s == Character.UnicodeScript.HANGUL;
    }

    static String stem(String w) {
        if (w.length() > 5 && w.endsWith("ing")) return w.substring(0, w.length() - 3);
        if (w.length() > 4 && w.endsWith("ed")) return w.substring(0, w.length() - 2);
        if (w.length() > 4 && w.endsWith("es")) return w.substring(0, w.length() - 2);
        if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) return w.substring(0, w.length() - 1);
        return w;
    }

    /** The index tokens of a text with how often each occurs. */
    public static Map<String, Integer> index(String text) {
        Map<String, Integer> out = new LinkedHashMap<>();
        scan(text, true, t -> out.merge(t, 1, Integer::sum));
        return out;
    }

    /** The tokens a query must all match. */
    public static Set<String> query(String text) {
        Set<String> out = new LinkedHashSet<>();
        scan(text, false, out::add);
        return out;
    }

    private static void scan(String text, boolean indexing, java.util.function.Consumer<String> sink) {
        if (text == null) return;
        String s = text.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (cjk(cp)) {
                StringBuilder run = new StringBuilder();
                while (i < s.length() && cjk(s.codePointAt(i))) {
                    run.appendCodePoint(s.codePointAt(i));
                    i += Character.charCount(s.codePointAt(i));
                }
                int[] cps = run.codePoints().toArray();
                if (indexing || cps.length == 1) for (int c : cps) sink.accept(new String(Character.toChars(c)));
                for (int k = 0; k + 1 < cps.length; k++) sink.accept(new String(cps, k, 2));
            } else if (Character.isLetterOrDigit(cp)) {
                StringBuilder w = new StringBuilder();
                while (i < s.length() && Character.isLetterOrDigit(s.codePointAt(i)) && !cjk(s.codePointAt(i))) {
                    w.appendCodePoint(s.codePointAt(i));
                    i += Character.charCount(s.codePointAt(i));
                }
                String word = w.length() > 60 ? w.substring(0, 60) : w.toString();
                sink.accept(stem(word));
            } else {
                i += Character.charCount(cp);
            }
        }
    }
}
