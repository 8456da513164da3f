package io.streammanager.composition.scene;

import java.util.ArrayList;
import java.util.List;

/**
 * A text layer's string with its placeholders parsed once: {@code {clock}} (capture time, UTC HH:mm:ss.SSS),
 * {@code {frame}} (frame index) and {@code {name}} (stream name). Anything else in braces is literal text.
 * Resolving appends into a caller's reusable {@link StringBuilder}.
 */
public final class TextTemplate {

    private enum Kind { LITERAL, CLOCK, FRAME, NAME }

    private record Part(Kind kind, String literal) {
    }

    private final List<Part> parts;
    private final boolean dynamic;

    private TextTemplate(List<Part> parts) {
        this.parts = List.copyOf(parts);
        this.dynamic = parts.stream().anyMatch(p -> p.kind == Kind.CLOCK || p.kind == Kind.FRAME);
    }

    public static TextTemplate parse(String text) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            Kind placeholder = placeholderAt(text, i);
            if (placeholder == null) {
                literal.append(text.charAt(i++));
                continue;
            }
            if (!literal.isEmpty()) {
                parts.add(new Part(Kind.LITERAL, literal.toString()));
                literal.setLength(0);
            }
            parts.add(new Part(placeholder, null));
            i = text.indexOf('}', i) + 1;
        }
        if (!literal.isEmpty()) {
            parts.add(new Part(Kind.LITERAL, literal.toString()));
        }
        return new TextTemplate(parts);
    }

    /** True when the text changes from frame to frame (it shows the clock or the frame number). */
    public boolean dynamic() {
        return dynamic;
    }

    public void resolve(FrameContext context, StringBuilder out) {
        out.setLength(0);
        for (Part part : parts) {
            switch (part.kind) {
                case LITERAL -> out.append(part.literal);
                case CLOCK -> appendUtcClock(context.captureEpochUs() / 1000, out);
                case FRAME -> out.append(context.frameIndex());
                case NAME -> out.append(context.streamName());
            }
        }
    }

    static void appendUtcClock(long epochMs, StringBuilder out) {
        long msOfDay = Math.floorMod(epochMs, 86_400_000L);
        appendPadded(out, msOfDay / 3_600_000, 2).append(':');
        appendPadded(out, msOfDay / 60_000 % 60, 2).append(':');
        appendPadded(out, msOfDay / 1000 % 60, 2).append('.');
        appendPadded(out, msOfDay % 1000, 3);
    }

    private static StringBuilder appendPadded(StringBuilder out, long value, int digits) {
        for (long limit = 10; digits > 1; digits--, limit *= 10) {
            if (value < limit) {
                out.append('0');
            }
        }
        return out.append(value);
    }

    private static Kind placeholderAt(String text, int index) {
        if (text.startsWith("{clock}", index)) {
            return Kind.CLOCK;
        }
        if (text.startsWith("{frame}", index)) {
            return Kind.FRAME;
        }
        if (text.startsWith("{name}", index)) {
            return Kind.NAME;
        }
        return null;
    }
}
