package io.streammanager.bus.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A child process (ffmpeg, rtmpdump, nginx) with its output in a file of the test's, always stopped by its PID. */
public final class ExternalProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ExternalProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static ExternalProcess start(String name, Path dir, List<String> command) throws IOException {
        return start(name, dir, null, command, Map.of());
    }

    /** Starts {@code command} in {@code workDir} (null: ours); output to dir/name.log. */
    public static ExternalProcess start(String name, Path dir, Path workDir, List<String> command) throws IOException {
        return start(name, dir, workDir, command, Map.of());
    }

    /** Starts {@code command} in {@code workDir} (null: ours) with {@code environment} added; output to dir/name.log. */
    public static ExternalProcess start(String name, Path dir, Path workDir, List<String> command,
                                        Map<String, String> environment) throws IOException {
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        builder.environment().putAll(environment);
        return new ExternalProcess(name, builder.start(), log);
    }

    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The exit code, once it ended. */
    public int exitCode() {
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The output's last lines, for assertion messages. */
    public String tail() {
        String out = output();
        return name + " (pid " + process.pid() + "): ..." + out.substring(Math.max(0, out.length() - 1500));
    }

    /** SIGKILL, as a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                child.destroyForcibly();
            }
        }
        if (process.isAlive()) {
            process.destroy(); // SIGTERM to this PID only
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
