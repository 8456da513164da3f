package io.streammanager.bus.testing;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The JAX-RS routes a module serves, found by reflection over its compiled classes (not from the OpenAPI document
 * they are checked against), and the ones an OpenAPI document lacks.
 */
public final class OpenApiRoutes {

    /** One route: an HTTP method (lower case, as OpenAPI spells it) and a path template like /api/v1/keys/{id}. */
    public record Route(String method, String path) implements Comparable<Route> {
        @Override
        public int compareTo(Route other) {
            return (path + " " + method).compareTo(other.path + " " + other.method);
        }

        @Override
        public String toString() {
            return method.toUpperCase() + " " + path;
        }
    }

    private static final Map<Class<? extends Annotation>, String> METHODS = Map.of(GET.class, "get", POST.class, "post",
            PUT.class, "put", DELETE.class, "delete", PATCH.class, "patch", HEAD.class, "head", OPTIONS.class, "options");

    private OpenApiRoutes() {
    }

    /** Every resource method of the classes under {@code classesDir} (e.g. target/classes) in {@code basePackage}. */
    public static List<Route> served(java.nio.file.Path classesDir, String basePackage) {
        java.nio.file.Path root = classesDir.resolve(basePackage.replace('.', '/'));
        List<Route> routes = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classesDir.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, Thread.currentThread().getContextClassLoader());
                Path classPath = type.getAnnotation(Path.class);
                if (classPath == null) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    Path methodPath = method.getAnnotation(Path.class);
                    for (var entry : METHODS.entrySet()) {
                        if (method.isAnnotationPresent(entry.getKey())) {
                            routes.add(new Route(entry.getValue(), join(classPath.value(),
                                    methodPath == null ? "" : methodPath.value())));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        routes.sort(null);
        return routes;
    }

    /** The routes of {@code served} that the OpenAPI document (as JSON) does not describe. */
    public static List<Route> missing(List<Route> served, JsonNode openApi) {
        TreeSet<Route> missing = new TreeSet<>();
        for (Route route : served) {
            if (openApi.path("paths").path(route.path()).path(route.method()).isMissingNode()) {
                missing.add(route);
            }
        }
        return List.copyOf(missing);
    }

    private static String join(String classPath, String methodPath) {
        String path = ("/" + classPath + "/" + methodPath).replaceAll("/+", "/");
        // a path parameter with a regex ({id: [a-z]+}) is documented by its name only
        path = path.replaceAll("\\{\\s*([A-Za-z0-9_]+)\\s*:[^}]*}", "{$1}");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
