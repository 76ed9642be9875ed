-- SEC-4 / PBX-1: SDES-SRTP (RFC 4568) per trunk, the mutual choice with the carrier: off, optional or required.
-- Only used when the trunk's transport is tls (keys travel in the SDP).
ALTER TABLE trunk ADD COLUMN srtp VARCHAR(16) DEFAULT 'off' NOT NULL;
