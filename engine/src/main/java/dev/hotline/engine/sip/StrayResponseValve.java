package dev.hotline.engine.sip;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPDialog;
import gov.nist.javax.sip.stack.SIPMessageValve;
import gov.nist.javax.sip.stack.SIPTransaction;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import javax.sip.SipStack;
import javax.sip.TransactionState;
import javax.sip.message.Request;

/**
 * Handles responses that match no client transaction before JAIN-SIP does: its fallback is a linear
 * scan of every client transaction per response, which collapses the stack under load as soon as
 * peers start retransmitting 2xx. RFC 3261 §13.2.2.4: a retransmitted 2xx of an INVITE (its
 * transaction is gone) is answered by re-sending the ACK; anything else without a transaction is dropped.
 * <p>Requests: RFC 3261 §17.2.3 matches a request to a server transaction on branch, sent-by and
 * method, but JAIN-SIP files its server transactions under the branch alone, so a different request
 * that reuses a branch (RFC 4475 sends many with {@code z9hG4bKkdjuw}) was taken for a retransmission
 * and never answered. Such a request replaces the old transaction once that one has sent its final
 * response (its retransmissions are then no longer absorbed); while the old one is still proceeding
 * the new request is dropped, and the sender's retransmission gets it through later.
 * Installed through the stack property {@code gov.nist.javax.sip.SIP_MESSAGE_VALVE}.
 */
public final class StrayResponseValve implements SIPMessageValve {
    private SIPTransactionStack stack;

    @Override
    public void init(SipStack sipStack) {
        this.stack = (SIPTransactionStack) sipStack;
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        String method = request.getMethod();
        Via via = request.getTopmostVia();
        if (via == null || Request.ACK.equals(method) || Request.CANCEL.equals(method)) {
            return true; // ACK and CANCEL match their INVITE's transaction by design
        }
        SIPTransaction old = stack.findTransaction(request.getTransactionId(), true);
        if (old == null || sameTransaction(old, request)) {
            return true; // new, or a true retransmission the transaction absorbs
        }
        TransactionState state = old.getState();
        if (state == TransactionState.COMPLETED || state == TransactionState.CONFIRMED
                || state == TransactionState.TERMINATED) {
            stack.removeTransaction(old);
            return true;
        }
        return false;
    }

    /**
     * RFC 3261 §17.2.3: same branch (the stack's key), same sent-by, same method. The sent-by is compared by the
     * transaction itself, as the stack will compare it next (its request, kept under the engine's reference-release
     * strategy "None", or the sent-by JAIN-SIP keeps when a strategy drops the request). Judging "same" here by another
     * rule (the packet's source, as before 2026-12-07) let a request through that the stack then could not match and
     * dropped without an answer: a client given the same port number as an earlier one lost its request for the old
     * transaction's 32 s.
     */
    private static boolean sameTransaction(SIPTransaction old, SIPRequest request) {
        return request.getMethod().equals(old.getMethod()) && old.isMessagePartOfTransaction(request);
    }

    @Override
    public boolean processResponse(javax.sip.message.Response response, MessageChannel channel) {
        SIPResponse r = (SIPResponse) response;
        if (stack.findTransaction(r.getTransactionId(), false) != null) {
            return true;
        }
        if (r.getStatusCode() / 100 == 2 && Request.INVITE.equals(r.getCSeq().getMethod())) {
            SIPDialog d = stack.getDialog(r.getDialogId(false));
            if (d != null && d.isAckSent(r.getCSeq().getSeqNumber())) {
                try {
                    d.resendAck();
                } catch (Exception ignored) {
                    // the peer will retransmit again or time out
                }
            }
        }
        return false;
    }

    @Override
    public void destroy() {
        // nothing held
    }
}
