package io.itsm.cmdb.repository;

import java.util.Date;

import org.bson.Document;

import io.itsm.cmdb.domain.CiStatus;
import io.itsm.cmdb.domain.ConfigurationItem;
import io.itsm.cmdb.domain.Environment;
import io.itsm.cmdb.domain.UnderChange;

/** Maps a {@link ConfigurationItem} to its MongoDB document and back (the {@code outbox} field aside). */
final class CiDocuments {

    static final String ID = "_id";
    static final String NUMBER = "number";
    static final String STATUS = "status";
    static final String VERSION = "version";
    static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";
    static final String UNDER_CHANGE = "underChange";
    static final String CI_CLASS = "ciClass";
    /** Set when the CI was deleted: the document stays, with its last state, for history and time travel. */
    static final String DELETED_AT = "deletedAt";
    static final String DELETED_BY = "deletedBy";

    private CiDocuments() {
    }

    static Document toDocument(ConfigurationItem ci) {
        return new Document(ID, ci.id())
                .append(NUMBER, ci.number())
                .append("ciClass", ci.ciClass())
                .append("name", ci.name())
                .append(STATUS, ci.status().name())
                .append("environment", ci.environment() == null ? null : ci.environment().name())
                .append("criticality", ci.criticality())
                .append("owner", ci.owner())
                .append("supportGroup", ci.supportGroup())
                .append("attributes", BsonValues.toBson(ci.attributes()))
                .append(UNDER_CHANGE, underChange(ci.underChange()))
                .append(VERSION, ci.version())
                .append(CREATED_AT, Date.from(ci.createdAt()))
                .append(UPDATED_AT, Date.from(ci.updatedAt()));
    }

    static Document underChange(UnderChange u) {
        return u == null ? null : new Document("changeId", u.changeId()).append("changeNumber", u.changeNumber())
                .append("since", u.since() == null ? null : Date.from(u.since()));
    }

    static UnderChange underChange(Document d) {
        return d == null ? null : new UnderChange(d.getString("changeId"), d.getString("changeNumber"),
                d.getDate("since") == null ? null : d.getDate("since").toInstant());
    }

    /** The fields a change of the CI sets: everything but id, number and creation time. */
    static Document mutableFields(ConfigurationItem ci) {
        Document all = toDocument(ci);
        all.remove(ID);
        all.remove(NUMBER);
        all.remove(CREATED_AT);
        return all;
    }

    static boolean isDeleted(Document d) {
        return d.get(DELETED_AT) != null;
    }

    static ConfigurationItem fromDocument(Document d) {
        String environment = d.getString("environment");
        return new ConfigurationItem(
                d.getString(ID),
                d.getString(NUMBER),
                d.getString("ciClass"),
                d.getString("name"),
                CiStatus.valueOf(d.getString(STATUS)),
                environment == null ? null : Environment.valueOf(environment),
                ((Number) d.get("criticality")).intValue(),
                d.getString("owner"),
                d.getString("supportGroup"),
                BsonValues.attributesFromBson(d.get("attributes")),
                underChange(d.get(UNDER_CHANGE, Document.class)),
                ((Number) d.get(VERSION)).longValue(),
                d.getDate(CREATED_AT).toInstant(),
                d.getDate(UPDATED_AT).toInstant());
    }
}
