package io.streammanager.system;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The manifests run for real: {@code deploy/podman/play.sh} builds the images ({@code build/images.sh}), renders
 * the kustomize overlay and runs it under {@code podman kube play}; an independent player (the ffmpeg CLI) decodes
 * 150 frames of the demo from the gateway pod; SIGTERM takes everything down, and podman is left as it was found:
 * no container, pod, volume, network or secret more, nothing in the ring directory.
 */
class PodmanPlayIT {

    /** A cold run builds the base image and packages the services first (measured: about 3 min; warm about 2). */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration TEARDOWN_TIMEOUT = Duration.ofMinutes(2);
    private static final List<List<String>> PODMAN_STATE = List.of(
            List.of("ps", "-a", "--format", "{{.Names}}"),
            List.of("pod", "ls", "--format", "{{.Name}}"),
            List.of("volume", "ls", "--format", "{{.Name}}"),
            List.of("network", "ls", "--format", "{{.Name}}"),
            List.of("secret", "ls", "--format", "{{.Name}}"));

    private final Path workDir = Paths.get(System.getProperty("java.io.tmpdir"), "sm-play-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    private final Path shmDir = Paths.get("/dev/shm", "sm-play-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    private final List<String> output = new ArrayList<>();
    private Process play;

    @AfterEach
    void stopAndClean() throws InterruptedException {
        if (play != null && play.isAlive()) {
            play.toHandle().destroy(); // SIGTERM: play.sh takes its pods down
            if (!play.waitFor(TEARDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                play.destroyForcibly();
            }
        }
        LocalStack.deleteTree(shmDir);
        LocalStack.deleteTree(workDir);
    }

    @Test
    void demoPlaysFromTheGatewayPodAndTeardownLeavesNothingBehind() throws Exception {
        assertEquals(0L, new com.sun.security.auth.module.UnixSystem().getUid(),
                "podman kube play with hostPath volumes and image builds need root here (build/images.sh installs the tools)");
        Map<String, String> before = podmanState();

        long start = System.nanoTime();
        String url = startPlay();
        long readyMs = (System.nanoTime() - start) / 1_000_000;
        System.out.println("PodmanPlayIT: READY " + url + " after " + readyMs + " ms (images built, pods ready, demo live)");

        try (FfmpegPlayer player = FfmpegPlayer.play(url, 150)) {
            assertTrue(player.awaitFrames(150, Duration.ofSeconds(90)),
                    () -> "fewer than 150 frames from " + url + ": " + player.frames().size() + "\n" + player.tail() + "\n" + output());
            assertEquals(0, player.await(Duration.ofSeconds(30)), () -> "ffmpeg exit code\n" + player.tail());
            assertEquals(List.of(), player.errors(), "decode errors");
        }

        long stop = System.nanoTime();
        // SIGTERM, as an operator's Ctrl-C or a supervisor would; through the handle, because Process.destroy() also
        // closes our end of its output, and the teardown's messages would meet a closed pipe
        play.toHandle().destroy();
        assertTrue(play.waitFor(TEARDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS), () -> "play.sh still running\n" + output());
        System.out.println("PodmanPlayIT: teardown took " + (System.nanoTime() - stop) / 1_000_000 + " ms");
        assertEquals(143, play.exitValue(), () -> "play.sh exit code after SIGTERM\n" + output());
        assertEquals(before, podmanState(), "podman state after teardown differs from before the run");
        try (Stream<Path> left = Files.exists(shmDir) ? Files.list(shmDir) : Stream.empty()) {
            assertEquals(List.of(), left.toList(), "ring directory " + shmDir + " after teardown");
        }
    }

    private String startPlay() throws IOException, InterruptedException {
        Path root = LocalStack.repositoryRoot();
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("deploy/podman/play.sh").toString()).redirectErrorStream(true);
        builder.environment().put("SM_PLAY_DIR", workDir.toString());
        builder.environment().put("SM_PLAY_SHM_DIR", shmDir.toString());
        builder.environment().put("SM_PLAY_BUILD", "always"); // the images of this tree, not of an earlier build
        builder.environment().put("SM_IMAGE_PRUNE", "1"); // one set of images in the store, not one per commit tested
        builder.environment().remove("SM_ADMIN_TOKEN");
        play = builder.start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("play.sh-output-" + play.pid()).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(play.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.startsWith("READY ")) {
                        ready.complete(line.substring("READY ".length()).trim());
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.complete(null);
        });
        try {
            String url = ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (url == null) {
                fail("play.sh ended before READY:\n" + output());
            }
            assertTrue(url.matches("rtmp://127\\.0\\.0\\.1:\\d+/live/demo"), "READY line: " + url);
            return url;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("reading play.sh output", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("play.sh not READY within " + READY_TIMEOUT + ":\n" + output());
        }
    }

    /** What podman holds, one sorted listing per kind of object. */
    private static Map<String, String> podmanState() throws IOException, InterruptedException {
        Map<String, String> state = new TreeMap<>();
        for (List<String> listing : PODMAN_STATE) {
            List<String> command = new ArrayList<>(List.of("podman", "--storage-driver", "vfs"));
            command.addAll(listing);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, () -> command + ": " + text);
            state.put(String.join(" ", listing.subList(0, listing.size() - 2)), text.lines().sorted().toList().toString());
        }
        return state;
    }

    private String output() {
        synchronized (output) {
            return String.join("\n", output.subList(Math.max(0, output.size() - 80), output.size()));
        }
    }
}
