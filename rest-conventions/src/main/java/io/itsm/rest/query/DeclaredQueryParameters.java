package io.itsm.rest.query;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.itsm.rest.ProblemMapper;

/**
 * Holds a request's query to the parameters the chosen operation declares, the way {@code StrictRequestBodies} holds a
 * body to its fields: a parameter the operation does not have is refused (400 naming it and the parameters it has),
 * and so is a single-valued one given twice. A misspelt list filter ({@code ?stat=NEW}) was ignored, and the answer
 * listed everything, which a script acting on the result would act on; of {@code ?ciClass=a&ciClass=b} the first
 * counted. The parameters an operation has are its {@link QueryParam}s (several values where its type is a
 * collection or an array), plus any name that starts with a {@link QueryParameterPrefix} of the method. Runs after
 * the security checks, so 401 and 403 come first.
 */
public class DeclaredQueryParameters {

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
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String name = parameter.getKey();
            if (!known.allows(name)) {
                return refuse(request, name, known.names().isEmpty() && known.prefixes().isEmpty()
                        ? "is not a parameter of this operation: it takes none"
                        : "is not a parameter of this operation: it takes " + known.describe());
            }
            if (parameter.getValue().size() > 1 && known.single().contains(name)) {
                return refuse(request, name, "may be given once");
            }
        }
        return null;
    }

    private static Response refuse(ContainerRequestContext request, String name, String message) {
        return ProblemMapper.malformed(name, message, request.getUriInfo());
    }

    /** An operation's parameters: all names, those that take one value, the prefixes it reads itself. */
    record Declared(TreeSet<String> names, Set<String> single, List<String> prefixes) {

        static Declared of(Method method) {
            TreeSet<String> names = new TreeSet<>();
            Set<String> single = new TreeSet<>();
            Annotation[][] annotations = method.getParameterAnnotations();
            Class<?>[] types = method.getParameterTypes();
            for (int i = 0; i < annotations.length; i++) {
                for (Annotation annotation : annotations[i]) {
                    if (annotation instanceof QueryParam q) {
                        declare(q.value(), types[i], names, single);
                    } else if (annotation instanceof BeanParam) {
                        // a parameter bean (the paging parameters): its fields' query parameters
                        for (Class<?> type = types[i]; type != null && type != Object.class; type = type.getSuperclass()) {
                            for (Field field : type.getDeclaredFields()) {
                                QueryParam q = field.getAnnotation(QueryParam.class);
                                if (q != null) {
                                    declare(q.value(), field.getType(), names, single);
                                }
                            }
                        }
                    }
                }
            }
            QueryParameterPrefix prefix = method.getAnnotation(QueryParameterPrefix.class);
            return new Declared(names, single, prefix == null ? List.of() : List.of(prefix.value()));
        }

        private static void declare(String name, Class<?> type, Set<String> names, Set<String> single) {
            names.add(name);
            if (!Collection.class.isAssignableFrom(type) && !type.isArray()) {
                single.add(name);
            }
        }

        boolean allows(String name) {
            return names.contains(name) || prefixes.stream().anyMatch(name::startsWith);
        }

        String describe() {
            List<String> all = new ArrayList<>(names);
            prefixes.forEach(p -> all.add(p + "*"));
            return String.join(", ", all);
        }
    }
}
