package io.streammanager.composition.api;

import static io.streammanager.bus.testing.TestApiTokens.as;
import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.ThumbnailEntry;
import io.streammanager.composition.testing.RedisAndShmResource;
import jakarta.inject.Inject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The thumbnail API over a real Redis, with JPEGs put where the encoder puts them (same key helper and entry
 * format): the latest with its capture time, rescaled on request, the rolling set and one of it by capture time,
 * and the 400s and 404s.
 */
@QuarkusTest
@WithTestResource(RedisAndShmResource.class)
class ThumbnailResourceTest {

    private static final long OLDER_MS = 1_700_000_000_000L;
    private static final long NEWER_MS = OLDER_MS + 5_000;

    @Inject
    RedisDataSource redis;

    private final List<String> tokens = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        StreamResourceTest.deleteAll();
        redis.key().keys(RedisKeys.PREFIX + "thumbnail*").forEach(key -> redis.key().del(key));
        tokens.forEach(id -> asAdmin().delete("/api/v1/tokens/" + id));
    }

    @Test
    void theLatestComesWithItsCaptureTimeUncachedAndRescaledWhenAskedNarrower() throws IOException {
        String id = StreamResourceTest.create("thumbs-latest");
        byte[] older = jpeg(Color.RED);
        byte[] newer = jpeg(Color.BLUE);
        put(id, OLDER_MS, older);
        put(id, NEWER_MS, newer);

        Response latest = asAdmin().get("/api/v1/streams/" + id + "/thumbnail.jpg");
        latest.then().statusCode(200).contentType("image/jpeg")
                .header("X-Capture-Time", Long.toString(NEWER_MS))
                .header("Cache-Control", "no-cache")
                .header("Last-Modified", "Tue, 14 Nov 2023 22:13:25 GMT");
        assertArrayEquals(newer, latest.asByteArray(), "the newest JPEG as stored");

        byte[] small = asAdmin().queryParam("width", 320).get("/api/v1/streams/" + id + "/thumbnail.jpg")
                .then().statusCode(200).contentType("image/jpeg").extract().asByteArray();
        BufferedImage scaled = ImageIO.read(new ByteArrayInputStream(small));
        assertNotNull(scaled);
        assertEquals(320, scaled.getWidth());
        assertEquals(180, scaled.getHeight(), "aspect kept");
        int rgb = scaled.getRGB(160, 90);
        assertTrue((rgb & 0xff) > 200 && ((rgb >> 16) & 0xff) < 50, "still the blue picture: " + Integer.toHexString(rgb));

        byte[] wide = asAdmin().queryParam("width", 1920).get("/api/v1/streams/" + id + "/thumbnail.jpg")
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(newer, wide, "never upscaled: wider than stored is the stored picture");

        // a viewer may look
        String viewer = viewerToken();
        as(viewer).get("/api/v1/streams/" + id + "/thumbnail.jpg").then().statusCode(200);
        RestAssured.given().get("/api/v1/streams/" + id + "/thumbnail.jpg").then().statusCode(401);
    }

    @Test
    void aBadWidthIs400NamingIt() {
        String id = StreamResourceTest.create("thumbs-width");
        put(id, NEWER_MS, jpeg(Color.GREEN));
        for (String width : List.of("abc", "0", "-5", "15", "4097", "1.5", "")) {
            asAdmin().queryParam("width", width).get("/api/v1/streams/" + id + "/thumbnail.jpg")
                    .then().statusCode(400).contentType(ContentType.JSON)
                    .body("field", equalTo("width")).body("message", containsString("pixels"));
        }
        asAdmin().get("/api/v1/streams/" + id + "/thumbnails/yesterday.jpg")
                .then().statusCode(400).body("field", equalTo("captureTime"));
    }

    @Test
    void noThumbnailYetAndAnUnknownStreamAre404WithAClearMessage() {
        String id = StreamResourceTest.create("thumbs-none");
        asAdmin().get("/api/v1/streams/" + id + "/thumbnail.jpg")
                .then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("no thumbnail")).body("message", containsString("no thumbnail yet"));
        asAdmin().get("/api/v1/streams/" + id + "/thumbnails").then().statusCode(200).body("size()", equalTo(0));

        // listed, but its JPEG expired: 404, not an empty 200
        redis.sortedSet(String.class).zadd(RedisKeys.thumbnails(id), NEWER_MS,
                new ThumbnailEntry(NEWER_MS, 640, 360, 1234).member());
        asAdmin().get("/api/v1/streams/" + id + "/thumbnail.jpg").then().statusCode(404);

        for (String path : List.of("/thumbnail.jpg", "/thumbnails", "/thumbnails/" + NEWER_MS + ".jpg")) {
            asAdmin().get("/api/v1/streams/nosuchstream1" + path)
                    .then().statusCode(404).body("error", equalTo("stream not found"));
        }
    }

    @Test
    void theRollingSetIsListedNewestFirstAndEachIsServedByItsCaptureTime() {
        String id = StreamResourceTest.create("thumbs-list");
        byte[] older = jpeg(Color.RED);
        byte[] newer = jpeg(Color.WHITE);
        put(id, OLDER_MS, older);
        put(id, NEWER_MS, newer);

        asAdmin().get("/api/v1/streams/" + id + "/thumbnails").then().statusCode(200)
                .body("size()", equalTo(2))
                .body("[0].captureTimeMs", equalTo(NEWER_MS))
                .body("[0].width", equalTo(640)).body("[0].height", equalTo(360))
                .body("[0].bytes", equalTo(newer.length))
                .body("[0].url", equalTo("/api/v1/streams/" + id + "/thumbnails/" + NEWER_MS + ".jpg"))
                .body("[1].captureTimeMs", equalTo(OLDER_MS))
                .body("[1].captureTime", equalTo("2023-11-14T22:13:20Z"));

        byte[] served = asAdmin().get("/api/v1/streams/" + id + "/thumbnails/" + OLDER_MS + ".jpg")
                .then().statusCode(200).contentType("image/jpeg")
                .header("X-Capture-Time", Long.toString(OLDER_MS))
                .extract().asByteArray();
        assertArrayEquals(older, served);
        asAdmin().get("/api/v1/streams/" + id + "/thumbnails/" + (OLDER_MS + 1) + ".jpg")
                .then().statusCode(404).body("message", containsString("newest few"));
    }

    private void put(String id, long captureMs, byte[] jpeg) {
        redis.value(byte[].class).psetex(RedisKeys.thumbnail(id, captureMs), Duration.ofMinutes(1).toMillis(), jpeg);
        redis.sortedSet(String.class).zadd(RedisKeys.thumbnails(id), captureMs,
                new ThumbnailEntry(captureMs, 640, 360, jpeg.length).member());
    }

    private String viewerToken() {
        Response created = asAdmin().contentType(ContentType.JSON).body("{\"role\":\"viewer\"}").post("/api/v1/tokens");
        created.then().statusCode(201);
        tokens.add(created.path("id"));
        return created.path("token");
    }

    private static byte[] jpeg(Color colour) {
        BufferedImage image = new BufferedImage(640, 360, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(colour);
        graphics.fillRect(0, 0, 640, 360);
        graphics.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            assertTrue(ImageIO.write(image, "jpeg", bytes));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }
}
