package dev.hotline.engine.sip;

import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.sdp.MediaDirection;
import java.text.ParseException;
import java.util.ListIterator;
import java.util.Locale;
import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;
import javax.sip.header.Header;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 4028 session timers: reads and writes Session-Expires on INVITEs, their 2xx and refreshes, arms
 * each leg's {@link SessionTimer} and sends our refreshing re-INVITEs.
 */
final class SessionTimers {
    private static final Logger log = LoggerFactory.getLogger(SessionTimers.class);
    /** RFC 4028 §5 minimum. */
    static final int MIN_SE = 90;

    private final SipMessages msg;

    SessionTimers(SipMessages msg) {
        this.msg = msg;
    }

    /** RFC 4028 §8.1: answers 422 Session Interval Too Small (with Min-SE) and returns true when the INVITE asks too little. */
    boolean refusedTooSmall(Request req, ServerTransaction st) throws ParseException {
        Integer se = sessionExpiresOf(req);
        if (se == null || se >= MIN_SE) {
            return false;
        }
        Response r = msg.response(422, req, null);
        r.addHeader(msg.hf.createHeader("Min-SE", Integer.toString(MIN_SE)));
        msg.send(st, r);
        return true;
    }

    /** Our INVITE asks for the configured interval when it is at least the RFC 4028 §5 minimum. */
    void offer(Request invite, long sessionExpiresSeconds) throws ParseException {
        if (sessionExpiresSeconds >= MIN_SE) {
            invite.addHeader(msg.hf.createHeader("Session-Expires", Long.toString(sessionExpiresSeconds)));
        }
    }

    private static Integer sessionExpiresOf(Request req) {
        Header h = sessionExpiresHeader(req);
        if (h == null) {
            return null;
        }
        String v = value(h);
        try {
            return Integer.parseInt(v.split(";")[0].trim());
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    /** Session-Expires or its compact form "x" (RFC 4028 §4). */
    private static Header sessionExpiresHeader(Message m) {
        Header h = m.getHeader("Session-Expires");
        return h != null ? h : m.getHeader("x");
    }

    private static String value(Header h) {
        String s = h.toString();
        int colon = s.indexOf(':');
        return s.substring(colon + 1).trim();
    }

    private static boolean supportsTimer(Message m) {
        ListIterator<?> it = m.getHeaders("Supported");
        while (it.hasNext()) {
            if (value((Header) it.next()).toLowerCase(Locale.ROOT).contains("timer")) {
                return true;
            }
        }
        return false;
    }

    /** RFC 4028 §9: the UAS answer to {@code invite}; the UAC refreshes when it supports timers, otherwise we do. */
    void onAnswer(SessionTimer timer, Request invite, Response r) {
        Integer se = sessionExpiresOf(invite);
        if (se == null) {
            return;
        }
        try {
            boolean uacRefreshes = supportsTimer(invite) && !value(sessionExpiresHeader(invite)).contains("refresher=uas");
            r.addHeader(msg.hf.createHeader("Session-Expires", se + ";refresher=" + (uacRefreshes ? "uac" : "uas")));
            if (uacRefreshes) {
                r.addHeader(msg.hf.createRequireHeader("timer"));
            }
            timer.arm(se, !uacRefreshes);
        } catch (Exception ex) {
            log.debug("session timer header: {}", ex.toString());
        }
    }

    /** A refresh (re-INVITE or UPDATE) received: RFC 4028 §9 again. */
    void onRefresh(SessionTimer timer, Request req, Response r) {
        Integer se = sessionExpiresOf(req);
        if (se == null) {
            if (timer.interval() > 0) {
                timer.arm((int) timer.interval(), timer.weRefresh());
            }
            return;
        }
        try {
            r.addHeader(msg.hf.createHeader("Session-Expires", se + ";refresher=uac"));
            if (supportsTimer(req)) {
                r.addHeader(msg.hf.createRequireHeader("timer"));
            }
        } catch (Exception ex) {
            log.debug("session timer header: {}", ex.toString());
        }
        timer.arm(se, false);
    }

    /** The 2xx of our INVITE: RFC 4028 §7.2, who refreshes is in its Session-Expires. */
    void onOutboundAnswer(SessionTimer timer, Response r) {
        Header h = sessionExpiresHeader(r);
        if (h == null) {
            return;
        }
        String v = value(h);
        try {
            int se = Integer.parseInt(v.split(";")[0].trim());
            timer.arm(se, !v.contains("refresher=uas"));
        } catch (NumberFormatException ex) {
            log.debug("bad Session-Expires {}", v);
        }
    }

    /** Our refresh is due (call executor): a re-INVITE with the same SDP (RFC 4028 §7.4); failing to send it ends the call. */
    void sendRefresh(SipLeg leg) {
        if (leg.state() != ChannelState.UP) {
            return;
        }
        SessionTimer timer = leg.sessionTimer();
        try {
            Request reinvite = leg.sip().dialog().createRequest(Request.INVITE);
            reinvite.setContent(leg.sdp().localSdp(leg.sdp().remote() == null ? MediaDirection.SENDRECV
                    : leg.sdp().remote().direction().answer()), msg.hf.createContentTypeHeader("application", "sdp"));
            reinvite.addHeader(msg.hf.createHeader("Session-Expires", timer.interval() + ";refresher=uac"));
            reinvite.addHeader(msg.hf.createSupportedHeader("timer"));
            reinvite.addHeader(leg.sip().ourContact());
            SipMessages.withBranch(reinvite);
            ClientTransaction ct = msg.provider.getNewClientTransaction(reinvite);
            ct.setApplicationData(leg);
            leg.sip().dialog().sendRequest(ct);
            timer.arm((int) timer.interval(), true);
        } catch (Exception ex) {
            log.info("channel {}: session refresh failed: {}", leg.id, ex.toString());
            leg.terminate(HangupCause.SESSION_TIMEOUT, 0, true);
        }
    }
}
