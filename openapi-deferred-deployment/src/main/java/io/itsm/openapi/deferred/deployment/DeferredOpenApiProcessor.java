package io.itsm.openapi.deferred.deployment;

import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.BytecodeTransformerBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;

/**
 * Rewrites quarkus-smallrye-openapi's document service so that its documents are built on their first request
 * ({@link DocumentServiceVisitor}, {@code io.itsm.openapi.deferred.DeferredDocuments}).
 */
public class DeferredOpenApiProcessor {

    static final String FEATURE = "itsm-openapi-deferred";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    BytecodeTransformerBuildItem deferDocuments() {
        return new BytecodeTransformerBuildItem.Builder()
                .setClassToTransform(DocumentServiceVisitor.DOCUMENT_SERVICE)
                .setCacheable(true)
                .setVisitorFunction((className, visitor) -> new DocumentServiceVisitor(visitor))
                .build();
    }
}
