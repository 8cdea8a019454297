package io.itsm.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The validator is as strict as an API server on the points kustomize lets through. */
class ApiObjectValidatorTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                    - name: web
                      image: example/web:1.0
                      ports:
                        - name: http
                          containerPort: 8080
            """;

    @Test
    void acceptsValidObjects() {
        assertThat(validate(DEPLOYMENT + """
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector:
                    app: web
                  ports:
                    - port: 80
                      targetPort: http
                """)).isEmpty();
    }

    @Test
    void rejectsUnknownFieldsWrongTypesAndBadNames() {
        assertThat(validate(DEPLOYMENT.replace("image: example/web:1.0", "imag: example/web:1.0")))
                .contains("schema Deployment/web: unknown field spec.template.spec.containers[0].imag");
        assertThat(validate(DEPLOYMENT.replace("containerPort: 8080", "containerPort: \"8080\"")))
                .anyMatch(v -> v.startsWith("schema Deployment/web: at spec.template.spec.containers[0].ports[0]"
                        + ".containerPort: Cannot coerce String value"));
        assertThat(validate(DEPLOYMENT.replace("  name: web\nspec", "  name: web\n  labels:\n    tier: 1\nspec")))
                .anyMatch(v -> v.startsWith("schema Deployment/web: at metadata.labels.tier: Cannot coerce Integer"));
        assertThat(validate(DEPLOYMENT.replace("name: web\nspec", "name: Web_1\nspec")))
                .contains("required Deployment/Web_1: metadata.name must be a lower-case DNS subdomain, is \"Web_1\"");
    }

    @Test
    void rejectsMissingRequiredFields() {
        assertThat(validate(DEPLOYMENT.replace("app: web\n  template", "other: x\n  template")))
                .contains("required Deployment/web: spec.selector does not select the labels of spec.template");
        assertThat(validate("""
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata:
                  name: web
                spec:
                  selector:
                    matchLabels:
                      app: web
                """)).containsExactly(
                "required PodDisruptionBudget/web: needs exactly one of spec.minAvailable and spec.maxUnavailable");
    }

    @Test
    void rejectsDanglingReferences() {
        assertThat(validate(DEPLOYMENT + """
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector:
                    app: api
                  ports:
                    - port: 80
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: api
                spec:
                  scaleTargetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: api
                  maxReplicas: 3
                """)).containsExactlyInAnyOrder(
                "reference Service/web: its selector {app=api} selects no pods of this render",
                "reference HorizontalPodAutoscaler/api: scales Deployment/api, which this render does not contain");
    }

    @Test
    void rejectsUnknownApiVersions() {
        assertThat(validate("""
                apiVersion: policy/v1beta1
                kind: PodDisruptionBudget
                metadata:
                  name: web
                spec:
                  maxUnavailable: 1
                """)).containsExactly("unknown-kind PodDisruptionBudget/web: no schema known for "
                + "policy/v1beta1/PodDisruptionBudget: fix the apiVersion or teach ApiObjectValidator the kind");
    }

    private static List<String> validate(String yaml) {
        return ApiObjectValidator.validate(Manifest.parse(yaml)).stream().map(Violation::toString).toList();
    }
}
