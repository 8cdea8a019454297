package io.itsm.rest;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * Failures of the HTTP layer under Quarkus REST (a request without {@code Host}, a body that grows past the limit while
 * it is read, a failing route of an extension) as problems: Quarkus's own error page would answer them with its JSON or
 * HTML and, for a 5xx, a stack. Failures of security keep Quarkus's handling (the challenge), and everything Quarkus
 * REST handles is mapped by {@link ProblemMapper}.
 */
@ApplicationScoped
public class RouterProblems {

    void register(@Observes Router router, ObjectMapper json) {
        router.route().order(RequestHeadCheck.ORDER).failureHandler(rc -> handle(rc, json));
    }

    private static void handle(RoutingContext rc, ObjectMapper json) {
        Throwable failure = rc.failure();
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException
                || failure instanceof ForbiddenException) {
            rc.next();
            return;
        }
        int status = failure instanceof HttpException http ? http.getStatusCode() : rc.statusCode();
        if (status < 400 || status > 599) {
            status = 500;
        }
        if (status >= 500) {
            RequestHeadCheck.send(rc, json, ProblemMapper.internalErrorProblem(failure,
                    rc.request().method() + " " + rc.request().path(), instance(rc)));
            return;
        }
        String detail = failure == null || failure.getMessage() == null ? "the request cannot be handled"
                : failure.getMessage();
        RequestHeadCheck.send(rc, json, ProblemMapper.ofStatus(status, detail, instance(rc)));
    }

    private static URI instance(RoutingContext rc) {
        try {
            return URI.create(rc.request().path());
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }
}
