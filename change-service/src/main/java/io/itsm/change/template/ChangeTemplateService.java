package io.itsm.change.template;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.rest.EntityTags;
import io.itsm.rest.ProblemException;
import io.itsm.rest.paging.Page;
import io.itsm.rest.paging.SortKey;
import io.itsm.rest.paging.SortOrder;
import io.itsm.rest.patch.PatchedInput;
import io.itsm.rest.postgres.KeysetQuery;
import io.itsm.rest.postgres.SortableField;
import io.itsm.rest.security.Actor;

/** The standard-change catalogue: templates that change managers pre-approve, and the lookup a STANDARD change needs. */
@ApplicationScoped
public class ChangeTemplateService {

    private static final Map<String, String> READ_ONLY = Map.of("id", "is read-only", "version", "is read-only",
            "createdBy", "is read-only", "createdAt", "is read-only", "updatedAt", "is read-only");

    private static final List<SortableField<ChangeTemplate>> SORTABLE = List.of(
            new SortableField<ChangeTemplate>("name", "t.name", ChangeTemplate::name, text -> text),
            new SortableField<ChangeTemplate>("createdAt", "t.createdAt", t -> t.createdAt, Instant::parse),
            new SortableField<ChangeTemplate>("updatedAt", "t.updatedAt", t -> t.updatedAt, Instant::parse));
    private static final SortableField<ChangeTemplate> BY_ID = new SortableField<>("id", "t.id", t -> t.id, UUID::fromString);
    private static final List<SortKey> BY_NAME = List.of(new SortKey("name", false));

    @Inject
    EntityManager entityManager;

    @Inject
    ObjectMapper objectMapper;

    @Inject
    Validator validator;

    @Inject
    Clock clock;

    /** @throws ProblemException 409 when the name is taken */
    @Transactional
    public ChangeTemplateView create(ChangeTemplateInput input, Actor actor) {
        requireUniqueName(input.name(), null);
        ChangeTemplate template = ChangeTemplate.create(input, actor.name(), now());
        template.persistAndFlush();
        return ChangeTemplateView.of(template);
    }

    /** @throws ProblemException 404, 428/412, 400, 409 (name taken) */
    @Transactional
    public ChangeTemplateView update(UUID id, String ifMatch, JsonNode patch) {
        ChangeTemplate template = load(id);
        EntityTags.requireMatch(ifMatch, template.version);
        ChangeTemplateInput input = PatchedInput.apply(template.input(), patch, READ_ONLY, objectMapper, validator);
        requireUniqueName(input.name(), id);
        template.apply(input, now());
        template.persistAndFlush();
        return ChangeTemplateView.of(template);
    }

    @Transactional
    public ChangeTemplateView find(UUID id) {
        return ChangeTemplateView.of(load(id));
    }

    /**
     * One page of the catalogue: the templates that are active (or not) when {@code active} is given, that name
     * {@code ci}, and whose name or short description contains {@code text}; by name by default.
     *
     * @throws ProblemException 400 for an unknown sort field or a foreign cursor
     */
    @Transactional
    public Page<ChangeTemplateView> list(Boolean active, UUID ci, String text, String sort, String cursor, int limit, boolean count) {
        KeysetQuery<ChangeTemplate> keyset = new KeysetQuery<>(ChangeTemplate.class, "t", SORTABLE, BY_ID);
        List<SortKey> order = SortOrder.parse(sort, keyset.sortableFields(), BY_NAME);
        if (active != null) {
            keyset.where("t.active = :active", "active", active);
        }
        if (ci != null) {
            keyset.where(":ci member of t.configurationItemIds", "ci", ci);
        }
        keyset.whereContains(text, "t.name", "t.shortDescription");
        return keyset.fetch(entityManager, order, cursor, limit, count).map(ChangeTemplateView::of);
    }

    /**
     * The active template a STANDARD change is raised from.
     *
     * @throws ProblemException 422 when it does not exist or is inactive
     */
    public ChangeTemplate requireUsable(UUID id) {
        ChangeTemplate template = ChangeTemplate.findById(id);
        if (template == null) {
            throw ProblemException.unprocessable("templateId", "names template " + id + ", which does not exist");
        }
        if (!template.active()) {
            throw ProblemException.unprocessable("templateId", "names template '" + template.name() + "', which is no longer active");
        }
        return template;
    }

    private void requireUniqueName(String name, UUID self) {
        ChangeTemplate other = ChangeTemplate.find("name", name).firstResult();
        if (other != null && !other.id.equals(self)) {
            throw ProblemException.conflict("a template named '" + name + "' exists already");
        }
    }

    private static ChangeTemplate load(UUID id) {
        return ChangeTemplate.<ChangeTemplate>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("change template", id));
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
