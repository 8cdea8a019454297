package io.itsm.cmdb.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

/** The service's own MongoDB database ({@code quarkus.mongodb.database}) and its collections. */
@ApplicationScoped
public class CmdbDatabase {

    /** Configuration items; their documents carry the outbox (listed in {@code itsm.events.mongodb.outbox-collections}). */
    public static final String CIS = "ci";
    /** Relationships between CIs; their documents carry the outbox too. */
    public static final String RELATIONSHIPS = "relationship";
    /** Counters of the human numbers. */
    public static final String COUNTERS = "counters";

    @Inject
    MongoClient client;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String databaseName;

    public MongoDatabase database() {
        return client.getDatabase(databaseName);
    }

    public MongoCollection<Document> collection(String name) {
        return database().getCollection(name);
    }
}
