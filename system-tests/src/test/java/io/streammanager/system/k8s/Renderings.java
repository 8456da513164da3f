package io.streammanager.system.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The renderings every check looks at, made once per test JVM: the Helm chart (through helm-java, Helm as a native
 * library) with default values, with {@code gpu.enabled}, with {@code gpu.enabled} and {@code rtmps.enabled}, and
 * the kustomize overlays {@code cpu} and {@code gpu} (through {@link Kustomization}). All offline.
 */
final class Renderings {

    static final Path ROOT = Path.of(System.getProperty("stream-manager.root", "..")).toAbsolutePath().normalize();
    static final Path CHART = ROOT.resolve("deploy/helm/stream-manager");

    static final Rendered HELM_DEFAULT = new Rendered("helm default values", Yaml.readAll(helm().call()));
    static final Rendered HELM_GPU = new Rendered("helm gpu.enabled", Yaml.readAll(helm().set("gpu.enabled", true).call()));
    static final Rendered HELM_GPU_RTMPS = new Rendered("helm gpu.enabled rtmps.enabled", Yaml.readAll(helm()
            .set("gpu.enabled", true).set("rtmps.enabled", true).set("rtmps.secretName", "gateway-rtmps-tls").call()));
    static final Rendered KUSTOMIZE_CPU = new Rendered("k8s/overlays/cpu", kustomize("k8s/overlays/cpu"));
    static final Rendered KUSTOMIZE_GPU = new Rendered("k8s/overlays/gpu", kustomize("k8s/overlays/gpu"));

    private Renderings() {
    }

    /** {@code helm template sm deploy/helm/stream-manager}, to add {@code --set}s to. */
    static TemplateCommand helm() {
        return new Helm(CHART).template().withName("sm");
    }

    /** The renderings the per-object checks run over (GPU on and off, both spellings). */
    static Stream<Rendered> all() {
        return Stream.of(HELM_DEFAULT, HELM_GPU_RTMPS, KUSTOMIZE_CPU, KUSTOMIZE_GPU);
    }

    static boolean gpuEnabled(Rendered rendered) {
        return rendered == HELM_GPU || rendered == HELM_GPU_RTMPS || rendered == KUSTOMIZE_GPU;
    }

    private static List<ObjectNode> kustomize(String overlay) {
        try {
            return Kustomization.render(ROOT.resolve(overlay));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
