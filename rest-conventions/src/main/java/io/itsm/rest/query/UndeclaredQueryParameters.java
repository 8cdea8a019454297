package io.itsm.rest.query;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.itsm.rest.Problem;
import io.itsm.rest.ProblemMapper;

/**
 * Refuses a query parameter the chosen operation does not have (400 naming it and the parameters it has), the way
 * {@code StrictRequestBodies} refuses a body field: a misspelt list filter ({@code ?stat=NEW}) was ignored, and the
 * answer listed everything, which a script acting on the result would act on. The parameters an operation has are
 * its {@link QueryParam}s, plus any name that starts with a {@link QueryParameterPrefix} of the method.
 */
public class UndeclaredQueryParameters {

    private final Map<Method, Declared> declared = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public Response check(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return null;
        }
        Map<String, List<String>> query = request.getUriInfo().getQueryParameters();
        if (query.isEmpty()) {
            return null;
        }
        Declared known = declared.computeIfAbsent(method, Declared::of);
        for (String name : query.keySet()) {
            if (!known.allows(name)) {
                String message = known.names().isEmpty() && known.prefixes().isEmpty() ? "is not a parameter of this operation: it takes none"
                        : "is not a parameter of this operation: it takes " + known.describe();
                return ProblemMapper.respond(new Problem(Problem.type("malformed-request"), "Malformed request", 400,
                        name + " " + message, ProblemMapper.instance(request.getUriInfo()), List.of(new Problem.FieldError(name, message))));
            }
        }
        return null;
    }

    record Declared(TreeSet<String> names, List<String> prefixes) {

        static Declared of(Method method) {
            TreeSet<String> names = new TreeSet<>();
            for (Annotation[] annotations : method.getParameterAnnotations()) {
                for (Annotation annotation : annotations) {
                    if (annotation instanceof QueryParam q) {
                        names.add(q.value());
                    }
                }
            }
            QueryParameterPrefix prefix = method.getAnnotation(QueryParameterPrefix.class);
            return new Declared(names, prefix == null ? List.of() : List.of(prefix.value()));
        }

        boolean allows(String name) {
            return names.contains(name) || prefixes.stream().anyMatch(name::startsWith);
        }

        String describe() {
            List<String> all = new java.util.ArrayList<>(names);
            prefixes.forEach(p -> all.add(p + "*"));
            return String.join(", ", all);
        }
    }
}
