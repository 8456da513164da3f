package io.streammanager.composition.scene;

import io.streammanager.bus.control.spec.AudioLayer;
import io.streammanager.bus.control.spec.BackgroundLayer;
import io.streammanager.bus.control.spec.Fallback;
import io.streammanager.bus.control.spec.Gradient;
import io.streammanager.bus.control.spec.ImageLayer;
import io.streammanager.bus.control.spec.Layer;
import io.streammanager.bus.control.spec.ShapeLayer;
import io.streammanager.bus.control.spec.Slate;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.TextLayer;
import io.streammanager.bus.control.spec.VideoLayer;
import io.streammanager.composition.audio.AudioTrack;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a (validated) spec's scene into painters, doing every expensive step here, once: colour conversion,
 * gradient pre-rendering, shape masks, font setup, picture decoding and scaling. A scene that does not start with a
 * background gets black. Hidden layers get no painter; a layer with opacity below 1 is wrapped in an
 * {@link OpacityPainter}.
 */
public final class SceneCompiler {

    private SceneCompiler() {
    }

    public static SceneRenderer compile(StreamSpec spec) {
        return compile(spec, SceneMedia.NONE);
    }

    public static SceneRenderer compile(StreamSpec spec, SceneMedia media) {
        int width = spec.video().width();
        int height = spec.video().height();
        List<Layer> layers = spec.scene().layers();
        List<LayerPainter> painters = new ArrayList<>();
        List<VideoPainter> primaries = new ArrayList<>();
        List<LayerPainter> slate = new ArrayList<>();
        List<SceneLayer> compiled = new ArrayList<>();
        try {
            if (layers.isEmpty() || !(layers.getFirst() instanceof BackgroundLayer)) {
                painters.add(new SolidBackground(RgbColor.BLACK));
            }
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                if (!layer.visibleOrDefault()) {
                    continue;
                }
                String field = "scene.layers[" + i + "]";
                LayerPainter painter = painterFor(layer, field, width, height, media);
                if (layer instanceof AudioLayer) {
                    painters.add(painter); // sound only: nothing to fade or move on screen
                    continue;
                }
                if (painter instanceof VideoPainter video && layer instanceof VideoLayer v && v.primaryOrDefault()) {
                    primaries.add(video);
                }
                double opacity = layer.opacityOrDefault();
                // every layer behind an OpacityPainter (a plain call at opacity 1) so a transition can fade it, and
                // its sound with it
                OpacityPainter faded = new OpacityPainter(painter, opacity, layer instanceof VideoLayer video
                        && audioTap(field, video.id(), video.source(), video.loopOrDefault(), video.gain(), media)
                        instanceof AudioTap tap ? tap : null);
                painters.add(faded);
                int[] place = placeOf(layer);
                compiled.add(new SceneLayer(layer.id(), place[0], place[1], opacity, faded,
                        painter instanceof Movable movable ? movable : null, layer.transition()));
            }
            if (spec.scene().slate() != null) {
                slate.addAll(slate(spec.scene().slate(), width, height, media));
            }
        } catch (RuntimeException e) {
            painters.forEach(LayerPainter::close);
            slate.forEach(LayerPainter::close);
            throw e;
        }
        return new SceneRenderer(width, height, spec.name(), painters, primaries, slate, compiled);
    }

    private static int[] placeOf(Layer layer) {
        return switch (layer) {
            case ImageLayer image -> new int[] {image.x(), image.y()};
            case VideoLayer video -> new int[] {video.x(), video.y()};
            case TextLayer text -> new int[] {text.x(), text.y()};
            case ShapeLayer shape -> new int[] {shape.x() == null ? 0 : shape.x(), shape.y() == null ? 0 : shape.y()};
            case BackgroundLayer ignored -> new int[] {0, 0};
            case AudioLayer ignored -> new int[] {0, 0};
        };
    }

    private static LayerPainter painterFor(Layer layer, String field, int width, int height, SceneMedia media) {
        return switch (layer) {
            case BackgroundLayer background when background.color() != null ->
                    new SolidBackground(RgbColor.parse(background.color()));
            case BackgroundLayer background -> gradient(background.gradient(), width, height);
            case ShapeLayer shape -> new MovingShape(ShapeKind.parse(shape.shape()), RgbColor.parse(shape.color()),
                    shape.width(), shape.height(), shape.speedX(), shape.speedY(),
                    shape.x() == null ? 0 : shape.x(), shape.y() == null ? 0 : shape.y());
            case TextLayer text -> text(text, width, height);
            case ImageLayer image -> image(image, field, media);
            case VideoLayer video -> video(video, field, width, height, media);
            case AudioLayer audio ->
                    audioTap(field, audio.id(), audio.source(), audio.loopOrDefault(), audio.gain(), media);
        };
    }

    /** The painter that makes a layer's source heard (nothing where the media has no sound to give). */
    private static LayerPainter audioTap(String field, String id, String source, boolean loop, double gain,
                                         SceneMedia media) {
        AudioTrack track = media.audio(field + ".source", id, source, loop);
        return track == null ? (frame, context) -> { } : new AudioTap(track, gain);
    }

    private static LayerPainter text(TextLayer text, int width, int height) {
        TextOverlay overlay = new TextOverlay(text.text(), text.x(), text.y(), text.size(), RgbColor.parse(text.color()),
                text.width(), text.height(), TextAlign.parse(text.align()), width, height);
        if (text.plate() == null) {
            return overlay;
        }
        int plateWidth = text.width() == null ? width - text.x() : text.width();
        int plateHeight = text.height() == null ? text.size() * 5 / 4 : text.height();
        LayerPainter plate = new PicturePainter(Picture.solid(RgbColor.parse(text.plate()), plateWidth, plateHeight),
                text.x(), text.y());
        return new Stack(List.of(plate, overlay));
    }

    private static LayerPainter image(ImageLayer layer, String field, SceneMedia media) {
        BufferedImage image = media.image(field + ".source", layer.source());
        int boxWidth = layer.width() == null ? image.getWidth() : layer.width();
        int boxHeight = layer.height() == null ? image.getHeight() : layer.height();
        return new PicturePainter(ImageFit.parse(layer.fit()).fit(image, boxWidth, boxHeight), layer.x(), layer.y());
    }

    private static LayerPainter video(VideoLayer layer, String field, int width, int height, SceneMedia media) {
        int boxWidth = (layer.width() == null ? width : layer.width()) & ~1;
        int boxHeight = (layer.height() == null ? height : layer.height()) & ~1;
        Fallback fallback = layer.fallback();
        LayerPainter fallbackPainter = null;
        boolean hidden = false;
        if (fallback != null) {
            if (fallback.color() != null) {
                fallbackPainter = new PicturePainter(Picture.solid(RgbColor.parse(fallback.color()), boxWidth,
                        boxHeight), layer.x(), layer.y());
            } else if (fallback.source() != null) {
                BufferedImage image = media.image(field + ".fallback.source", fallback.source());
                fallbackPainter = new PicturePainter(ImageFit.CONTAIN.fit(image, boxWidth, boxHeight), layer.x(),
                        layer.y());
            } else {
                hidden = Boolean.TRUE.equals(fallback.hidden());
            }
        }
        VideoFeed feed = media.video(field + ".source", layer, boxWidth, boxHeight);
        return new VideoPainter(feed, layer.x(), layer.y(), boxWidth, boxHeight, layer.holdMsOrDefault() * 1_000_000L,
                fallbackPainter, hidden);
    }

    private static List<LayerPainter> slate(Slate slate, int width, int height, SceneMedia media) {
        List<LayerPainter> painters = new ArrayList<>();
        painters.add(new SolidBackground(slate.color() == null ? RgbColor.BLACK : RgbColor.parse(slate.color())));
        if (slate.source() != null) {
            painters.add(new PicturePainter(ImageFit.COVER.fit(media.image("scene.slate.source", slate.source()),
                    width, height), 0, 0));
        }
        if (slate.text() != null) {
            int size = Math.max(16, height / 12);
            painters.add(new TextOverlay(slate.text(), 0, (height - size) / 2, size, new RgbColor(255, 255, 255),
                    width, size * 3 / 2, TextAlign.CENTER, width, height));
        }
        return painters;
    }

    private static LayerPainter gradient(Gradient gradient, int width, int height) {
        return new GradientBackground(width, height, RgbColor.parse(gradient.from()), RgbColor.parse(gradient.to()),
                GradientDirection.parse(gradient.direction()));
    }

    /** Painters drawn as one layer (a text over its plate), so that opacity applies to both together. */
    private record Stack(List<LayerPainter> parts) implements LayerPainter {

        @Override
        public void paint(I420Frame frame, FrameContext context) {
            for (LayerPainter part : parts) {
                part.paint(frame, context);
            }
        }

        @Override
        public void close() {
            parts.forEach(LayerPainter::close);
        }
    }
}
