package io.streammanager.composition.api;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.streammanager.bus.testing.TestApiTokens;
import io.streammanager.composition.config.CompositionConfig;
import io.streammanager.composition.testing.RedisAndShmResource;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisAndShmResource.class)
class AssetResourceTest {

    @Inject
    CompositionConfig config;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @AfterEach
    void cleanUp() {
        deleteStreamsAndAssets();
    }

    /** Deletes every stream, then every asset (which a running stream would keep in use). */
    static void deleteStreamsAndAssets() {
        StreamResourceTest.deleteAll();
        List<String> ids = asAdmin().get("/api/v1/assets").then().statusCode(200).extract().path("id");
        ids.forEach(id -> asAdmin().delete("/api/v1/assets/" + id).then().statusCode(204));
    }

    /** A PNG with an alpha channel: opaque red on the left half, transparent on the right. */
    static byte[] png(int width, int height, boolean noise) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = noise ? random.nextInt() | 0xFF000000 : (x < width / 2 ? 0xFFFF0000 : 0x00000000);
                image.setRGB(x, y, rgb);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    static String upload(byte[] data, String type) {
        return asAdmin().contentType(type).body(data).when().post("/api/v1/assets")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void aPngIsStoredAndDescribed() throws IOException {
        byte[] logo = png(64, 32, false);
        String id = asAdmin().contentType("image/png").body(logo).when().post("/api/v1/assets")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/assets/"))
                .body("type", equalTo("image/png"))
                .body("width", equalTo(64))
                .body("height", equalTo(32))
                .body("durationMs", equalTo(0))
                .body("bytes", equalTo(logo.length))
                .body("$", not(org.hamcrest.Matchers.hasKey("storedIn")))
                .extract().path("id");
        asAdmin().get("/api/v1/assets/" + id).then().statusCode(200).body("width", equalTo(64));
        asAdmin().get("/api/v1/assets").then().statusCode(200).body("id", hasItem(id));
    }

    /** Makes a file with the ffmpeg CLI (an independent encoder) into target/ and returns its bytes. */
    static byte[] ffmpegFile(String name, String... arguments) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "asset-test-files"));
        Path file = dir.resolve(name);
        List<String> command = new java.util.ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(arguments));
        command.add(file.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        byte[] data = Files.readAllBytes(file);
        Files.delete(file);
        return data;
    }

    @Test
    void webpAndMp4AreProbedWithFfmpeg() throws Exception {
        byte[] webp = ffmpegFile("logo.webp", "-f", "lavfi", "-i", "color=c=red:s=48x24", "-frames:v", "1",
                "-c:v", "libwebp");
        asAdmin().contentType("image/webp").body(webp).when().post("/api/v1/assets")
                .then().statusCode(201).body("width", equalTo(48)).body("height", equalTo(24));
        byte[] mp4 = ffmpegFile("clip.mp4", "-f", "lavfi", "-i", "color=c=green:s=160x120:r=25", "-t", "2",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart");
        asAdmin().contentType("video/mp4").body(mp4).when().post("/api/v1/assets")
                .then().statusCode(201).body("type", equalTo("video/mp4")).body("width", equalTo(160))
                .body("height", equalTo(120)).body("durationMs", equalTo(2000));
        asAdmin().contentType("video/mp4").body(Arrays.copyOf(mp4, mp4.length / 3)).when().post("/api/v1/assets")
                .then().statusCode(400).body("message", containsString("video/mp4"));
    }

    @Test
    void aMultipartFormUploadIsTakenToo() throws IOException {
        byte[] logo = png(32, 16, false);
        asAdmin().multiPart("file", "logo.png", logo, "image/png").when().post("/api/v1/assets")
                .then().statusCode(201).body("type", equalTo("image/png")).body("width", equalTo(32))
                .body("bytes", equalTo(logo.length));
        asAdmin().multiPart("other", "logo.png", logo, "image/png").when().post("/api/v1/assets")
                .then().statusCode(400).body("field", equalTo("file"));
    }

    @Test
    void aTruncatedPngIsRefusedNamingTheProblemAndNothingIsStored() throws IOException {
        byte[] logo = png(64, 32, false);
        asAdmin().contentType("image/png").body(Arrays.copyOf(logo, logo.length / 2)).when().post("/api/v1/assets")
                .then().statusCode(400)
                .body("field", equalTo("body"))
                .body("message", containsString("truncated"));
        asAdmin().get("/api/v1/assets").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aBodyThatIsNotWhatItsTypeSaysIsRefused() {
        asAdmin().contentType("image/png").body("GIF89a not a png at all".getBytes(StandardCharsets.US_ASCII))
                .when().post("/api/v1/assets")
                .then().statusCode(400).body("message", containsString("not a image/png file"));
        asAdmin().contentType("application/pdf").body(new byte[] {1, 2, 3}).when().post("/api/v1/assets")
                .then().statusCode(400).body("field", equalTo("Content-Type"));
    }

    @Test
    void aPictureAboveTheRedisLimitGoesToTheAssetDirectory() throws IOException {
        byte[] big = png(400, 400, true);
        assertTrue(big.length > config.assets().redisMaxBytes().asLongValue(), "test picture too small");
        String id = upload(big, "image/png");
        Path dir = config.assets().dir().orElseThrow();
        assertTrue(Files.exists(dir.resolve(id)));
        asAdmin().get("/api/v1/assets/" + id).then().statusCode(200).body("bytes", equalTo(big.length));
    }

    @Test
    void anUploadLargerThanTheLimitIsRefusedWhileStreamingAndLeavesNoPartFile() throws Exception {
        long limit = config.assets().maxBytes().asLongValue();
        String answer = rawUpload("Transfer-Encoding: chunked", out -> {
            byte[] chunk = new byte[64 * 1024];
            byte[] head = png(8, 8, false);
            System.arraycopy(head, 0, chunk, 0, head.length);
            for (long sent = 0; sent < 4 * limit; sent += chunk.length) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        assertTrue(answer.startsWith("HTTP/1.1 400") && answer.contains("too large"), answer);
        try (Stream<Path> left = Files.list(config.assets().dir().orElseThrow())) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
        }
    }

    /**
     * A client announcing a 1 GB body is answered after sending a sliver of it: the limit is checked on the
     * declared length before the body is read, never after buffering it.
     */
    @Test
    void aOneGigabyteUploadIsRefusedWithoutBeingRead() throws Exception {
        String answer = rawUpload("Content-Length: " + (1L << 30), out -> {
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 16_384; i++) {
                out.write(chunk);
            }
        });
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.contains("\"field\":\"body\"") && answer.contains("composition.assets.max-bytes"), answer);
    }

    /** The status line, headers and body of one HTTP/1.1 answer (with a Content-Length). */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Sends an upload on a plain socket from another thread while this one waits for the answer, which a server
     * that refuses early sends before the body is complete (an HTTP client library would fail on the broken pipe
     * instead of reading it). Returns the start of the answer.
     */
    private String rawUpload(String lengthHeader, BodyWriter body) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            String request = "POST /api/v1/assets HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + TestApiTokens.ADMIN + "\r\n"
                    + "Content-Type: image/png\r\n" + lengthHeader + "\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            Thread sender = Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    body.write(out);
                    out.flush();
                } catch (IOException e) {
                    // the server stopped reading: expected once it has refused the upload
                }
            });
            String answer = readAnswer(socket.getInputStream());
            socket.close();
            sender.join(10_000);
            return answer;
        }
    }

    @Test
    void anAssetCannotBeDeletedWhileARunningSceneShowsIt() throws IOException {
        String id = upload(png(64, 32, false), "image/png");
        asAdmin().contentType(ContentType.JSON).body(streamWithImage("logo-user", "asset:" + id))
                .when().post("/api/v1/streams").then().statusCode(201);
        asAdmin().delete("/api/v1/assets/" + id).then().statusCode(409)
                .body("message", containsString("used by running stream"));
        StreamResourceTest.deleteAll();
        asAdmin().delete("/api/v1/assets/" + id).then().statusCode(204);
        asAdmin().get("/api/v1/assets/" + id).then().statusCode(404);
    }

    @Test
    void anImageUrlToTheCloudMetadataAddressIsRefused() {
        asAdmin().contentType(ContentType.JSON)
                .body(streamWithImage("ssrf", "http://169.254.169.254/latest/meta-data/iam.png"))
                .when().post("/api/v1/streams").then().statusCode(400)
                .body("field", equalTo("scene.layers[1].source"))
                .body("message", containsString("link-local"));
    }

    @Test
    void aSceneNamingAMissingAssetIsRefused() {
        asAdmin().contentType(ContentType.JSON).body(streamWithImage("missing", "asset:a0000000000000000"))
                .when().post("/api/v1/streams").then().statusCode(400)
                .body("field", equalTo("scene.layers[1].source"))
                .body("message", containsString("no asset"));
    }

    static String streamWithImage(String name, String source) {
        return """
                {"name":"%s","video":{"width":320,"height":240,"fps":25},
                 "scene":{"layers":[{"type":"background","color":"#0000ff"},
                   {"type":"image","id":"logo","source":"%s","x":10,"y":10,"width":64,"height":32}]}}
                """.formatted(name, source);
    }
}
