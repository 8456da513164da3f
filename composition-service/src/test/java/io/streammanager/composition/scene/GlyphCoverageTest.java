package io.streammanager.composition.scene;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A text redrawn from its first changed glyph on comes out exactly as the same text drawn afresh. */
class GlyphCoverageTest {

    @Test
    void aRedrawFromTheFirstChangedGlyphEqualsAFullDraw() {
        List<String> texts = List.of("Stream Manager 07:53:36.123", "Stream Manager 07:53:36.156",
                "Stream Manager 07:53:36.189", "Stream Manager 07:53:37.002", "Stream Manager 07:59:59.999",
                "Stream Manager 08:00:00.032", "Stream Manager", "Stream Manager 08:00:00.065 and more",
                "Stream Wanager fij", "Stream Wanager fjj", "", "jjj", "jjjW", "Stream Manager 07:53:36.123");
        try (GlyphCoverage incremental = new GlyphCoverage(40, 900, 100)) {
            for (String text : texts) {
                incremental.update(text);
                try (GlyphCoverage fresh = new GlyphCoverage(40, 900, 100)) {
                    fresh.update(text);
                    assertEquals(fresh.textWidth(), incremental.textWidth(), text);
                    assertArrayEquals(fresh.coverage(), incremental.coverage(), "luma coverage of '" + text + "'");
                    int chromaCols = fresh.textWidth() / 2;
                    for (int row = 0; row < fresh.height() / 2; row++) {
                        for (int col = 0; col < chromaCols; col++) {
                            int at = row * fresh.stride() / 2 + col;
                            assertEquals(fresh.chromaCoverage()[at], incremental.chromaCoverage()[at],
                                    "chroma of '" + text + "' at " + col + "," + row);
                        }
                    }
                    for (int row = 0; row < fresh.height(); row++) {
                        assertEquals(fresh.lumaSpans().from(row), incremental.lumaSpans().from(row), text + " row " + row);
                        assertEquals(fresh.lumaSpans().to(row), incremental.lumaSpans().to(row), text + " row " + row);
                        assertEquals(fresh.lumaSpans().opaque(row), incremental.lumaSpans().opaque(row));
                    }
                    for (int row = 0; row < fresh.height() / 2; row++) {
                        assertEquals(fresh.chromaSpans().from(row), incremental.chromaSpans().from(row));
                        assertEquals(fresh.chromaSpans().to(row), incremental.chromaSpans().to(row));
                    }
                }
                if (text.equals("Stream Manager 07:53:36.156")) {
                    assertTrue(incremental.redrawnFrom() > incremental.textWidth() * 3 / 4,
                            "a millisecond tick redraws the last digits only, from column " + incremental.redrawnFrom());
                }
            }
        }
    }

    @Test
    void spansHoldTheFirstAndLastCoveredColumnOfEachRow() {
        byte[] alpha = new byte[4 * 8];
        alpha[2] = 10;
        alpha[5] = (byte) 255;
        alpha[8 + 3] = (byte) 255;
        alpha[8 + 4] = (byte) 255;
        AlphaSpans spans = AlphaSpans.of(alpha, 8, 8, 4);
        assertEquals(2, spans.from(0));
        assertEquals(6, spans.to(0));
        assertEquals(false, spans.opaque(0));
        assertEquals(3, spans.from(1));
        assertEquals(5, spans.to(1));
        assertEquals(true, spans.opaque(1));
        assertEquals(spans.from(2), spans.to(2), "an empty row");
        alpha[5] = 0; // only columns 4.. changed: row 0's span now ends at its kept first column
        alpha[8 + 6] = 7;
        spans.update(alpha, 8, 8, 4, 4);
        assertEquals(2, spans.from(0));
        assertEquals(3, spans.to(0));
        assertEquals(3, spans.from(1));
        assertEquals(7, spans.to(1));
        assertEquals(false, spans.opaque(1));
    }
}
