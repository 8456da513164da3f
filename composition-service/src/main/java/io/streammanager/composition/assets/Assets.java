package io.streammanager.composition.assets;

import io.streammanager.composition.config.CompositionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Uploads, checks and deletes assets. An upload is read in chunks and counted as it arrives: past
 * {@code composition.assets.max-bytes} it is refused at once, without reading (or buffering) the rest. Up to the
 * Redis limit it is held in memory; beyond, it is spooled to a hidden part file in the asset directory (refused if
 * there is none). Only a file that decodes is stored; on any failure the part file is removed, so nothing partial
 * remains.
 */
@ApplicationScoped
public class Assets {

    private static final Logger LOG = Logger.getLogger(Assets.class);
    private static final int CHUNK = 64 * 1024;

    private final AssetStore store;
    private final AssetUsers users;
    private final long maxBytes;
    private final long redisMaxBytes;

    public Assets(AssetStore store, AssetUsers users, CompositionConfig config) {
        this.store = store;
        this.users = users;
        this.maxBytes = config.assets().maxBytes().asLongValue();
        this.redisMaxBytes = config.assets().redisMaxBytes().asLongValue();
    }

    public Asset upload(InputStream body, String contentType, Long declaredLength) {
        String type = MediaTypes.bare(contentType);
        if (!MediaTypes.supported(type)) {
            throw new InvalidAssetException("Content-Type", "must be one of image/png, image/jpeg, image/webp, "
                    + "image/gif, video/mp4, video/webm, audio/mpeg, audio/aac, audio/mp4, audio/ogg, audio/wav (was '"
                    + type + "')");
        }
        checkDeclaredLength(declaredLength);
        String id = AssetIds.next();
        Path part = null;
        OutputStream spool = null;
        try {
            ByteArrayOutputStream memory = new ByteArrayOutputStream();
            OutputStream sink = memory;
            byte[] chunk = new byte[CHUNK];
            long total = 0;
            for (int n; (n = body.read(chunk)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(total);
                }
                if (part == null && total > redisMaxBytes) {
                    part = spoolFile(id, total);
                    spool = Files.newOutputStream(part);
                    sink = spool;
                    memory.writeTo(sink);
                    memory = null;
                }
                sink.write(chunk, 0, n);
            }
            sink.close();
            spool = null;
            if (total == 0) {
                throw new InvalidAssetException("body", "is empty");
            }
            Asset asset = part == null ? storeSmall(id, type, memory.toByteArray()) : storeLarge(id, type, part, total);
            part = null; // moved into place
            LOG.infof("asset %s: stored %s, %d bytes, %dx%d, in %s", asset.id(), asset.type(), asset.bytes(),
                    asset.width(), asset.height(), asset.storedIn());
            return asset;
        } catch (IOException e) {
            throw new InvalidAssetException("body", "could not be read completely: " + e.getMessage());
        } finally {
            closeQuietly(spool);
            if (part != null) {
                deleteQuietly(part);
            }
        }
    }

    private Asset storeSmall(String id, String type, byte[] data) {
        requireSignature(type, data, data.length);
        Asset asset = describe(id, type, data, null, data.length);
        store.saveInRedis(asset, data);
        return asset;
    }

    private Asset storeLarge(String id, String type, Path part, long total) throws IOException {
        byte[] head = new byte[16];
        int headLength;
        try (InputStream in = Files.newInputStream(part)) {
            headLength = in.readNBytes(head, 0, head.length);
        }
        requireSignature(type, head, headLength);
        byte[] data = MediaTypes.IMAGES.containsKey(type) ? Files.readAllBytes(part) : null;
        Asset asset = describe(id, type, data, part, total);
        store.saveInDir(asset, part);
        return asset;
    }

    private Asset describe(String id, String type, byte[] data, Path file, long total) {
        String storedIn = file == null ? Asset.IN_REDIS : Asset.IN_DIR;
        long now = System.currentTimeMillis();
        if (MediaTypes.IMAGES.containsKey(type)) {
            var image = MediaDecoding.decodeImage(data, type);
            return new Asset(id, type, image.getWidth(), image.getHeight(), 0, total, now, storedIn);
        }
        if (MediaTypes.SOUNDS.containsKey(type)) {
            long durationMs = MediaDecoding.probeSound(data, file, type);
            return new Asset(id, type, 0, 0, durationMs, total, now, storedIn);
        }
        MediaDecoding.VideoInfo video = MediaDecoding.probeVideo(data, file, type);
        return new Asset(id, type, video.width(), video.height(), video.durationMs(), total, now, storedIn);
    }

    private static void requireSignature(String type, byte[] head, int length) {
        if (!MediaTypes.signatureMatches(type, head, length)) {
            throw new InvalidAssetException("body", "is not a " + type + " file (its first bytes do not match)");
        }
    }

    private Path spoolFile(String id, long reached) throws IOException {
        Optional<Path> dir = store.dir();
        if (dir.isEmpty()) {
            throw new InvalidAssetException("body", "is larger than " + redisMaxBytes + " bytes (read " + reached
                    + " so far), the most kept in Redis, and no composition.assets.dir is configured for larger files");
        }
        Files.createDirectories(dir.get());
        return Files.createFile(dir.get().resolve("." + id + ".part"));
    }

    /** Refuses an upload whose declared length is already over the limit, before a byte of it is read. */
    public void checkDeclaredLength(Long declaredLength) {
        if (declaredLength != null && declaredLength > maxBytes) {
            throw tooLarge(declaredLength);
        }
    }

    private InvalidAssetException tooLarge(long bytes) {
        return new InvalidAssetException("body", "is too large: " + bytes + " bytes"
                + " exceeds composition.assets.max-bytes=" + maxBytes);
    }

    public List<Asset> all() {
        return store.all();
    }

    public Asset get(String id) {
        return store.find(id).orElseThrow(() -> new AssetNotFoundException(id));
    }

    public void delete(String id) {
        Asset asset = get(id);
        List<String> using = users.streamsUsing(id);
        if (!using.isEmpty()) {
            throw new AssetInUseException(id, using);
        }
        store.delete(asset);
        LOG.infof("asset %s: deleted", id);
    }

    private static void closeQuietly(OutputStream spool) {
        if (spool != null) {
            try {
                spool.close();
            } catch (IOException e) {
                LOG.debugf("closing a refused upload's part file: %s", e.getMessage());
            }
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warnf("could not remove the partial upload %s: %s", path, e.getMessage());
        }
    }
}
