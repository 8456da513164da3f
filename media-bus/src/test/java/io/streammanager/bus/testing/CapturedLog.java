package io.streammanager.bus.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Everything logged in this JVM (a {@code @QuarkusTest}'s application included) while open: each record's message,
 * its parameters and its exception, as text, at every level. Used to show that a secret never reaches a log line.
 * Bounded: beyond {@code maxRecords} the oldest are dropped and counted.
 */
public final class CapturedLog implements AutoCloseable {

    private final Logger root = Logger.getLogger("");
    private final List<String> records = new ArrayList<>();
    private final int maxRecords;
    private final Level previousLevel;
    private long dropped;

    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder text = new StringBuilder(record.getLoggerName() == null ? "" : record.getLoggerName())
                    .append(' ').append(record.getMessage());
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    text.append(" | ").append(parameter);
                }
            }
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                text.append(" | ").append(t);
            }
            add(text.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private CapturedLog(int maxRecords) {
        this.maxRecords = maxRecords;
        this.previousLevel = root.getLevel();
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
    }

    public static CapturedLog start() {
        return new CapturedLog(100_000);
    }

    private synchronized void add(String line) {
        if (records.size() >= maxRecords) {
            records.removeFirst();
            dropped++;
        }
        records.add(line);
    }

    /** All captured records, one a line. */
    public synchronized String text() {
        return String.join("\n", records);
    }

    public synchronized long dropped() {
        return dropped;
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        root.setLevel(previousLevel);
    }
}
