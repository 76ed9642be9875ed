package dev.hotline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/** REC-2 tests: an in-process SFTP server (Apache MINA SSHD) on a random port, serving {@code root} to one user and password. */
public final class SftpTestServer implements AutoCloseable {
    private final SshServer sshd;
    private final Path root;

    private SftpTestServer(SshServer sshd, Path root) {
        this.sshd = sshd;
        this.root = root;
    }

    public static SftpTestServer start(Path root, String user, String password) {
        SshServer s = SshServer.setUpDefaultServer();
        s.setHost("127.0.0.1");
        s.setPort(0);
        s.setKeyPairProvider(new SimpleGeneratorHostKeyProvider());
        s.setPasswordAuthenticator((u, p, session) -> user.equals(u) && password.equals(p));
        s.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        s.setFileSystemFactory(new VirtualFileSystemFactory(root));
        try {
            s.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SftpTestServer(s, root);
    }

    public int port() {
        return sshd.getPort();
    }

    /** Where a remote path (absolute, as the client sees it) is on disk. */
    public Path file(String remotePath) {
        return root.resolve(remotePath.startsWith("/") ? remotePath.substring(1) : remotePath);
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }
}
