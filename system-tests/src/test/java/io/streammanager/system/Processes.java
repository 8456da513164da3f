package io.streammanager.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program to completion with a time limit, stopping it by its PID if it overruns. */
final class Processes {

    record Result(int exitCode, String output, boolean timedOut) {
    }

    private Processes() {
    }

    /** Runs a program that would go on forever (a live pull) for {@code duration}, then stops it with SIGTERM. */
    static Result runFor(List<String> command, Duration duration) throws IOException, InterruptedException {
        return run(command, duration);
    }

    static Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path log = Files.createTempFile("sm-it-proc-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            return new Result(finished ? process.exitValue() : -1, Files.readString(log, StandardCharsets.UTF_8), !finished);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
