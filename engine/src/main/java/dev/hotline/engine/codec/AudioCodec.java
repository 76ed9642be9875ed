package dev.hotline.engine.codec;

/**
 * One direction-pair of an RTP audio codec for one stream: 8 kHz 16-bit PCM in and out.
 * Instances of stateful codecs (GSM) belong to one stream; none allocates per frame.
 */
public interface AudioCodec {
    /** The codec's kind. */
    CodecType type();

    /**
     * Encodes {@code samples} samples (a multiple of the codec's frame for GSM).
     *
     * @return bytes written
     */
    int encode(short[] pcm, int off, int samples, byte[] out, int outOff);

    /**
     * Decodes a payload of {@code len} bytes.
     *
     * @return samples written
     */
    int decode(byte[] in, int off, int len, short[] pcm, int pcmOff);
}
