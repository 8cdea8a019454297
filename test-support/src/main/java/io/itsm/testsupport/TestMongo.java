package io.itsm.testsupport;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * The MongoDB store for tests: a MongoDB-wire-protocol server in the test JVM on a random port, or a real
 * MongoDB when {@code ITSM_TEST_MONGODB_URI} (environment) or {@code itsm.test.mongodb.uri} (system
 * property) names one, so the same tests can prove the code on real MongoDB.
 */
public final class TestMongo {

    private static MongoServer server;
    private static String uri;

    private TestMongo() {
    }

    public static synchronized String connectionString() {
        if (uri == null) {
            String external = System.getProperty("itsm.test.mongodb.uri", System.getenv("ITSM_TEST_MONGODB_URI"));
            if (external != null && !external.isBlank()) {
                uri = external;
            } else {
                server = new MongoServer(new MemoryBackend());
                server.bind("127.0.0.1", 0);
                uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
                Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "test-mongo-stop"));
            }
        }
        return uri;
    }

    /** Whether the tests run against the MongoDB-wire server rather than a real MongoDB. */
    public static boolean isWireServer() {
        connectionString();
        return server != null;
    }
}
