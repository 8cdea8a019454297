package io.itsm.rest.query;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Query parameters a resource method reads itself from {@code UriInfo}, by a name prefix (cmdb-service's
 * {@code attr.os=linux}): {@link DeclaredQueryParameters} lets them through.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface QueryParameterPrefix {

    /** The prefixes, e.g. {@code "attr."}. */
    String[] value();
}
