package io.streammanager.system.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The side-by-side RTMP fan-out benchmark's load client: one publisher and N players in this process, against one
 * server (ours or an anchor) whose PID is given, so its CPU and RSS are read from /proc. Not a test; it asserts nothing.
 * {@code bench/fanout.sh} starts the servers and calls this once per server and N, then once more to print the report.
 *
 * <pre>
 * FanoutBench encode FILE                    encode the FLV source unless it exists
 * FanoutBench run key=value...               one measurement; appends one row to results=FILE
 *   label port pid players flv results [host=127.0.0.1 app=live stream=bench warmup=10 window=20
 *   join-batch=50 join-interval-ms=100 first-frame-timeout-ms=5000]   (publish suffix from env BENCH_PUBLISH_SUFFIX)
 * FanoutBench report RESULTS MARKDOWN        prints the tables and writes them to MARKDOWN
 * </pre>
 */
public final class FanoutBench {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(FanoutBench.class);

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ
    private static final String[] COLUMNS = {"server", "players", "cpu_s_per_gb", "delivered_ratio", "failed",
        "first_frame_median_ms", "first_frame_p95_ms", "relay_median_ms", "relay_p95_ms", "audio_relay_median_ms",
        "audio_relay_p95_ms", "rss_idle_mb", "rss_peak_mb", "delivered_mbit_s", "server_cpu_s", "server_user_s", "server_sys_s", "client_cpu_s", "window_s", "notes"};

    private FanoutBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: FanoutBench encode FILE | run key=value... | report RESULTS MD");
        }
        switch (args[0]) {
            case "encode" -> FlvSource.ensureEncoded(Paths.get(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 30);
            case "run" -> run(options(Arrays.copyOfRange(args, 1, args.length)));
            case "report" -> report(Paths.get(args[1]), Paths.get(args[2]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0); // the players' and publisher's threads are daemons or stopped; leave no straggler
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected key=value, got " + a);
            }
            o.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return o;
    }

    private static String req(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key + "=");
        }
        return v;
    }

    private static void run(Map<String, String> o) throws Exception {
        String label = req(o, "label");
        String host = o.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(req(o, "port"));
        long pid = Long.parseLong(req(o, "pid"));
        int n = Integer.parseInt(req(o, "players"));
        String app = o.getOrDefault("app", "live");
        String stream = o.getOrDefault("stream", "bench");
        Duration warmup = Duration.ofSeconds(Long.parseLong(o.getOrDefault("warmup", "10")));
        Duration window = Duration.ofSeconds(Long.parseLong(o.getOrDefault("window", "20")));
        int joinBatch = Integer.parseInt(o.getOrDefault("join-batch", "50"));
        long joinIntervalMs = Long.parseLong(o.getOrDefault("join-interval-ms", "100"));
        long firstFrameTimeoutMs = Long.parseLong(o.getOrDefault("first-frame-timeout-ms", "5000"));
        // warm-join=1: N players join and leave once before the measured join, so a JIT-compiled server (ours) is
        // measured warm, as it is after minutes in service, and not while its compiler competes for the one core
        boolean warmJoin = "1".equals(o.getOrDefault("warm-join", "0"));
        Path results = Paths.get(req(o, "results"));
        String suffix = System.getenv().getOrDefault("BENCH_PUBLISH_SUFFIX", ""); // e.g. ?key=... (never printed)
        FlvSource source = FlvSource.read(Paths.get(req(o, "flv")));
        List<String> notes = new ArrayList<>();

        LOG.infof("[%s N=%d] publishing, then %d players join (%d per %d ms), warmup %d s, window %d s",
                label, n, n, joinBatch, joinIntervalMs, warmup.toSeconds(), window.toSeconds());
        if (warmJoin) {
            LOG.infof("[%s N=%d] a warm-up join of %d players comes first", label, n, n);
        }
        try (BenchPublisher publisher = BenchPublisher.start(host, port, app, stream + suffix, source,
                Duration.ofSeconds(10))) {
            Thread.sleep(2500); // a keyframe and more reach the server: a GOP cache, if it has one, is filled
            check(publisher);
            long rssIdle = rssBytes(pid);
            if (warmJoin) {
                try (PlayerSwarm warm = new PlayerSwarm(new InetSocketAddress(host, port), app, stream,
                        publisher.sendTimes, joinBatch, joinIntervalMs, firstFrameTimeoutMs)) {
                    warm.join(n);
                    long deadline = System.nanoTime() + Duration.ofMillis(
                            (n / Math.max(1, joinBatch) + 1) * joinIntervalMs + firstFrameTimeoutMs + 5000).toNanos();
                    while (warm.settled() < n && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                        check(publisher);
                    }
                    sleepChecking(publisher, Duration.ofSeconds(5), pid, null);
                }
                sleepChecking(publisher, Duration.ofSeconds(2), pid, null); // the server sees them all leave
                notes.add("after a warm-up join of " + n);
            }
            try (PlayerSwarm swarm = new PlayerSwarm(new InetSocketAddress(host, port), app, stream,
                    publisher.sendTimes, joinBatch, joinIntervalMs, firstFrameTimeoutMs)) {
                swarm.join(n);
                long joinDeadline = System.nanoTime() + Duration.ofMillis(
                        (n / Math.max(1, joinBatch) + 1) * joinIntervalMs + firstFrameTimeoutMs + 5000).toNanos();
                while (swarm.settled() < n && System.nanoTime() < joinDeadline) {
                    Thread.sleep(50);
                    check(publisher);
                }
                sleepChecking(publisher, warmup, pid, null);
                double cpu0 = cpuSeconds(pid);
                double user0 = cpuSeconds(pid, 11);
                long self = ProcessHandle.current().pid();
                double client0 = cpuSeconds(self);
                Map<String, double[]> threads0 = threadCpu(pid);
                long socket0 = swarm.socketBytes.get();
                long media0 = swarm.mediaBytes.get();
                long published0 = publisher.mediaBytesSent.get();
                long t0 = System.nanoTime();
                swarm.openWindow(true);
                long[] rssPeak = {rssBytes(pid)};
                sleepChecking(publisher, window, pid, rssPeak);
                double cpu1 = cpuSeconds(pid);
                double user1 = cpuSeconds(pid, 11);
                double client1 = cpuSeconds(self);
                printBusiestThreads(label, n, threads0, threadCpu(pid));
                long socket1 = swarm.socketBytes.get();
                long media1 = swarm.mediaBytes.get();
                long published1 = publisher.mediaBytesSent.get();
                double seconds = (System.nanoTime() - t0) / 1e9;
                swarm.openWindow(false);
                PlayerSwarm.Result r = swarm.stop();

                double gb = (socket1 - socket0) / 1e9;
                double cpu = cpu1 - cpu0;
                double expected = (double) n * (published1 - published0);
                Arrays.sort(r.firstFrameNanos());
                Arrays.sort(r.latencyNanos());
                Arrays.sort(r.audioLatencyNanos());
                if (r.unmatchedVideo() > 0) {
                    notes.add(r.unmatchedVideo() + " video msgs unmatched");
                }
                if (r.failed() > 0) {
                    notes.add(String.join("; ", r.failureSamples()));
                }
                Map<String, String> row = new LinkedHashMap<>();
                row.put("server", label);
                row.put("players", Integer.toString(n));
                row.put("cpu_s_per_gb", gb > 0 ? fmt(cpu / gb, 2) : "n/a");
                row.put("delivered_ratio", expected > 0 ? fmt((media1 - media0) / expected, 3) : "n/a");
                row.put("failed", Integer.toString(r.failed()));
                row.put("first_frame_median_ms", ms(percentile(r.firstFrameNanos(), 50), 1));
                row.put("first_frame_p95_ms", ms(percentile(r.firstFrameNanos(), 95), 1));
                row.put("relay_median_ms", ms(percentile(r.latencyNanos(), 50), 2));
                row.put("relay_p95_ms", ms(percentile(r.latencyNanos(), 95), 2));
                row.put("audio_relay_median_ms", ms(percentile(r.audioLatencyNanos(), 50), 2));
                row.put("audio_relay_p95_ms", ms(percentile(r.audioLatencyNanos(), 95), 2));
                row.put("rss_idle_mb", fmt(rssIdle / 1048576.0, 0));
                row.put("rss_peak_mb", fmt(rssPeak[0] / 1048576.0, 0));
                row.put("delivered_mbit_s", fmt((socket1 - socket0) * 8 / seconds / 1e6, 0));
                row.put("server_cpu_s", fmt(cpu, 2));
                row.put("server_user_s", fmt(user1 - user0, 2));
                row.put("server_sys_s", fmt(cpu - (user1 - user0), 2));
                row.put("client_cpu_s", fmt(client1 - client0, 2));
                row.put("window_s", fmt(seconds, 1));
                row.put("notes", String.join("; ", notes).replace('\t', ' ').replace('\n', ' '));
                LOG.infof("[%s N=%d] %s", label, n, row);
                appendRow(results, row);
            }
        }
    }

    private static void check(BenchPublisher publisher) {
        if (publisher.failure() != null) {
            throw new IllegalStateException("publisher failed: " + publisher.failure());
        }
    }

    /** Sleeps for {@code d}, checking the publisher and, if {@code rssPeak} is given, sampling the server's RSS. */
    private static void sleepChecking(BenchPublisher publisher, Duration d, long pid, long[] rssPeak)
            throws InterruptedException, IOException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            check(publisher);
            if (rssPeak != null) {
                rssPeak[0] = Math.max(rssPeak[0], rssBytes(pid));
            }
        }
    }

    private static void appendRow(Path results, Map<String, String> row) throws IOException {
        Files.createDirectories(results.toAbsolutePath().getParent());
        StringBuilder line = new StringBuilder();
        if (!Files.exists(results)) {
            line.append(String.join("\t", COLUMNS)).append('\n');
        }
        List<String> values = new ArrayList<>();
        for (String c : COLUMNS) {
            values.add(row.getOrDefault(c, ""));
        }
        line.append(String.join("\t", values)).append('\n');
        Files.writeString(results, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String ms(long nanos, int decimals) {
        return nanos < 0 ? "n/a" : fmt(nanos / 1e6, decimals);
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** utime + stime of the process (all threads), in seconds. */
    static double cpuSeconds(long pid) throws IOException {
        return cpuSeconds(pid, 11) + cpuSeconds(pid, 12);
    }

    /** One time field of /proc/PID/stat counted after the command name: 11 utime, 12 stime. */
    static double cpuSeconds(long pid, int field) throws IOException {
        String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[field]) / TICKS_PER_SECOND;
    }

    static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    /** Per thread ("tid name"): user and system seconds, from /proc/PID/task/TID/stat. */
    private static Map<String, double[]> threadCpu(long pid) {
        Map<String, double[]> out = new HashMap<>();
        try (var tasks = Files.list(Paths.get("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.put(task.getFileName() + " " + name, new double[] {
                        Long.parseLong(f[11]) / TICKS_PER_SECOND, Long.parseLong(f[12]) / TICKS_PER_SECOND});
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Prints (not into the table) the server threads that used the most CPU in the window: evidence for tuning. */
    private static void printBusiestThreads(String label, int n, Map<String, double[]> before, Map<String, double[]> after) {
        StringBuilder line = new StringBuilder("[" + label + " N=" + n + "] busiest threads (user/sys s):");
        after.entrySet().stream()
                .map(e -> {
                    double[] b = before.getOrDefault(e.getKey(), new double[2]);
                    return Map.entry(e.getKey(), new double[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
                })
                .sorted((x, y) -> Double.compare(y.getValue()[0] + y.getValue()[1], x.getValue()[0] + x.getValue()[1]))
                .limit(6)
                .forEach(e -> line.append(String.format(Locale.ROOT, " [%s %.2f/%.2f]", e.getKey(), e.getValue()[0], e.getValue()[1])));
        LOG.info(line);
    }

    // --- report -------------------------------------------------------------------------------------------------------

    private static final String[] HEADINGS = {"server", "CPU-s/GB", "delivered/expected", "failed players",
        "first frame median ms", "first frame p95 ms", "relay median ms", "relay p95 ms", "audio relay median ms",
        "audio relay p95 ms", "RSS idle MB",
        "RSS peak MB", "delivered Mbit/s", "CPU user/sys s", "client CPU s", "notes"};
    private static final String[] SHOWN = {"server", "cpu_s_per_gb", "delivered_ratio", "failed",
        "first_frame_median_ms", "first_frame_p95_ms", "relay_median_ms", "relay_p95_ms", "audio_relay_median_ms",
        "audio_relay_p95_ms", "rss_idle_mb", "rss_peak_mb", "delivered_mbit_s", "cpu_split", "client_cpu_s", "notes"};

    private static void report(Path results, Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(results);
        if (lines.size() < 2) {
            throw new IOException("no results in " + results);
        }
        List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
        Map<Integer, List<Map<String, String>>> byN = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split("\t", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.size() && i < v.length; i++) {
                row.put(header.get(i), v[i]);
            }
            row.put("cpu_split", row.getOrDefault("server_user_s", "?") + " / " + row.getOrDefault("server_sys_s", "?"));
            byN.computeIfAbsent(Integer.parseInt(row.get("players")), k -> new ArrayList<>()).add(row);
        }
        StringBuilder md = new StringBuilder();
        for (var e : byN.entrySet()) {
            md.append("\n### N = ").append(e.getKey()).append(" players\n\n");
            md.append("| ").append(String.join(" | ", HEADINGS)).append(" |\n|");
            md.append(" --- |".repeat(HEADINGS.length)).append('\n');
            for (Map<String, String> row : e.getValue()) {
                List<String> cells = new ArrayList<>();
                for (String c : SHOWN) {
                    cells.add(row.getOrDefault(c, "").replace("|", "/"));
                }
                md.append("| ").append(String.join(" | ", cells)).append(" |\n");
            }
            appendRatios(md, e.getValue());
        }
        LOG.info("\n" + md);
        Files.createDirectories(markdown.toAbsolutePath().getParent());
        Files.writeString(markdown, md);
        LOG.infof("written to %s", markdown);
    }

    /** Our gateway's figures divided by each anchor's from the same run: below 1 is better for every column. */
    private static void appendRatios(StringBuilder md, List<Map<String, String>> rows) {
        Map<String, String> ours = rows.stream().filter(r -> r.get("server").startsWith("stream-manager")).findFirst()
                .orElse(null);
        if (ours == null) {
            return;
        }
        String[] keys = {"cpu_s_per_gb", "first_frame_median_ms", "relay_median_ms", "rss_peak_mb"};
        md.append("\nstream-manager / anchor (same run; below 1 means ours is better):\n\n");
        md.append("| anchor | CPU-s/GB | first frame median | relay median | RSS peak |\n| --- | --- | --- | --- | --- |\n");
        for (Map<String, String> anchor : rows) {
            if (anchor == ours) {
                continue;
            }
            List<String> cells = new ArrayList<>(List.of(anchor.get("server")));
            for (String k : keys) {
                cells.add(ratio(ours.get(k), anchor.get(k)));
            }
            md.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
    }

    private static String ratio(String a, String b) {
        try {
            double x = Double.parseDouble(a);
            double y = Double.parseDouble(b);
            return y > 0 ? fmt(x / y, 2) : "n/a";
        } catch (NumberFormatException | NullPointerException e) {
            return "n/a";
        }
    }
}
