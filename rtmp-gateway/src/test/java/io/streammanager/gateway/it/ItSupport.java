package io.streammanager.gateway.it;

import static io.restassured.RestAssured.given;

import io.quarkus.redis.datasource.RedisDataSource;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.Scope;
import io.streammanager.bus.control.StreamKeyRecord;
import io.streammanager.bus.control.StreamKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.TestInfo;

/** What the integration tests share: keys in Redis, polling with a deadline, metric reads, log directories. */
final class ItSupport {

    private ItSupport() {
    }

    /** A publish key for {@code streamName} written straight into Redis (stream id {@code id-<name>}). */
    static String createKey(RedisDataSource redis, String streamName) {
        String secret = StreamKeys.generate();
        StreamKeyRecord record = new StreamKeyRecord(streamName, Set.of(Scope.PUBLISH), "id-" + streamName, 0, false);
        redis.hash(String.class).hset(RedisKeys.streamKey(StreamKeys.hash(secret)), record.toMap());
        return secret;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** One series of /q/metrics, e.g. {@code rtmp_errors_total{category="limit"}}; 0 when absent. */
    static double metric(String series) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** target/it-logs/<test method>: client logs stay there for inspection after a failure. */
    static Path logDirectory(TestInfo test) throws IOException {
        return Files.createDirectories(Path.of("target", "it-logs", test.getTestMethod().orElseThrow().getName()));
    }

    static String url(int port, String name) {
        return "rtmp://127.0.0.1:" + port + "/live/" + name;
    }
}
