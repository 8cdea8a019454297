package io.itsm.rest;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem detail, the body of every error response of the suite
 * ({@code application/problem+json}).
 *
 * @param errors for validation problems: each offending field and why
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem detail; every error of the API has this shape.")
public record Problem(
        @Schema(description = "Identifies the kind of problem", example = "urn:itsm:problem:validation-failed") URI type,
        @Schema(description = "Short summary of the kind of problem", example = "Validation failed") String title,
        @Schema(description = "HTTP status code", example = "400") int status,
        @Schema(description = "What went wrong with this request", example = "shortDescription must not be blank") String detail,
        @Schema(description = "The request path", format = "uri-reference", example = "/api/incidents") URI instance,
        @Schema(description = "The offending fields, for validation problems") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One field that failed validation. */
    @Schema(name = "FieldError")
    public record FieldError(
            @Schema(description = "JSON path of the field", example = "impact") String field,
            @Schema(description = "Why it was rejected", example = "must be between 1 and 3") String message) {

        /** The errors as one detail line: {@code "impact must be …; urgency must be …"}. */
        public static String summary(List<FieldError> errors) {
            return errors.stream().map(e -> e.field() + " " + e.message()).reduce((a, b) -> a + "; " + b).orElse("invalid request");
        }
    }

    public static URI type(String slug) {
        return URI.create("urn:itsm:problem:" + slug);
    }
}
