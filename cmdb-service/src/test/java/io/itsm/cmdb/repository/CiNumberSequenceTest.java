package io.itsm.cmdb.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.itsm.testsupport.TestMongo;

/** The CI number counter on the MongoDB test store, without Quarkus: starts at CI0010001, never repeats. */
class CiNumberSequenceTest {

    private MongoClient client;
    private CiNumberSequence sequence;

    @BeforeEach
    void freshDatabase() {
        client = MongoClients.create(TestMongo.connectionString());
        CmdbDatabase db = new CmdbDatabase();
        db.client = client;
        db.databaseName = "cmdb_seq_" + UUID.randomUUID().toString().substring(0, 8);
        sequence = new CiNumberSequence();
        sequence.db = db;
    }

    @AfterEach
    void drop() {
        sequence.db.database().drop();
        client.close();
    }

    @Test
    void startsAtCI0010001AndCountsUp() {
        assertThat(sequence.next()).isEqualTo("CI0010001");
        assertThat(sequence.next()).isEqualTo("CI0010002");
        assertThat(CiNumberSequence.format(9_999_999)).isEqualTo("CI9999999");
    }

    @Test
    void concurrentCreatesNeverShareANumber() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Set<String> numbers = ConcurrentHashMap.newKeySet();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(pool.submit(() -> numbers.add(sequence.next())));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(numbers).hasSize(200).contains("CI0010001", "CI0010200");
    }
}
