package io.itsm.cmdb.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.itsm.testsupport.TestMongo;

/** The identity index's writes on the MongoDB test store, without Quarkus: keys inserted when absent, upserted otherwise. */
class IdentityIndexTest {

    private MongoClient client;
    private IdentityIndex index;

    @BeforeEach
    void freshDatabase() {
        client = MongoClients.create(TestMongo.connectionString());
        CmdbDatabase db = new CmdbDatabase();
        db.client = client;
        db.databaseName = "cmdb_identity_" + UUID.randomUUID().toString().substring(0, 8);
        index = new IdentityIndex();
        index.db = db;
    }

    @AfterEach
    void drop() {
        index.db.database().drop();
        client.close();
    }

    private static IdentityIndex.Key key(String value) {
        return new IdentityIndex.Key(value, 0, List.of("serialNumber"));
    }

    @Test
    void absentKeysAreInsertedAndKnownOrSharedOnesGainEachCi() {
        index.add(Map.of("ci-old", List.of(key("hardware|serialNumber=\"SN-1\""))));
        Map<String, List<IdentityIndex.Key>> keys = new LinkedHashMap<>();
        keys.put("ci-a", List.of(key("hardware|serialNumber=\"SN-2\""), key("hardware|name=\"a\"")));
        keys.put("ci-b", List.of(key("hardware|serialNumber=\"SN-1\""), key("hardware|name=\"a\"")));

        index.addNew(keys, Set.of("hardware|serialNumber=\"SN-1\""));      // what the lookup found

        assertThat(index.lookup(List.of("hardware|serialNumber=\"SN-1\"", "hardware|serialNumber=\"SN-2\"",
                "hardware|name=\"a\"", "hardware|serialNumber=\"SN-3\""))).isEqualTo(Map.of(
                "hardware|serialNumber=\"SN-1\"", Set.of("ci-old", "ci-b"),
                "hardware|serialNumber=\"SN-2\"", Set.of("ci-a"),
                "hardware|name=\"a\"", Set.of("ci-a", "ci-b")));
    }

    @Test
    void aKeyAnotherWriterInsertedMeanwhileKeepsBothCis() {
        // found absent by the caller's lookup, then written by a concurrent import before the caller's insert
        index.add(Map.of("ci-concurrent", List.of(key("hardware|serialNumber=\"SN-9\""))));

        index.addNew(Map.of("ci-mine", List.of(key("hardware|serialNumber=\"SN-9\""), key("hardware|serialNumber=\"SN-10\""))),
                Set.of());

        assertThat(index.lookup(List.of("hardware|serialNumber=\"SN-9\"", "hardware|serialNumber=\"SN-10\""))).isEqualTo(Map.of(
                "hardware|serialNumber=\"SN-9\"", Set.of("ci-concurrent", "ci-mine"),
                "hardware|serialNumber=\"SN-10\"", Set.of("ci-mine")));
    }
}
