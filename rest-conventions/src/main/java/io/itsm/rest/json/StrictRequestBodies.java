package io.itsm.rest.json;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How the services read a client's request body: a field the resource does not have is refused (400 naming it, "is
 * not a known field"), as a PATCH already refused it, instead of being dropped without a word (a create with
 * {@code "assigned_to"} or a misspelt {@code "configurationItems"} was answered 201 without it).
 *
 * <p>Only the REST layer reads strictly: the application's {@link ObjectMapper} stays tolerant, because what the
 * services read with it besides (events of other services and of newer replicas of their own, stored documents) may
 * carry fields this version does not know. A service that reads a client's JSON outside a resource method's parameter
 * (a streamed import) reads it with {@link #mapper()}.
 */
@Provider
@Singleton
public class StrictRequestBodies implements ContextResolver<ObjectMapper> {

    private final ObjectMapper strict;

    @Inject
    public StrictRequestBodies(ObjectMapper application) {
        this.strict = application.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return strict;
    }

    /** The application's mapper, reading unknown fields as errors. */
    public ObjectMapper mapper() {
        return strict;
    }
}
