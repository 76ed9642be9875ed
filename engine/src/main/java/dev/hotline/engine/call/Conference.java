package dev.hotline.engine.call;

import java.nio.file.Path;
import java.util.List;

/**
 * A conference room (PBX-5, MEDIA-5): every participant hears all the others but not itself; a tone
 * marks each join and leave. Participants are answered channels that are not bridged to another.
 * Events: {@link CallEvent.ConferenceJoined}, {@link CallEvent.ConferenceLeft} on each channel and
 * {@link CallEvent.RecordingFinished} with the conference id as channel id.
 */
public interface Conference {
    String id();

    String name();

    /** Adds an answered channel. */
    void add(Channel channel);

    void remove(Channel channel);

    /** A muted participant hears the room but is not heard. */
    void mute(Channel channel, boolean muted);

    /** Channel ids of the participants. */
    List<String> participants();

    /** Records the room (everyone heard, mixed) into a mono file. */
    Recording record(Path file, RecordFormat format);

    /** Everyone leaves (their channels stay up), recording stops. */
    void close();
}
