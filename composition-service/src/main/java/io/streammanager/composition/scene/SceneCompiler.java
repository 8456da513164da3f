package io.streammanager.composition.scene;

import io.streammanager.bus.control.spec.BackgroundLayer;
import io.streammanager.bus.control.spec.Gradient;
import io.streammanager.bus.control.spec.Layer;
import io.streammanager.bus.control.spec.ShapeLayer;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.TextLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a (validated) spec's scene into painters, doing every expensive step here, once: colour conversion,
 * gradient pre-rendering, shape masks, font setup. A scene that does not start with a background gets black.
 */
public final class SceneCompiler {

    private SceneCompiler() {
    }

    public static SceneRenderer compile(StreamSpec spec) {
        int width = spec.video().width();
        int height = spec.video().height();
        List<Layer> layers = spec.scene().layers();
        List<LayerPainter> painters = new ArrayList<>();
        try {
            if (layers.isEmpty() || !(layers.getFirst() instanceof BackgroundLayer)) {
                painters.add(new SolidBackground(RgbColor.BLACK));
            }
            for (Layer layer : layers) {
                painters.add(painterFor(layer, width, height));
            }
        } catch (RuntimeException e) {
            painters.forEach(LayerPainter::close);
            throw e;
        }
        return new SceneRenderer(width, height, spec.name(), painters);
    }

    private static LayerPainter painterFor(Layer layer, int width, int height) {
        return switch (layer) {
            case BackgroundLayer background when background.color() != null ->
                    new SolidBackground(RgbColor.parse(background.color()));
            case BackgroundLayer background -> gradient(background.gradient(), width, height);
            case ShapeLayer shape -> new MovingShape(ShapeKind.parse(shape.shape()), RgbColor.parse(shape.color()),
                    shape.width(), shape.height(), shape.speedX(), shape.speedY());
            case TextLayer text -> new TextOverlay(text.text(), text.x(), text.y(), text.size(),
                    RgbColor.parse(text.color()), width, height);
        };
    }

    private static LayerPainter gradient(Gradient gradient, int width, int height) {
        return new GradientBackground(width, height, RgbColor.parse(gradient.from()), RgbColor.parse(gradient.to()),
                GradientDirection.parse(gradient.direction()));
    }
}
