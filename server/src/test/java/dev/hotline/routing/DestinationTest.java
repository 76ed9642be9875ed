package dev.hotline.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DestinationTest {

    @Test
    void everyStoredTypeParsesToItsVariant() {
        assertThat(Destination.parse("extension", "1001")).contains(new Destination.Extension("1001"));
        assertThat(Destination.parse("queue", "sales")).contains(new Destination.Queue("sales"));
        assertThat(Destination.parse("flow", "main")).contains(new Destination.Flow("main"));
        assertThat(Destination.parse("ringgroup", "front")).contains(new Destination.RingGroup("front"));
        assertThat(Destination.parse("conference", "8800")).contains(new Destination.Room("8800"));
        assertThat(Destination.parse("external", "13900001111")).contains(new Destination.Outside("13900001111"));
        assertThat(Destination.parse("hangup", null)).contains(new Destination.Hangup());
        assertThat(Destination.parse("fax", "fax")).contains(new Destination.Fax());
    }

    @Test
    void voicemailBoxesAreAQueueOrAnExtensionBareOrPrefixed() {
        assertThat(Destination.parse("voicemail", "queue:support")).contains(new Destination.Voicemail("queue", "support"));
        assertThat(Destination.parse("voicemail", "extension:1001")).contains(new Destination.Voicemail("extension", "1001"));
        assertThat(Destination.parse("voicemail", "1002")).contains(new Destination.Voicemail("extension", "1002"));
    }

    @Test
    void anUnknownTypeIsNoDestination() {
        assertThat(Destination.parse("telex", "1")).isEmpty();
        assertThat(Destination.parse(null, "1")).isEmpty();
    }
}
