package io.itsm.rest;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import io.quarkus.arc.Arc;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Sets the {@code Allow} header of a 405 and of an {@code OPTIONS} answer to the methods the requested path really
 * takes ({@link AllowedMethods}), just before the response's headers are written, whoever wrote the response
 * (RESTEasy Reactive's default {@code OPTIONS} answer, the 405 problem). A path no resource has keeps what it had.
 */
@ApplicationScoped
public class AllowHeader {

    /** Right after {@link RequestHeadCheck}, before the routes that answer. */
    static final int ORDER = RequestHeadCheck.ORDER + 1;

    private volatile AllowedMethods allowed;

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::onRequest);
    }

    private void onRequest(RoutingContext rc) {
        rc.addHeadersEndHandler(v -> {
            int status = rc.response().getStatusCode();
            boolean options = rc.request().method().name().equals(HttpMethod.OPTIONS) && status < 300;
            if (status == 405 || options) {
                allowedMethods().allowHeader(rc.normalizedPath())
                        .ifPresent(allow -> rc.response().headers().set(HttpHeaders.ALLOW, allow));
            }
        });
        rc.next();
    }

    /** Built at the first 404, 405 or OPTIONS, not at start: the resource classes are this service's CDI beans. */
    AllowedMethods allowedMethods() {
        AllowedMethods result = allowed;
        if (result == null) {
            List<Class<?>> resources = new ArrayList<>();
            for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
                if (bean.getBeanClass().isAnnotationPresent(Path.class)) {
                    resources.add(bean.getBeanClass());
                }
            }
            result = AllowedMethods.of(resources);
            allowed = result;
        }
        return result;
    }
}
