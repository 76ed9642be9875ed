package dev.hotline.engine.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.StringMsgParserFactory;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.RawSend;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a request's raw header block before JAIN-SIP parses it, for what its lenient parser hides
 * (RFC 4475 §3.3, §3.4). Installed through the stack property
 * {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}; every transport's messages pass through it.
 * <ul>
 *   <li>A header that may appear once appearing twice (RFC 3261 §7.3.1; RFC 4475 multi01, mcl01): the parser would
 *       keep one of them silently. Refused with a parse error, which the stack answers 400 itself.</li>
 *   <li>Another SIP version (RFC 3261 §8.1.1.1; RFC 4475 badvers): the parser reads any version as 2.0. Answered 505
 *       here.</li>
 *   <li>No Call-ID, From or To (RFC 4475 insuf): the stack cannot build its automatic 400 and would drop the request
 *       unanswered. Answered 400 here.</li>
 *   <li>An RFC 2543 request (no magic cookie in its branch; RFC 4475 inv2543): JAIN-SIP refuses a request without
 *       Max-Forwards and an INVITE without Contact. The default Max-Forwards of RFC 3261 §8.1.1.6 (70) is added, and
 *       RFC 2543's rule that a peer without Contact is reached at its From address becomes a Contact with the From
 *       URI. An RFC 3261 request missing them is still refused 400 by the stack.</li>
 *   <li>A new INVITE (no To tag) while the server is overloaded ({@link Admission}): 503 with Retry-After
 *       (RFC 3261 §21.5.4), before the stack parses it or makes a transaction.</li>
 * </ul>
 * Answers built here go to the source address at the top Via's sent-by port (RFC 3261 §18.2.2); a client asking for
 * rport (RFC 3581) behind a NAT may miss them. Responses pass unchanged. The scan stops at the end of the headers and
 * allocates only when it rewrites.
 */
public final class RawMessageGuard implements MessageParserFactory {
    private static final Logger log = LoggerFactory.getLogger(RawMessageGuard.class);
    private static final Pattern FROM_URI = Pattern.compile("^\\s*(?:from|f)\\s*:\\s*(?:[^<]*<([^>]+)>|([^;\\s]+))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SENT_BY_PORT = Pattern.compile("^\\s*(?:via|v)\\s*:\\s*SIP\\s*/[^/]*/\\s*\\S+\\s+"
            + "(?:\\[[^\\]]*\\]|[^:;,\\s]+)\\s*(?::\\s*(\\d+))?", Pattern.CASE_INSENSITIVE);

    private static final Pattern TO_TAG = Pattern.compile(";\\s*tag\\s*=", Pattern.CASE_INSENSITIVE);

    /** The engine's load, as the raw guard consults it. */
    interface Admission {
        /** Empty: take this new INVITE; else refuse it with 503 and this Retry-After (seconds). */
        OptionalInt refuseInvite(String callId);

        /** True when the datagram is not SIP but a probe of the engine's own (consumed, never answered). */
        boolean probeArrived(byte[] datagram);
    }

    /** Each engine's admission, by its stack: the stack makes this factory by class name, so it is looked up. */
    private static final Map<SIPTransactionStack, Admission> ADMISSIONS = new ConcurrentHashMap<>();

    static void admission(Object stack, Admission admission) {
        ADMISSIONS.put((SIPTransactionStack) stack, admission);
    }

    static void forget(Object stack) {
        ADMISSIONS.remove((SIPTransactionStack) stack);
    }

    /** The headers RFC 3261 §20 allows once; compact forms (§7.3.3) count as the same header. */
    enum Single {
        CALL_ID("Call-ID", "i"), CSEQ("CSeq", null), FROM("From", "f"), TO("To", "t"),
        MAX_FORWARDS("Max-Forwards", null), CONTENT_LENGTH("Content-Length", "l"), CONTENT_TYPE("Content-Type", "c");

        final String name;
        final String compact;
        private final String lower;

        Single(String name, String compact) {
            this.name = name;
            this.compact = compact;
            this.lower = name.toLowerCase(Locale.ROOT);
        }

        /** values() copies the array on every call; this runs for every header of every request. */
        private static final Single[] ALL = values();

        /** The header named by the bytes {@code m[from, to)} (any case), or null. */
        static Single of(byte[] m, int from, int to) {
            for (Single s : ALL) {
                if (named(m, from, to, s.lower) || (s.compact != null && named(m, from, to, s.compact))) {
                    return s;
                }
            }
            return null;
        }
    }

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        MessageParser inner = new StringMsgParserFactory().createMessageParser(stack);
        return (bytes, readBody, strict, listener) -> {
            Admission admission = stack == null ? null : ADMISSIONS.get(stack);
            if (admission != null && bytes.length > 0 && bytes[0] == 0 && admission.probeArrived(bytes)) {
                return null;
            }
            Verdict v = check(bytes, admission);
            if (v instanceof Verdict.Rewrite w) {
                return inner.parseSIPMessage(w.bytes(), readBody, strict, listener);
            }
            if (v instanceof Verdict.Malformed m) {
                throw new ParseException(m.reason(), 0); // the stack answers 400 with this reason, to the packet's source
            }
            if (v instanceof Verdict.Refuse r) {
                if (listener instanceof MessageChannel channel) {
                    answer(r, channel);
                }
                return null; // the stack logs "null message parsed" and moves on
            }
            return inner.parseSIPMessage(bytes, readBody, strict, listener);
        };
    }

    /** What the raw scan concluded. */
    sealed interface Verdict {
        record Pass() implements Verdict {
        }

        record Rewrite(byte[] bytes) implements Verdict {
        }

        /** Refused with a reason the stack's automatic 400 can carry. */
        record Malformed(String reason) implements Verdict {
        }

        /** Refused with a response built here (the stack would not answer); {@code copied} are the header lines the
         *  response repeats (RFC 3261 §8.2.6.2). An ACK is never answered. */
        record Refuse(int code, String reason, List<String> copied, boolean ack) implements Verdict {
        }
    }

    private static final Verdict PASS = new Verdict.Pass();

    static Verdict check(byte[] msg) {
        return check(msg, null);
    }

    static Verdict check(byte[] msg, Admission admission) {
        if (msg.length >= 4 && msg[0] == 'S' && msg[1] == 'I' && msg[2] == 'P' && msg[3] == '/') {
            return PASS; // a response: passes unchanged, without scanning its headers
        }
        // Runs for every request: header names are compared as bytes, and the lines a refusal repeats, the Call-ID and
        // the From URI become strings only when they are needed.
        int end = headerEnd(msg);
        int firstEol = lineEnd(msg, 0, end);
        String first = new String(msg, 0, firstEol, StandardCharsets.US_ASCII);
        EnumSet<Single> seen = EnumSet.noneOf(Single.class);
        int[] copied = new int[10]; // start and end of each line a refusal repeats
        int nCopied = 0;
        boolean via = false;
        boolean rfc2543 = false;
        boolean contact = false;
        boolean toTag = false;
        int callIdFrom = -1;
        int callIdTo = -1;
        int fromLine = -1;
        int fromEol = -1;
        int i = next(msg, firstEol, end);
        while (i < end) {
            int eol = lineEnd(msg, i, end);
            // RFC 3261 §7.3.1: a line starting with white space continues the previous header
            while (next(msg, eol, end) < end && isWsp(msg[next(msg, eol, end)])) {
                eol = lineEnd(msg, next(msg, eol, end), end);
            }
            int colon = indexOf(msg, i, eol, (byte) ':');
            if (colon > i) {
                int ns = i;
                int ne = colon;
                while (ns < ne && (msg[ns] & 0xff) <= ' ') {
                    ns++;
                }
                while (ne > ns && (msg[ne - 1] & 0xff) <= ' ') {
                    ne--;
                }
                Single s = Single.of(msg, ns, ne);
                if (s != null && !seen.add(s)) {
                    return new Verdict.Malformed(s.name + " appears twice");
                }
                boolean isVia = named(msg, ns, ne, "via") || named(msg, ns, ne, "v");
                if (isVia && !via) {
                    // RFC 3261 §8.1.1.7: a top Via branch without the magic cookie marks an RFC 2543 sender
                    rfc2543 = !containsIgnoreCase(msg, i, eol, "branch=z9hg4bk");
                }
                via |= isVia;
                contact |= named(msg, ns, ne, "contact") || named(msg, ns, ne, "m");
                if (isVia || s == Single.CSEQ || s == Single.CALL_ID || s == Single.FROM || s == Single.TO) {
                    if (nCopied + 2 > copied.length) {
                        copied = Arrays.copyOf(copied, copied.length * 2);
                    }
                    copied[nCopied++] = i;
                    copied[nCopied++] = eol;
                }
                if (s == Single.TO) {
                    toTag = hasTagParameter(msg, i, eol);
                } else if (s == Single.CALL_ID) {
                    callIdFrom = colon + 1;
                    callIdTo = eol;
                } else if (s == Single.FROM) {
                    fromLine = i;
                    fromEol = eol;
                }
            }
            i = next(msg, eol, end);
        }
        boolean ack = first.startsWith("ACK ");
        if (!via) {
            return new Verdict.Malformed("no Via"); // nobody to answer to
        }
        String requestLine = first.strip();
        String version = requestLine.substring(requestLine.lastIndexOf(' ') + 1);
        if (!version.equalsIgnoreCase("SIP/2.0")) {
            return new Verdict.Refuse(505, "Version Not Supported", lines(msg, copied, nCopied), ack);
        }
        List<String> missing = new ArrayList<>();
        for (Single s : List.of(Single.CALL_ID, Single.FROM, Single.TO)) {
            if (!seen.contains(s)) {
                missing.add(s.name);
            }
        }
        if (!missing.isEmpty()) {
            return new Verdict.Refuse(400, "Missing " + String.join(", ", missing), lines(msg, copied, nCopied), ack);
        }
        if (admission != null && !toTag && first.startsWith("INVITE ")) {
            String callId = new String(msg, callIdFrom, callIdTo - callIdFrom, StandardCharsets.UTF_8).trim();
            OptionalInt retryAfter = admission.refuseInvite(callId);
            if (retryAfter.isPresent()) {
                List<String> lines = lines(msg, copied, nCopied);
                lines.add("Retry-After: " + retryAfter.getAsInt());
                return new Verdict.Refuse(503, "Service Unavailable", lines, false);
            }
        }
        if (!rfc2543) {
            return PASS;
        }
        StringBuilder added = new StringBuilder();
        if (!seen.contains(Single.MAX_FORWARDS)) {
            added.append("Max-Forwards: 70\r\n");
        }
        String fromUri = null;
        if (fromLine >= 0) {
            Matcher m = FROM_URI.matcher(new String(msg, fromLine, fromEol - fromLine, StandardCharsets.UTF_8));
            fromUri = m.find() ? (m.group(1) != null ? m.group(1) : m.group(2)) : null;
        }
        if (first.startsWith("INVITE ") && !contact && fromUri != null) {
            added.append("Contact: <").append(fromUri).append(">\r\n");
        }
        if (added.isEmpty()) {
            return PASS;
        }
        int afterFirst = next(msg, firstEol, msg.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(msg.length + added.length());
        out.write(msg, 0, afterFirst);
        out.writeBytes(added.toString().getBytes(StandardCharsets.UTF_8));
        out.write(msg, afterFirst, msg.length - afterFirst);
        return new Verdict.Rewrite(out.toByteArray());
    }

    /** The header lines at {@code spans} (start, end pairs), as text. */
    private static List<String> lines(byte[] msg, int[] spans, int n) {
        List<String> lines = new ArrayList<>(n / 2 + 1);
        for (int k = 0; k < n; k += 2) {
            lines.add(new String(msg, spans[k], spans[k + 1] - spans[k], StandardCharsets.UTF_8));
        }
        return lines;
    }

    /** True when {@code m[from, to)} is {@code lower} (lower-case ASCII) in any case. */
    private static boolean named(byte[] m, int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int k = 0; k < lower.length(); k++) {
            if (lowerAscii(m[from + k]) != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int lowerAscii(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b & 0xff;
    }

    private static boolean containsIgnoreCase(byte[] m, int from, int to, String lower) {
        for (int i = from; i + lower.length() <= to; i++) {
            if (named(m, i, i + lower.length(), lower)) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] m, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (m[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** A {@code tag} parameter in the To line {@code m[from, to)}: what {@link #TO_TAG} finds, without a string. */
    private static boolean hasTagParameter(byte[] m, int from, int to) {
        for (int i = indexOf(m, from, to, (byte) ';'); i >= 0; i = indexOf(m, i + 1, to, (byte) ';')) {
            int k = skipSpace(m, i + 1, to);
            if (k + 3 <= to && named(m, k, k + 3, "tag")) {
                k = skipSpace(m, k + 3, to);
                if (k < to && m[k] == '=') {
                    return true;
                }
            }
        }
        return false;
    }

    /** Past the white space a regular expression's {@code \s} takes (space, tab, line breaks, vertical tab, form feed). */
    private static int skipSpace(byte[] m, int from, int to) {
        int k = from;
        while (k < to && (m[k] == ' ' || m[k] == '\t' || m[k] == '\n' || m[k] == '\r' || m[k] == 0x0B || m[k] == '\f')) {
            k++;
        }
        return k;
    }

    /** RFC 3261 §18.2.2: a response goes to the source address, at the top Via's sent-by port (5060 by default). */
    private static void answer(Verdict.Refuse r, MessageChannel channel) {
        if (r.ack()) {
            return; // RFC 3261 §17.2.3: an ACK is never answered
        }
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(r.code()).append(' ').append(r.reason()).append("\r\n");
        String topVia = null;
        for (String line : r.copied()) {
            // RFC 3261 §8.2.6.2: a final response adds a tag to a To without one
            String name = line.substring(0, Math.max(0, line.indexOf(':'))).trim();
            if ((name.equalsIgnoreCase("to") || name.equalsIgnoreCase("t")) && !TO_TAG.matcher(line).find()) {
                line = line + ";tag=" + Long.toHexString(ThreadLocalRandom.current().nextLong());
            }
            b.append(line).append("\r\n");
            if (topVia == null && SENT_BY_PORT.matcher(line).find()) {
                topVia = line;
            }
        }
        b.append("Content-Length: 0\r\n\r\n");
        Matcher m = topVia == null ? null : SENT_BY_PORT.matcher(topVia);
        int port = m != null && m.find() && m.group(1) != null ? Integer.parseInt(m.group(1)) : 5060;
        try {
            // Written as built: parsing it back into a message only to send it cost a third of the receive threads under overload.
            RawSend.send(channel, b.toString().getBytes(StandardCharsets.UTF_8), InetAddress.getByName(channel.getPeerAddress()), port);
        } catch (IOException | RuntimeException e) {
            log.debug("could not answer {} {}: {}", r.code(), r.reason(), e.toString());
        }
    }

    private static boolean isWsp(byte b) {
        return b == ' ' || b == '\t';
    }

    /** Index of the blank line ending the headers, or the message's length. */
    private static int headerEnd(byte[] m) {
        for (int i = 0; i + 1 < m.length; i++) {
            if (m[i] == '\n' && (m[i + 1] == '\n' || (m[i + 1] == '\r' && i + 2 < m.length && m[i + 2] == '\n'))) {
                return i + 1;
            }
        }
        return m.length;
    }

    private static int lineEnd(byte[] m, int from, int end) {
        int i = from;
        while (i < end && m[i] != '\r' && m[i] != '\n') {
            i++;
        }
        return i;
    }

    /** The start of the line after the one ending at {@code eol}. */
    private static int next(byte[] m, int eol, int end) {
        int i = eol;
        if (i < end && m[i] == '\r') {
            i++;
        }
        if (i < end && m[i] == '\n') {
            i++;
        }
        return i;
    }
}
