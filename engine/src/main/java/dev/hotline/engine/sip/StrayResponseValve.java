package dev.hotline.engine.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPDialog;
import gov.nist.javax.sip.stack.SIPMessageValve;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import javax.sip.SipStack;
import javax.sip.message.Request;

/**
 * Handles responses that match no client transaction before JAIN-SIP does: its fallback is a linear
 * scan of every client transaction per response, which collapses the stack under load as soon as
 * peers start retransmitting 2xx. RFC 3261 §13.2.2.4: a retransmitted 2xx of an INVITE (its
 * transaction is gone) is answered by re-sending the ACK; anything else without a transaction is dropped.
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
        return true;
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
