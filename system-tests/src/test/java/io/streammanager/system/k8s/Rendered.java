package io.streammanager.system.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One rendering of the manifests (a Helm values set or a kustomize overlay), with the look-ups the checks need. */
record Rendered(String name, List<ObjectNode> objects) {

    static final List<String> SERVICES = List.of("rtmp-gateway", "composition-service", "encoder-service", "muxer-service");
    static final List<String> PIPELINE = List.of("composition-service", "encoder-service", "muxer-service");

    List<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    Optional<ObjectNode> find(String kind, String objectName) {
        return ofKind(kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(objectName)).findFirst();
    }

    ObjectNode get(String kind, String objectName) {
        return find(kind, objectName).orElseThrow(() -> new AssertionError(name + ": no " + kind + " named " + objectName));
    }

    JsonNode podSpec(String deployment) {
        return get("Deployment", deployment).path("spec").path("template").path("spec");
    }

    /** The one container of a service's pod (each of our pods runs one). */
    JsonNode container(String deployment) {
        JsonNode containers = podSpec(deployment).path("containers");
        if (containers.size() != 1) {
            throw new AssertionError(name + ": " + deployment + " should run exactly one container, has " + containers.size());
        }
        return containers.get(0);
    }

    /**
     * The container's environment as Kubernetes builds it: ConfigMaps named in envFrom (which must exist), then env
     * entries. Values from elsewhere read {@code <secret name/key>} or {@code <field path>}.
     */
    Map<String, String> environment(JsonNode container) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            String configMap = source.path("configMapRef").path("name").asText();
            if (configMap.isEmpty()) {
                throw new AssertionError(name + ": envFrom other than a configMapRef: " + source);
            }
            get("ConfigMap", configMap).path("data").fields()
                    .forEachRemaining(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
        }
        for (JsonNode variable : container.path("env")) {
            JsonNode from = variable.path("valueFrom");
            String value;
            if (variable.has("value")) {
                value = variable.path("value").asText();
            } else if (from.has("secretKeyRef")) {
                value = "<secret " + from.path("secretKeyRef").path("name").asText() + "/" + from.path("secretKeyRef").path("key").asText() + ">";
            } else if (from.has("fieldRef")) {
                value = "<field " + from.path("fieldRef").path("fieldPath").asText() + ">";
            } else {
                throw new AssertionError(name + ": env " + variable + " has an unexpected source");
            }
            environment.put(variable.path("name").asText(), value);
        }
        return environment;
    }

    Map<String, String> environment(String deployment) {
        return environment(container(deployment));
    }

    /** The containerPort named {@code portName} of the deployment's container. */
    int containerPort(String deployment, String portName) {
        for (JsonNode port : container(deployment).path("ports")) {
            if (port.path("name").asText().equals(portName)) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError(name + ": " + deployment + " declares no port named " + portName);
    }

    /** The port named {@code portName} of a Service. */
    int servicePort(String service, String portName) {
        for (JsonNode port : get("Service", service).path("spec").path("ports")) {
            if (port.path("name").asText().equals(portName)) {
                return port.path("port").asInt();
            }
        }
        throw new AssertionError(name + ": Service " + service + " has no port named " + portName);
    }

    @Override
    public String toString() {
        return name;
    }
}
