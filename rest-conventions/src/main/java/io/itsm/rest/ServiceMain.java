package io.itsm.rest;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The services' entry point: Quarkus's own, after one setting that must be made before Quarkus initialises its HTTP
 * layer. Quarkus answers a request target that is not a URI ({@code ?q=100%}) with an empty 400 before any route runs;
 * with its check off, {@link RequestHeadCheck} answers it with a problem naming the part at fault.
 */
@QuarkusMain
public final class ServiceMain {

    private ServiceMain() {
    }

    public static void main(String... args) {
        System.setProperty("vertx.disableURIValidation", "true");
        Quarkus.run(args);
    }
}
