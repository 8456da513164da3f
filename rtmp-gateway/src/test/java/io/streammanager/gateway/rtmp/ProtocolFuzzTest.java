package io.streammanager.gateway.rtmp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of the chunk decoder, the AMF0 reader and the handshake (targets in {@link ProtocolFuzzTargets}).
 *
 * <p>In the normal suite Jazzer replays the kept inputs in {@code ProtocolFuzzTestInputs/<method>/} (valid streams
 * as seeds, and every input that ever failed), and the seeded tests below run a short, repeatable mutation pass over
 * the same seeds. {@code bench/fuzz.sh} (JAZZER_FUZZ=1) runs coverage-guided fuzzing for longer.
 */
class ProtocolFuzzTest {

    private static final Duration SEEDED_PASS_LIMIT = Duration.ofSeconds(60);

    @FuzzTest(maxDuration = "3m")
    void chunkDecoder(byte[] input) {
        ProtocolFuzzTargets.chunkDecoder(input);
    }

    @FuzzTest(maxDuration = "3m")
    void amf0Reader(byte[] input) {
        ProtocolFuzzTargets.amf0Reader(input);
    }

    @FuzzTest(maxDuration = "3m")
    void handshake(byte[] input) {
        ProtocolFuzzTargets.handshake(input);
    }

    @Test
    void mutatedChunkStreamsOnlyRaiseProtocolErrors() {
        mutate("chunkDecoder", ProtocolFuzzTargets::chunkDecoder);
    }

    @Test
    void mutatedAmf0ValuesOnlyRaiseProtocolErrors() {
        mutate("amf0Reader", ProtocolFuzzTargets::amf0Reader);
    }

    @Test
    void mutatedHandshakesOnlyRaiseProtocolErrors() {
        mutate("handshake", ProtocolFuzzTargets::handshake);
    }

    /**
     * Feeds byte flips, truncations, splices and random bytes derived from the kept inputs of {@code method};
     * {@code -Dfuzz.seed=N -Dfuzz.rounds=M} explore further, the default stays short and repeatable.
     */
    private static void mutate(String method, Consumer<byte[]> target) {
        List<byte[]> seeds = keptInputs(method);
        assertFalse(seeds.isEmpty(), "no kept inputs for " + method);
        long seed = Long.getLong("fuzz.seed", 20261124L);
        int rounds = Integer.getInteger("fuzz.rounds", 20000);
        Random random = new Random(seed);
        assertTimeoutPreemptively(SEEDED_PASS_LIMIT, () -> {
            for (int round = 0; round < rounds; round++) {
                byte[] input = mutation(random, seeds);
                try {
                    target.accept(input);
                } catch (Throwable e) {
                    fail(method + " seed " + seed + " round " + round + ": " + e + " for input "
                            + ByteBufUtil.hexDump(input), e);
                }
            }
        }, () -> method + ": seeded pass of " + rounds + " rounds took longer than " + SEEDED_PASS_LIMIT
                + " (a hang?)");
    }

    private static byte[] mutation(Random random, List<byte[]> seeds) {
        byte[] base = seeds.get(random.nextInt(seeds.size())).clone();
        switch (random.nextInt(5)) {
            case 0 -> { // random bytes
                byte[] noise = new byte[random.nextInt(64)];
                random.nextBytes(noise);
                return noise;
            }
            case 1 -> { // truncation
                return Arrays.copyOf(base, base.length == 0 ? 0 : random.nextInt(base.length));
            }
            case 2 -> { // splice two seeds
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int cut = base.length == 0 ? 0 : random.nextInt(base.length);
                byte[] spliced = Arrays.copyOf(base, cut + other.length);
                System.arraycopy(other, 0, spliced, cut, other.length);
                return spliced;
            }
            default -> { // a few byte flips, often on the interesting ones (sizes, markers, 0xFF)
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips && base.length > 0; i++) {
                    int at = random.nextInt(base.length);
                    base[at] = switch (random.nextInt(4)) {
                        case 0 -> (byte) 0xFF;
                        case 1 -> 0;
                        default -> (byte) random.nextInt(256);
                    };
                }
                return base;
            }
        }
    }

    private static List<byte[]> keptInputs(String method) {
        URL dir = ProtocolFuzzTest.class.getResource("ProtocolFuzzTestInputs/" + method);
        if (dir == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.sorted().map(ProtocolFuzzTest::bytes).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
