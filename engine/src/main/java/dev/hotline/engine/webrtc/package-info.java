/**
 * WebRTC transport building blocks for one browser leg on one UDP port: ICE-lite, DTLS-SRTP and
 * SRTP/SRTCP. No sockets, no SDP strings, no threads of its own beyond the handshake executor.
 *
 * <h2>Entry point</h2>
 * {@link dev.hotline.engine.webrtc.WebRtcTransport}, one per leg:
 * <pre>{@code
 * DtlsCertificate cert = DtlsCertificate.generate();          // once per process
 * WebRtcTransport t = new WebRtcTransport(cert, (data, off, len, to) -> socket.send(...),
 *         DtlsSrtpServer.sharedExecutor());
 * // SDP answer: a=ice-lite, a=ice-ufrag:t.localUfrag(), a=ice-pwd:t.localPassword(),
 * //             a=fingerprint:t.localFingerprint(), a=setup:passive, a=rtcp-mux
 * t.setRemote(offerUfrag, offerFingerprint);
 * // for every datagram on the port (media thread):
 * WebRtcTransport.Received r = t.onPacket(buf, len, from);
 * switch (r.kind()) { SEND: send r.data() to r.address(); RTP/RTCP: plain packet in buf[0, r.length()) }
 * // sending media, once t.isSecure():
 * int n = t.protectRtp(buf, 0, len);   // buf needs 10 spare bytes; send n bytes to t.remoteAddress()
 * }</pre>
 *
 * <h2>Pieces</h2>
 * <ul>
 * <li>{@link dev.hotline.engine.webrtc.PacketDemux}: RFC 7983 first-byte demultiplexing.</li>
 * <li>{@link dev.hotline.engine.webrtc.StunMessage}: STUN parse/build (RFC 8489), MESSAGE-INTEGRITY
 *     (short-term credential), FINGERPRINT, ICE attributes. Hostile input throws
 *     {@link dev.hotline.engine.webrtc.StunException}.</li>
 * <li>{@link dev.hotline.engine.webrtc.IceLiteResponder}: answers Binding requests to their source
 *     address and latches the remote address (USE-CANDIDATE, else the first valid check).</li>
 * <li>{@link dev.hotline.engine.webrtc.DtlsSrtpServer} and
 *     {@link dev.hotline.engine.webrtc.DtlsCertificate}: the BouncyCastle DTLS 1.2 server with an
 *     ECDSA P-256 self-signed certificate, use_srtp, extended master secret and the RFC 5764 key
 *     export into {@link dev.hotline.engine.webrtc.SrtpKeyingMaterial}.</li>
 * <li>{@link dev.hotline.engine.webrtc.SrtpContext}: AES_CM_128_HMAC_SHA1_80/32 SRTP and SRTCP
 *     (RFC 3711) on the JDK's AES/CTR and HmacSHA1, in place, with ROC and replay windows.</li>
 * <li>{@link dev.hotline.engine.webrtc.WebRtcSdp}: reads a browser's offer and writes our ICE-lite,
 *     DTLS-passive, rtcp-mux, BUNDLE answer (G.711 + telephone-event).</li>
 * </ul>
 *
 * <h2>Where it is used</h2>
 * {@code TelephonyEngine.webRtcConnect(key, offer)} opens one persistent connection per agent
 * ({@code engine.sip.BrowserConnection}: a {@code MediaSocket} of the RTP range + one transport);
 * call channels ({@code Target.WebRtc}) are multiplexed on it through virtual {@code RtpEndpoint}s.
 * See docs/adr/0002-webrtc-connection.md.
 *
 * <h2>Threads</h2>
 * BouncyCastle's DTLS handshake blocks, so it runs on the executor given to the transport, fed
 * from a bounded queue; it ends within the handshake timeout (10 s by default) or at once on
 * {@code close()}. Nothing on the media path blocks: {@code onPacket} only copies DTLS datagrams
 * into that queue, and SRTP works in place with reused cipher and MAC objects.
 *
 * <h2>Not here (yet)</h2>
 * ICE full agent, TURN, consent-freshness expiry (RFC 7675: stopping media when checks stop),
 * DTLS data channels (SCTP), SRTP AEAD-GCM profiles and MKI, ICE restarts within one connection.
 */
package dev.hotline.engine.webrtc;
