import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The pipeline pods' init container (deploy/helm, k8s): makes the node's ring directory (a hostPath, which the
 * kubelet creates owned by root, and which fsGroup does not reach) writable for the services' non-root user.
 * Usage: RingDirectory DIR UID GID. Compiled by build/images.sh into every service image (/opt/tools), because the
 * images carry no shell and no chown; it needs only CAP_CHOWN and CAP_FOWNER.
 */
public class RingDirectory {
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: RingDirectory DIR UID GID");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        // mode first: once the directory belongs to the user, changing it would need CAP_FOWNER on its own
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
        Files.setAttribute(dir, "unix:gid", Integer.parseInt(args[2]));
        Files.setAttribute(dir, "unix:uid", Integer.parseInt(args[1]));
        System.out.println("ring directory " + dir + " owned by " + args[1] + ":" + args[2] + ", mode 0770");
    }
}
