package io.streammanager.muxer.recording;

import io.streammanager.muxer.testing.FfmpegCli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** ffprobe of a recording's video: the time its packets span, read from the file as a player would. */
final class Probe {
    private Probe() {
    }

    /** Seconds from the first video packet's pts to the last one's end. */
    static double videoSeconds(Path file) throws Exception {
        FfmpegCli.Result result = FfmpegCli.run(List.of(FfmpegCli.probe(), "-v", "error", "-select_streams", "v:0",
                "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", file.toString()),
                Duration.ofSeconds(30));
        if (result.exitCode() != 0) {
            throw new AssertionError("ffprobe " + file + ": " + result.output());
        }
        double first = Double.MAX_VALUE;
        double end = 0;
        for (String line : result.output().lines().toList()) {
            String[] fields = line.strip().split(",");
            if (fields.length < 2 || fields[0].isEmpty() || fields[0].equals("N/A")) {
                continue;
            }
            double pts = Double.parseDouble(fields[0]);
            double duration = fields[1].equals("N/A") ? 0 : Double.parseDouble(fields[1]);
            first = Math.min(first, pts);
            end = Math.max(end, pts + duration);
        }
        return first == Double.MAX_VALUE ? 0 : end - first;
    }
}
