-- MEDIA-1: the media quality of a call's legs, measured by the engine and by RTCP (RFC 3550 §6.4): per leg, as a JSON
-- array (codec, packets, loss, jitter, round trip, what the party's receiver reports said), and the worst leg's
-- figures as columns to filter and sort on. Null for calls without media (rejected, unanswered) and calls before V46.
ALTER TABLE call_record ADD COLUMN media_quality VARCHAR(4000);
ALTER TABLE call_record ADD COLUMN rtp_loss_pct DOUBLE PRECISION;
ALTER TABLE call_record ADD COLUMN rtp_jitter_ms DOUBLE PRECISION;
ALTER TABLE call_record ADD COLUMN rtt_ms DOUBLE PRECISION;
