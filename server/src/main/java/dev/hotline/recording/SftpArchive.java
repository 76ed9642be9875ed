package dev.hotline.recording;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * REC-2: the SFTP side of the recording archive (Apache MINA SSHD): upload a file and verify the copy (remote size, and
 * the SHA-256 of the bytes read back equal to the local file's), read an archived file from any offset (the player's
 * ranges), delete one. Each operation opens its own session. The server's host key is checked against the fingerprint
 * stored in the settings; with none stored, the key seen is reported (trust on first use) and must match from then on.
 */
public final class SftpArchive implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final AttributeRepository.AttributeKey<HostKeyCheck> HOST_KEY = new AttributeRepository.AttributeKey<>();

    /** Where and as whom to connect; {@code password} and {@code privateKey} (OpenSSH or PEM text) in clear, either may be null. */
    public record Target(String host, int port, String username, String password, String privateKey, String hostKey) {
        @Override
        public String toString() {
            return username + "@" + host + ":" + port;
        }
    }

    /** A verified copy: its remote path, size, SHA-256 (hex) and the fingerprint of the server's host key. */
    public record Uploaded(String remotePath, long size, String sha256, String hostKey) {}

    /** The expected fingerprint of one connection (null: any) and the one the server showed. */
    private static final class HostKeyCheck {
        final String expected;
        volatile String seen;

        HostKeyCheck(String expected) {
            this.expected = expected;
        }
    }

    private final SshClient client;

    public SftpArchive() {
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, address, key) -> {
            HostKeyCheck check = session.getConnectionContext() == null ? null : session.getConnectionContext().getAttribute(HOST_KEY);
            if (check == null) return false;
            check.seen = KeyUtils.getFingerPrint(key);
            return check.expected == null || check.expected.isBlank() || check.expected.equals(check.seen);
        });
        client.start();
    }

    /** One open SFTP channel and its session, closed together. */
    private final class Connection implements AutoCloseable {
        final ClientSession session;
        final SftpClient sftp;
        final HostKeyCheck check;

        Connection(Target t) throws IOException {
            check = new HostKeyCheck(t.hostKey());
            ClientSession s = client.connect(t.username(), t.host(), t.port(), AttributeRepository.ofKeyValuePair(HOST_KEY, check), null)
                    .verify(TIMEOUT).getSession();
            try {
                if (t.password() != null && !t.password().isEmpty()) s.addPasswordIdentity(t.password());
                if (t.privateKey() != null && !t.privateKey().isBlank()) {
                    for (KeyPair kp : keys(t.privateKey())) s.addPublicKeyIdentity(kp);
                }
                try {
                    s.auth().verify(TIMEOUT);
                } catch (IOException e) {
                    if (check.seen != null && check.expected != null && !check.expected.isBlank() && !check.expected.equals(check.seen)) {
                        throw new IOException("the server's host key " + check.seen + " is not the one stored (" + check.expected + ")", e);
                    }
                    throw e;
                }
                session = s;
                sftp = SftpClientFactory.instance().createSftpClient(s);
            } catch (IOException | RuntimeException e) {
                s.close(true);
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                sftp.close();
            } finally {
                session.close(true);
            }
        }
    }

    private static Iterable<KeyPair> keys(String text) throws IOException {
        try {
            Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("archive key"),
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), FilePasswordProvider.EMPTY);
            if (keys == null || !keys.iterator().hasNext()) throw new IOException("the private key holds no key");
            return keys;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the private key: " + e.getMessage(), e);
        }
    }

    /** Checks that a private key's text can be read (for the settings' validation); the reason when not. */
    public static String keyProblem(String text) {
        try {
            keys(text);
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    /**
     * Uploads {@code local} to {@code remotePath} (directories made as needed; written to a .part name first and renamed),
     * then verifies the copy: its size and the SHA-256 of the bytes read back must equal the local file's.
     *
     * @throws IOException when the upload or the verification fails (the local file is untouched)
     */
    public Uploaded upload(Target t, Path local, String remotePath) throws IOException {
        String localHash;
        long size = Files.size(local);
        try (Connection c = new Connection(t)) {
            mkdirs(c.sftp, parent(remotePath));
            String part = remotePath + ".part";
            MessageDigest md = sha256();
            try (InputStream in = new DigestInputStream(Files.newInputStream(local), md); OutputStream out = c.sftp.write(part)) {
                in.transferTo(out);
            }
            localHash = HexFormat.of().formatHex(md.digest());
            try {
                c.sftp.remove(remotePath);
            } catch (SftpException e) {
                if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) throw e;
            }
            c.sftp.rename(part, remotePath);
            long remoteSize = c.sftp.stat(remotePath).getSize();
            if (remoteSize != size) throw new IOException("verification failed: the copy has " + remoteSize + " bytes, the file " + size);
            MessageDigest back = sha256();
            try (InputStream in = c.sftp.read(remotePath)) {
                byte[] buf = new byte[32 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) back.update(buf, 0, n);
            }
            String remoteHash = HexFormat.of().formatHex(back.digest());
            if (!remoteHash.equals(localHash)) throw new IOException("verification failed: the copy's SHA-256 differs from the file's");
            return new Uploaded(remotePath, size, localHash, c.check.seen);
        }
    }

    /** The size of an archived file. */
    public long size(Target t, String remotePath) throws IOException {
        try (Connection c = new Connection(t)) {
            return c.sftp.stat(remotePath).getSize();
        }
    }

    /**
     * An archived file's bytes from the start; {@code skip} moves the read position without transferring the bytes (the
     * player's ranges). Closing the stream closes the session.
     */
    public InputStream open(Target t, String remotePath) throws IOException {
        Connection c = new Connection(t);
        try {
            return new RemoteInput(c, c.sftp.open(remotePath, SftpClient.OpenMode.Read));
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Deletes an archived file; true when it was there. */
    public boolean delete(Target t, String remotePath) throws IOException {
        try (Connection c = new Connection(t)) {
            c.sftp.remove(remotePath);
            return true;
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) return false;
            throw e;
        }
    }

    private static void mkdirs(SftpClient sftp, String dir) throws IOException {
        if (dir == null || dir.isEmpty() || dir.equals("/")) return;
        try {
            if (sftp.stat(dir).isDirectory()) return;
        } catch (SftpException e) {
            if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) throw e;
        }
        mkdirs(sftp, parent(dir));
        sftp.mkdir(dir);
    }

    private static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? (i == 0 ? "/" : "") : path.substring(0, i);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a remote file by offset: reads fetch at the current offset, a skip only moves it. */
    private static final class RemoteInput extends InputStream {
        private final Connection c;
        private final SftpClient.CloseableHandle handle;
        private final long size;
        private long offset;

        RemoteInput(Connection c, SftpClient.CloseableHandle handle) throws IOException {
            this.c = c;
            this.handle = handle;
            this.size = c.sftp.stat(handle).getSize();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (offset >= size) return -1;
            int n = c.sftp.read(handle, offset, b, off, (int) Math.min(len, Math.min(size - offset, 32 * 1024)));
            if (n <= 0) return -1;
            offset += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, size - offset));
            offset += k;
            return k;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, size - offset);
        }

        @Override
        public void close() throws IOException {
            try {
                handle.close();
            } finally {
                c.close();
            }
        }
    }

    @Override
    public void close() throws IOException {
        client.stop();
        client.close();
    }
}
