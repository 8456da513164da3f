package io.streammanager.system.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The renderings every check looks at, made once per test JVM: the Helm chart (through helm-java, Helm as a native
 * library) with default values, with {@code gpu.enabled}, with {@code gpu.enabled} and {@code rtmps.enabled}, and
 * the kustomize overlays {@code cpu} and {@code gpu} (through {@code kubectl kustomize}, which renders offline). No
 * cluster is involved.
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

    /** {@code kubectl kustomize DIR}: the real kustomize (5.x, inside kubectl), offline; no other kubectl command is used. */
    static List<ObjectNode> kustomize(String overlay) {
        Path dir = ROOT.resolve(overlay);
        try {
            Process kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectError(ProcessBuilder.Redirect.PIPE).start();
            String rendered = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String errors = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + errors);
            }
            return Yaml.readAll(rendered);
        } catch (IOException e) {
            throw new UncheckedIOException("kubectl kustomize " + dir + " (kubectl with kustomize is needed to render k8s/)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
