package io.itsm.rest;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

/**
 * The HTTP methods each path of a service's REST resources takes, from their JAX-RS annotations: the value of the
 * {@code Allow} header of a 405 and of an {@code OPTIONS} answer (RFC 9110, 10.2.1). RESTEasy Reactive fills that
 * header with every method of the resource class that matched, whatever the rest of the path (so
 * {@code /api/incidents} would allow the {@code PATCH} of {@code /api/incidents/{id}}); this class matches the whole
 * path, as the routing does: the template with the most literal segments, earliest first, wins.
 */
public final class AllowedMethods {

    /** The methods of one path: for the {@code Allow} header, and to tell whether a request's method is one. */
    public record Allowed(Set<String> methods, String header) {

        public boolean allows(String method) {
            return methods.contains(method);
        }
    }

    private record Route(String[] segments, Allowed allowed) {
    }

    private final List<Route> routes;

    private AllowedMethods(List<Route> routes) {
        this.routes = routes;
    }

    /** The paths and methods of these resource classes ({@code @Path} on the class, on methods, HTTP method annotations). */
    public static AllowedMethods of(Collection<Class<?>> resourceClasses) {
        Map<String, Set<String>> byTemplate = new LinkedHashMap<>();
        for (Class<?> type : resourceClasses) {
            Path classPath = type.getAnnotation(Path.class);
            if (classPath == null) {
                continue;
            }
            for (Method method : type.getMethods()) {
                String httpMethod = httpMethod(method);
                if (httpMethod == null) {
                    continue; // not a resource method (a sub-resource locator has no HTTP method either)
                }
                Path methodPath = method.getAnnotation(Path.class);
                String template = normalise(classPath.value() + "/" + (methodPath == null ? "" : methodPath.value()));
                byTemplate.computeIfAbsent(template, t -> new TreeSet<>()).add(httpMethod);
            }
        }
        List<Route> routes = new ArrayList<>();
        byTemplate.forEach((template, methods) -> {
            if (methods.contains(HttpMethod.GET)) {
                methods.add(HttpMethod.HEAD);
            }
            methods.add(HttpMethod.OPTIONS);
            routes.add(new Route(segments(template), new Allowed(Set.copyOf(methods), String.join(", ", methods))));
        });
        return new AllowedMethods(List.copyOf(routes));
    }

    /** The methods the resource at this path takes; empty for a path no resource has. */
    public Optional<Allowed> at(String path) {
        String[] requested = segments(normalise(path));
        Route best = null;
        for (Route route : routes) {
            if (matches(route.segments(), requested) && (best == null || moreLiteral(route.segments(), best.segments()))) {
                best = route;
            }
        }
        return Optional.ofNullable(best).map(Route::allowed);
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod httpMethod = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (httpMethod != null) {
                return httpMethod.value();
            }
        }
        return null;
    }

    private static boolean matches(String[] template, String[] path) {
        if (template.length != path.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            if (!isVariable(template[i]) && !template[i].equals(path[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether a has a literal segment where b has a variable, at the first position where they differ so. */
    private static boolean moreLiteral(String[] a, String[] b) {
        for (int i = 0; i < a.length; i++) {
            if (isVariable(a[i]) != isVariable(b[i])) {
                return !isVariable(a[i]);
            }
        }
        return false;
    }

    private static boolean isVariable(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static String normalise(String path) {
        String collapsed = path.replaceAll("/+", "/");
        if (collapsed.length() > 1 && collapsed.endsWith("/")) {
            collapsed = collapsed.substring(0, collapsed.length() - 1);
        }
        return collapsed.startsWith("/") ? collapsed : "/" + collapsed;
    }

    private static String[] segments(String normalisedPath) {
        return normalisedPath.equals("/") ? new String[0] : normalisedPath.substring(1).split("/");
    }
}
