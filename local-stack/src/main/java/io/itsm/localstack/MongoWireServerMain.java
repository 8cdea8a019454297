package io.itsm.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/** Entry point of the MongoDB-wire store's JVM: {@code --port P --file F [--host H]}; SIGTERM saves and exits. */
public final class MongoWireServerMain {

    private MongoWireServerMain() {
    }

    public static void main(String[] args) throws Exception {
        String host = Ports.HOST;
        int port = LocalStackConfig.DEFAULT_MONGODB_PORT;
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--host" -> host = value;
                case "--port" -> port = Integer.parseInt(value);
                case "--file" -> file = Path.of(value);
                default -> {
                    System.err.println("usage: MongoWireServerMain --port PORT --file STORE.mv [--host HOST]");
                    System.exit(2);
                }
            }
            i++;
        }
        if (file == null) {
            System.err.println("usage: MongoWireServerMain --port PORT --file STORE.mv [--host HOST]");
            System.exit(2);
        }
        Path store = file.toAbsolutePath();
        Files.createDirectories(store.getParent());
        H2Backend backend = new MongoWireBackend(MVStore.open(store.toString()));
        MongoServer server = new MongoServer(backend);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("MongoDB-wire store stopping; saving " + store);
            try {
                server.shutdown();
            } finally {
                backend.close();
                System.out.println("MongoDB-wire store stopped");
                stopped.countDown();
            }
        }, "mongo-wire-stop"));
        server.bind(host, port);
        System.out.println("MongoDB-wire store listening on " + host + ":" + port + ", store " + store);
        stopped.await();
    }
}
