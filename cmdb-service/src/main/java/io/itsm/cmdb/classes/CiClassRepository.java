package io.itsm.cmdb.classes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bson.Document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.ReturnDocument;

import io.itsm.cmdb.repository.CmdbDatabase;

/**
 * The {@code ci_class} collection: one document per class, keyed by name. The attribute schema is kept as JSON text,
 * because JSON Schema keywords may start with {@code $}, which MongoDB field names should not. Updates compare-and-swap
 * on {@code version}.
 */
@ApplicationScoped
public class CiClassRepository {

    static final String COLLECTION = "ci_class";
    private static final TypeReference<Map<String, Object>> SCHEMA = new TypeReference<>() {
    };
    private static final TypeReference<List<List<String>>> IDENTIFIER_RULES = new TypeReference<>() {
    };
    private static final TypeReference<List<CiClass.RelationshipRule>> RELATIONSHIP_RULES = new TypeReference<>() {
    };
    private static final TypeReference<List<CiClass.AuthorityRule>> AUTHORITY_RULES = new TypeReference<>() {
    };

    @Inject
    CmdbDatabase db;

    @Inject
    ObjectMapper json;

    public List<CiClass> findAll() {
        List<CiClass> all = new ArrayList<>();
        classes().find().forEach(d -> all.add(fromDocument(d)));
        return all;
    }

    /** Inserts the class unless one of that name exists. @return whether it was inserted */
    public boolean insert(CiClass c) {
        try {
            classes().insertOne(toDocument(c));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** Replaces the class if it is still at {@code expectedVersion}. @return the stored class, or empty when it changed meanwhile */
    public Optional<CiClass> replace(CiClass c, long expectedVersion) {
        Document after = classes().findOneAndReplace(Filters.and(Filters.eq("_id", c.name()), Filters.eq("version", expectedVersion)),
                toDocument(c), new FindOneAndReplaceOptions().returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(after).map(this::fromDocument);
    }

    /** @return whether the class was deleted (false: it changed or vanished meanwhile) */
    public boolean delete(String name, long expectedVersion) {
        return classes().deleteOne(Filters.and(Filters.eq("_id", name), Filters.eq("version", expectedVersion))).getDeletedCount() == 1;
    }

    private Document toDocument(CiClass c) {
        try {
            return new Document("_id", c.name())
                    .append("parent", c.parent())
                    .append("label", c.label())
                    .append("description", c.description())
                    .append("attributeSchema", json.writeValueAsString(c.attributeSchema()))
                    .append("identifierRules", json.writeValueAsString(c.identifierRules() == null ? List.of() : c.identifierRules()))
                    .append("relationships", json.writeValueAsString(c.relationships() == null ? List.of() : c.relationships()))
                    .append("authority", json.writeValueAsString(c.authority() == null ? List.of() : c.authority()))
                    .append("builtIn", c.builtIn())
                    .append("version", c.version())
                    .append("createdAt", Date.from(c.createdAt()))
                    .append("updatedAt", Date.from(c.updatedAt()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a class could not be written as JSON", e);
        }
    }

    private CiClass fromDocument(Document d) {
        try {
            return new CiClass(d.getString("_id"), d.getString("parent"), d.getString("label"), d.getString("description"),
                    json.readValue(d.getString("attributeSchema"), SCHEMA),
                    json.readValue(d.getString("identifierRules"), IDENTIFIER_RULES),
                    json.readValue(d.getString("relationships"), RELATIONSHIP_RULES),
                    json.readValue(d.getString("authority"), AUTHORITY_RULES),
                    d.getBoolean("builtIn", false), ((Number) d.get("version")).longValue(),
                    instant(d.getDate("createdAt")), instant(d.getDate("updatedAt")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("class " + d.getString("_id") + " is not readable", e);
        }
    }

    private static Instant instant(Date date) {
        return date.toInstant();
    }

    private MongoCollection<Document> classes() {
        return db.collection(COLLECTION);
    }
}
