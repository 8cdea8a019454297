package io.itsm.rest;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.Path;

import io.quarkus.arc.Arc;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Holds this service's {@link AllowedMethods}, and sets the {@code Allow} header of an {@code OPTIONS} answer
 * (RESTEasy Reactive's default one) to the methods the requested path really takes, just before the response's
 * headers are written. {@link ProblemMapper} sets it on a 405. A path no resource has keeps what it had.
 */
@ApplicationScoped
public class AllowHeader {

    /** Right after {@link RequestHeadCheck}, before the routes that answer. */
    static final int ORDER = RequestHeadCheck.ORDER + 1;

    private volatile AllowedMethods allowed;

    void register(@Observes Router router) {
        router.route().method(HttpMethod.OPTIONS).order(ORDER).handler(this::onOptions);
    }

    private void onOptions(RoutingContext rc) {
        rc.addHeadersEndHandler(v -> {
            if (rc.response().getStatusCode() < 300) {
                allowedMethods().at(rc.normalizedPath())
                        .ifPresent(allowed -> rc.response().headers().set(HttpHeaders.ALLOW, allowed.header()));
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
