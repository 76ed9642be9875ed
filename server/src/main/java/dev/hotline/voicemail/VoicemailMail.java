package dev.hotline.voicemail;

import dev.hotline.mail.MailStore;
import dev.hotline.report.CallLogEvent;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MSG-2: a message left in a box with e-mail on goes to the box's address (else the extension's user's), the recording
 * attached as WAV, in the owner's language. Only the outbox row is written here, in the event log's transaction.
 */
final class VoicemailMail {
    private static final Logger log = LoggerFactory.getLogger(VoicemailMail.class);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private VoicemailMail() {}

    static void enqueue(Handle h, long messageId, CallLogEvent.VoicemailLeft v) {
        VoicemailStore.BoxEmail box = VoicemailStore.boxEmail(h, v.enterpriseId(), v.boxType(), v.box());
        if (!box.enabled()) return;
        Optional<VoicemailStore.Owner> owner = "extension".equals(v.boxType()) ? VoicemailStore.extensionOwner(h, v.enterpriseId(), v.box())
                : Optional.empty();
        String to = box.to() != null ? box.to() : owner.map(VoicemailStore.Owner::email).orElse(null);
        if (to == null) {
            log.info("voicemail {} of box {} {}: e-mail is on but there is no address", messageId, v.boxType(), v.box());
            return;
        }
        boolean zh = owner.map(o -> o.language() != null && o.language().startsWith("zh")).orElse(false);
        String caller = v.caller() == null || v.caller().isBlank() ? (zh ? "未知号码" : "unknown number") : v.caller();
        long s = Math.round(v.durationMs() / 1000.0);
        String length = s / 60 + ":" + String.format("%02d", s % 60);
        String subject = zh ? "来自 " + caller + " 的语音留言（" + length + "）" : "Voicemail from " + caller + " (" + length + ")";
        String body = (zh
                ? "语音信箱：" + box.boxType() + " " + box.box() + "\n来电号码：" + caller + "\n时间：" + WHEN.format(v.at()) + "\n时长：" + length
                        + (v.callbackNumber() == null ? "" : "\n回拨号码：" + v.callbackNumber()) + "\n\n录音见附件。"
                : "Box: " + box.boxType() + " " + box.box() + "\nFrom: " + caller + "\nAt: " + WHEN.format(v.at()) + "\nLength: " + length
                        + (v.callbackNumber() == null ? "" : "\nCall back: " + v.callbackNumber()) + "\n\nThe recording is attached.") + "\n";
        MailStore.enqueue(h, v.enterpriseId(), new MailStore.Mail("voicemail", to, subject, body, v.path(), "voicemail-" + messageId + ".wav"), v.at());
    }
}
