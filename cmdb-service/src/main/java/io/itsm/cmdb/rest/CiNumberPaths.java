package io.itsm.cmdb.rest;

import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.itsm.cmdb.repository.CiRepository;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Lets a client address a CI by its number wherever it can by its id: {@code /api/cmdb/cis/CI0010001/history} is
 * routed as {@code /api/cmdb/cis/<its id>/history}, before a resource is chosen, so every operation on one CI takes
 * either (the gateway's CI overview promised it, and people quote numbers). A number no CI has stays in the path, and
 * the answer is the 404 naming it. The lookup (the unique index on {@code number}) runs on a worker thread, and only
 * for an authenticated caller: a request without a valid token goes on unresolved to its 401, costing the store nothing.
 */
public class CiNumberPaths {

    /** How the OpenAPI document describes a CI's path parameter. */
    public static final String ID_OR_NUMBER = "The CI's id, or its number";

    private static final Pattern PATH = Pattern.compile("(/api/cmdb/cis/)(CI[0-9]{7})(/.*)?");

    @Inject
    CiRepository repository;

    @Inject
    CurrentIdentityAssociation identities;

    @ServerRequestFilter(preMatching = true)
    public Uni<Void> resolve(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        Matcher path = PATH.matcher(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (!path.matches()) {
            return Uni.createFrom().voidItem();
        }
        String number = path.group(2);
        // the request's identity, authenticated now (memoised: the endpoint's role check reuses it, failure included)
        return identities.getDeferredIdentity().onFailure().recoverWithItem((SecurityIdentity) null)
                .chain(identity -> identity == null || identity.isAnonymous() ? Uni.createFrom().voidItem() : resolve(request, uri, path, number));
    }

    private Uni<Void> resolve(ContainerRequestContext request, URI uri, Matcher path, String number) {
        return Uni.createFrom().item(() -> repository.idsByNumber(List.of(number)).get(number))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .invoke(id -> {
                    if (id != null) {
                        String rest = path.group(3) == null ? "" : path.group(3);
                        request.setRequestUri(URI.create(path.group(1) + id + rest
                                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())));
                    }
                })
                .replaceWithVoid();
    }
}
