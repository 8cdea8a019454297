package io.itsm.cmdb.reconcile;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One discovered or imported CI. It is identified by the identifier rules of its class (e.g. serialNumber, then
 * hostname + domain, then name + ciClass); only the fields it gives are written, each subject to attribute authority.
 *
 * @param ref a key of the client's own for this item, unique within the import, that relationships may name
 */
@Schema(name = "ReconcileItem", description = "A discovered CI")
public record ReconcileItem(
        @Schema(description = "The client's key for the item, for relationships in the same import", example = "host-17") String ref,
        @Schema(example = "linux_server") String ciClass,
        @Schema(description = "Required when the item creates a CI", example = "web-17") String name,
        @Schema(description = "PLANNED, INSTALLED or IN_MAINTENANCE") String status,
        @Schema(description = "PRODUCTION, STAGING, TEST or DEVELOPMENT") String environment,
        @Schema(description = "1 (highest) to 4") Integer criticality,
        String owner,
        String supportGroup,
        @Schema(example = "{\"serialNumber\": \"SN-1001\", \"hostname\": \"web-17\", \"domain\": \"example.org\", \"cpu\": 8}")
        Map<String, Object> attributes) {
}
