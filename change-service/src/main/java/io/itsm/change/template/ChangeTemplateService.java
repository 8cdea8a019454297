package io.itsm.change.template;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.rest.EntityTags;
import io.itsm.rest.ProblemException;
import io.itsm.rest.patch.PatchedInput;
import io.itsm.rest.security.Actor;
import io.quarkus.panache.common.Sort;

/** The standard-change catalogue: templates that change managers pre-approve, and the lookup a STANDARD change needs. */
@ApplicationScoped
public class ChangeTemplateService {

    private static final Map<String, String> READ_ONLY = Map.of("id", "is read-only", "version", "is read-only",
            "createdBy", "is read-only", "createdAt", "is read-only", "updatedAt", "is read-only");

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

    @Transactional
    public List<ChangeTemplateView> list(Boolean active) {
        List<ChangeTemplate> templates = active == null ? ChangeTemplate.listAll(Sort.ascending("name"))
                : ChangeTemplate.list("active", Sort.ascending("name"), active);
        return templates.stream().map(ChangeTemplateView::of).toList();
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
