package dev.hotline.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.tts.Language;
import dev.hotline.ivr.Ivr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OUT-2: a notification's message per number: the words by TTS with the list's columns, {column:as} by the IVR's Say logic. */
class NotificationMessageTest {
    static CampaignStore.Contact contact(String amount) {
        return new CampaignStore.Contact(1, "13900000001", "张三", Map.of("amount", amount, "date", "2026-12-20"), "dialling", 1, null, null,
                null, Map.of(), null, null, null, null, null);
    }

    static short[] render(Ivr ivr, String text, CampaignStore.Contact c) throws Exception {
        var n = new CampaignSettings.Notification(text, null, 1, null, null);
        PlaybackRequest.Item item = NotificationMessage.render(ivr, 1, n, c).get();
        return ((PlaybackRequest.Item.Clip) item).clip().toArray();
    }

    @Test
    void theWordsAreSpokenWithTheColumnsAndAmountsAndDatesAreSaidLikeTheSayNode() throws Exception {
        Path dir = Files.createTempDirectory("notification-message");
        try (Ivr ivr = new Ivr(dir)) {
            // Alone, {amount:amount} is exactly the Say node's audio for that amount.
            short[] amount = ivr.utterance(Ivr.say(Language.ZH, "amount", "120.50")).toArray();
            assertThat(render(ivr, "您好{amount:amount}", contact("120.50"))).hasSize(
                    ivr.speak("您好", Language.ZH).get().length() + AudioClip.silence(java.time.Duration.ofMillis(120)).length() + amount.length);
            short[] sayOnly = render(ivr, "{amount:amount}", contact("120.50"));
            assertThat(sayOnly).isEqualTo(ivr.utterance(Ivr.say(Language.EN, "amount", "120.50")).toArray());
            // {name} is filled into the words spoken by TTS.
            short[] named = render(ivr, "{name}您好", contact("1"));
            assertThat(named).isEqualTo(ivr.speak("张三您好", Language.ZH).get().toArray());
            // A value that is not an amount is spoken as it is.
            assertThat(render(ivr, "{amount:amount}", contact("abc"))).isEqualTo(ivr.speak("abc", Language.EN).get().toArray());
        }
        assertThat(NotificationMessage.parse("a{amount:amount}b{date:date}")).containsExactly(new NotificationMessage.Part.Words("a"),
                new NotificationMessage.Part.Said("amount", "amount"), new NotificationMessage.Part.Words("b"),
                new NotificationMessage.Part.Said("date", "date"));
        assertThatThrownBy(() -> NotificationMessage.parse("{amount:money}")).hasMessageContaining("money");
        assertThat(List.of(NotificationMessage.language("hello"), NotificationMessage.language("您好"))).containsExactly(Language.EN, Language.ZH);
    }
}
