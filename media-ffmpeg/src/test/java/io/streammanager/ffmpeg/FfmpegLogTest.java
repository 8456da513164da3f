package io.streammanager.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.bytedeco.ffmpeg.global.avutil;
import org.jboss.logging.Logger.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lines go through the real av_log and the installed callback, into the logger the services configure. */
class FfmpegLogTest {

    static {
        // the level the services run this logger at, whatever logging configuration the test classpath brings
        // (Quarkus' own, with quarkus-arc there for FfmpegStartup): install() reads it once per JVM
        Logger.getLogger("io.streammanager.ffmpeg").setLevel(java.util.logging.Level.INFO);
    }

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger logger = Logger.getLogger("io.streammanager.ffmpeg");

    @BeforeEach
    void listen() {
        FfmpegLog.install();
        logger.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(handler);
    }

    @Test
    void anFfmpegErrorArrivesAsAWarningWithItsStreamKeyMasked() {
        avutil.av_log(null, avutil.AV_LOG_ERROR, "Cannot open rtmp://127.0.0.1/live/s3cr3tkey?key=other\n");
        LogRecord record = records.stream().filter(r -> r.getMessage().startsWith("Cannot open")).findFirst()
                .orElseThrow(() -> new AssertionError("nothing logged: " + records));
        assertEquals("Cannot open rtmp://127.0.0.1/live/***?key=***", record.getMessage());
        assertEquals(java.util.logging.Level.WARNING.intValue(), record.getLevel().intValue());
    }

    @Test
    void aCapturingThreadGetsItsWarningsMaskedAndTheLogDoesNotRepeatThem() {
        FfmpegLog.beginCapture();
        String said;
        try {
            avutil.av_log(null, avutil.AV_LOG_WARNING, "Device creation failed for rtmp://h/app/k3y\n");
            avutil.av_log(null, avutil.AV_LOG_ERROR, "No device available\n");
        } finally {
            said = FfmpegLog.endCapture();
        }
        assertEquals("Device creation failed for rtmp://h/app/***; No device available", said);
        assertTrue(records.stream().noneMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()),
                records.toString());
        assertEquals("", FfmpegLog.endCapture());
    }

    @Test
    void linesBelowTheLoggersLevelAreNotEvenFormattedByFfmpeg() {
        // the tests run with the logger at INFO: FFmpeg formats up to its warnings only
        assertEquals(avutil.AV_LOG_WARNING, avutil.av_log_get_level());
        avutil.av_log(null, avutil.AV_LOG_INFO, "x264 chatter\n");
        assertFalse(records.stream().anyMatch(r -> r.getMessage().contains("chatter")));
    }

    @Test
    void levelsMapFatalToErrorErrorsAndWarningsToWarnInfoToDebug() {
        assertEquals(Level.ERROR, FfmpegLog.levelOf(avutil.AV_LOG_PANIC));
        assertEquals(Level.ERROR, FfmpegLog.levelOf(avutil.AV_LOG_FATAL));
        assertEquals(Level.WARN, FfmpegLog.levelOf(avutil.AV_LOG_ERROR));
        assertEquals(Level.WARN, FfmpegLog.levelOf(avutil.AV_LOG_WARNING));
        assertEquals(Level.DEBUG, FfmpegLog.levelOf(avutil.AV_LOG_INFO));
        assertEquals(Level.TRACE, FfmpegLog.levelOf(avutil.AV_LOG_VERBOSE));
        assertEquals(Level.TRACE, FfmpegLog.levelOf(avutil.AV_LOG_DEBUG));
    }

    @Test
    void ffmpegFormatsOnlyWhatTheLoggerKeeps() {
        assertEquals(avutil.AV_LOG_WARNING, FfmpegLog.ffmpegLevel(false, false));
        assertEquals(avutil.AV_LOG_INFO, FfmpegLog.ffmpegLevel(false, true));
        assertEquals(avutil.AV_LOG_VERBOSE, FfmpegLog.ffmpegLevel(true, true));
    }
}
