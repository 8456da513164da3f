package io.streammanager.gateway.server;

import io.streammanager.gateway.config.GatewayConfig;
import io.streammanager.gateway.hls.HlsAnswer;
import io.streammanager.gateway.hls.HlsStream;
import io.streammanager.gateway.hls.HlsStreams;
import io.streammanager.gateway.metrics.HlsMetrics;
import io.streammanager.gateway.relay.StreamNames;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * LL-HLS on the public playback listener, behind the same play protection as HTTP-FLV ({@link PlayGate}, checked on
 * every request against the stream name of the URL):
 * <pre>
 *  /hls/{name}/master.m3u8                 the stream and its live renditions ({name}_{renditionId})
 *  /hls/{name}/{rendition}/index.m3u8      media playlist; _HLS_msn / _HLS_part hold it until that segment or part exists
 *  /hls/{name}/{rendition}/init{v}.mp4     init segment (a new v after the publisher changed its codec configuration)
 *  /hls/{name}/{rendition}/s{msn}.m4s      complete segment
 *  /hls/{name}/{rendition}/p{index}.m4s    part; the preload-hinted next part is held until it exists
 * </pre>
 * Waiting requests hold no thread: the window calls back when the media exists (on a packaging thread) and the answer
 * is written on the request's own event loop; a Vert.x timer answers 503 after {@code gateway.hls.block-timeout}.
 */
@ApplicationScoped
public class HlsRoute {

    private static final String MEDIA = "(index\\.m3u8|init\\d{1,9}\\.mp4|s\\d{1,18}\\.m4s|p\\d{1,18}\\.m4s)";

    private final HlsStreams streams;
    private final HlsMetrics metrics;
    private final PlayGate gate;
    private final long blockTimeoutMs;
    private final boolean enabled;

    public HlsRoute(HlsStreams streams, HlsMetrics metrics, PlayGate gate, GatewayConfig config) {
        this.streams = streams;
        this.metrics = metrics;
        this.gate = gate;
        this.blockTimeoutMs = config.hls().blockTimeout().toMillis();
        this.enabled = config.hls().enabled();
    }

    /** Called by {@link PlaybackServer} only. */
    void register(Router router) {
        if (!enabled) {
            return;
        }
        router.getWithRegex("/hls/([^/]+)/master\\.m3u8").handler(this::master);
        router.getWithRegex("/hls/([^/]+)/([^/]+)/" + MEDIA).handler(this::media);
    }

    private void master(RoutingContext request) {
        String name = request.pathParam("param0");
        if (!validName(request, name)) {
            return;
        }
        gate.check(request, name, "hls", () -> waitFor(request,
                reply -> streams.master(name, query(request), reply), name, metrics::playlistServed));
    }

    private void media(RoutingContext request) {
        String name = request.pathParam("param0");
        String rendition = request.pathParam("param1");
        String file = request.pathParam("param2");
        if (!validName(request, name)) {
            return;
        }
        gate.check(request, name, "hls", () -> {
            HlsStream stream = streams.find(rendition).filter(s -> HlsStreams.renditionOf(name, rendition))
                    .orElse(null);
            if (stream == null) {
                answer(request, HlsAnswer.error(404, "stream " + rendition + " has no HLS (not live, or not a rendition of "
                        + name + ")", "rendition"));
                return;
            }
            if (file.equals("index.m3u8")) {
                waitFor(request, reply -> stream.playlist(request.queryParams().get("_HLS_msn"),
                        request.queryParams().get("_HLS_part"), query(request), reply), rendition, metrics::playlistServed);
            } else if (file.startsWith("init")) {
                answer(request, stream.init(Integer.parseInt(file.substring(4, file.length() - 4))));
            } else if (file.startsWith("s")) {
                HlsAnswer answer = stream.segment(Long.parseLong(file.substring(1, file.length() - 4)));
                if (answer.status() == 200) {
                    metrics.segmentServed(rendition);
                }
                answer(request, answer);
            } else {
                long index = Long.parseLong(file.substring(1, file.length() - 4));
                waitFor(request, reply -> stream.part(index, reply), rendition, metrics::partServed);
            }
        });
    }

    private static boolean validName(RoutingContext request, String name) {
        if (StreamNames.valid(name)) {
            return true;
        }
        answer(request, HlsAnswer.error(400, "stream name must be " + StreamNames.rule(), "name"));
        return false;
    }

    /**
     * Starts a request that may wait for media: the answer comes back on this request's context, once; the timer
     * answers 503 first if the media does not come, and a client that leaves cancels the wait.
     */
    private static final class Waiting {
        final AtomicBoolean answered = new AtomicBoolean();
        volatile HlsStream.Pending pending;
        volatile long timer = -1;
    }

    private void waitFor(RoutingContext request, Function<Consumer<HlsAnswer>, HlsStream.Pending> start, String stream,
                         Consumer<String> served) {
        Context context = Vertx.currentContext();
        Vertx vertx = context.owner();
        Waiting waiting = new Waiting();
        Consumer<HlsAnswer> reply = answer -> {
            if (waiting.answered.compareAndSet(false, true)) {
                context.runOnContext(v -> {
                    if (waiting.timer >= 0) {
                        vertx.cancelTimer(waiting.timer);
                    }
                    if (answer.status() == 200) {
                        served.accept(stream);
                    }
                    answer(request, answer);
                });
            }
        };
        HlsStream.Pending pending = start.apply(reply);
        if (waiting.answered.get()) {
            return;
        }
        waiting.pending = pending;
        waiting.timer = vertx.setTimer(blockTimeoutMs, id -> {
            waiting.timer = -1;
            pending.cancel();
            if (waiting.answered.compareAndSet(false, true)) {
                answer(request, HlsAnswer.error(503, "the media asked for did not arrive within " + blockTimeoutMs + " ms",
                        "_HLS_msn"));
            }
        });
        request.response().closeHandler(v -> {
            pending.cancel();
            if (waiting.answered.compareAndSet(false, true) && waiting.timer >= 0) {
                vertx.cancelTimer(waiting.timer);
            }
        });
    }

    private static void answer(RoutingContext request, HlsAnswer answer) {
        HttpServerResponse response = request.response();
        if (response.closed() || response.ended()) {
            return;
        }
        response.setStatusCode(answer.status())
                .putHeader("Content-Type", answer.contentType())
                .putHeader("Access-Control-Allow-Origin", "*")
                // playlists change with every part; media never changes once it has a name
                .putHeader("Cache-Control", HlsAnswer.PLAYLIST.equals(answer.contentType()) || answer.status() != 200
                        ? "no-cache" : "max-age=60")
                .putHeader("Content-Length", Long.toString(answer.length()));
        for (byte[] bytes : answer.body()) {
            response.write(Buffer.buffer(bytes));
        }
        response.end();
    }

    /** The player's key or token, carried on every URI of our playlists so each request is authorized the same way. */
    private static String query(RoutingContext request) {
        StringBuilder query = new StringBuilder();
        for (String param : new String[] {"key", "token"}) {
            String value = request.queryParams().get(param);
            if (value != null && !value.isEmpty()) {
                query.append(query.isEmpty() ? '?' : '&').append(param).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return query.toString();
    }
}
