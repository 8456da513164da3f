package io.streammanager.composition.sources;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.composition.stream.InvalidSpecException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UrlPolicyTest {

    private final UrlPolicy defaults = new UrlPolicy(List.of(), List.of(), true);

    @Test
    void theCloudMetadataAddressIsRefusedNamingTheFieldAndTheKindOfAddress() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> defaults.check(
                "scene.layers[1].source", "http://169.254.169.254/latest/meta-data/", UrlPolicy.IMAGE_SCHEMES));
        assertEquals("scene.layers[1].source", e.field());
        assertTrue(e.reason().contains("169.254.169.254") && e.reason().contains("link-local"), e.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtmp://127.0.0.1/live/a", "rtmp://localhost/live/a", "http://10.1.2.3/x.m3u8",
            "srt://192.168.1.10:9000", "http://172.16.0.1/", "http://[::1]/a", "http://[fd00::1]/a",
            "http://100.64.0.1/a", "http://0.0.0.0/a", "http://[::ffff:10.0.0.1]/a", "http://[fe80::1]/a"})
    void internalAddressesAreRefusedByDefault(String url) {
        assertThrows(InvalidSpecException.class, () -> defaults.check("f", url, UrlPolicy.VIDEO_SCHEMES));
    }

    @Test
    void publicAddressesPassByDefaultAndCanBeSwitchedOff() {
        assertDoesNotThrow(() -> defaults.check("f", "rtmp://93.184.216.34/live/a", UrlPolicy.VIDEO_SCHEMES));
        UrlPolicy closed = new UrlPolicy(List.of(), List.of(), false);
        assertThrows(InvalidSpecException.class,
                () -> closed.check("f", "rtmp://93.184.216.34/live/a", UrlPolicy.VIDEO_SCHEMES));
    }

    @Test
    void theConfiguredGatewayHostAndRangesAreAllowed() {
        UrlPolicy local = new UrlPolicy(List.of("127.0.0.1"), List.of("10.20.0.0/16"), true);
        assertDoesNotThrow(() -> local.check("f", "rtmp://127.0.0.1:1935/live/cam", UrlPolicy.VIDEO_SCHEMES));
        assertDoesNotThrow(() -> local.check("f", "rtmp://10.20.3.4/live/cam", UrlPolicy.VIDEO_SCHEMES));
        assertThrows(InvalidSpecException.class,
                () -> local.check("f", "rtmp://10.21.3.4/live/cam", UrlPolicy.VIDEO_SCHEMES));
        assertThrows(InvalidSpecException.class,
                () -> local.check("f", "http://169.254.169.254/", UrlPolicy.IMAGE_SCHEMES));
    }

    @Test
    void schemesOutsideTheListAreRefused() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> defaults.check("f", "file:///etc/passwd", UrlPolicy.VIDEO_SCHEMES));
        assertTrue(e.reason().contains("must use one of"), e.reason());
        assertThrows(InvalidSpecException.class,
                () -> defaults.check("f", "rtmp://93.184.216.34/live/a", UrlPolicy.IMAGE_SCHEMES));
    }
}
