package io.itsm.change.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.change.ChangeRequest;
import io.itsm.change.cmdb.CmdbGraph;
import io.itsm.change.config.ChangeConfig;
import io.itsm.change.history.ChangeJournal;
import io.itsm.change.mapping.ChangeMapper;

/**
 * Finds the changes that may have caused a new incident: changes whose implementation (from {@code actualStart}
 * to {@code actualEnd}, or still going on) falls within the correlation window before the incident was opened and
 * that touched one of its CIs or a CI they depend on (upstream in the CMDB read model, up to
 * {@code itsm.change.correlation.depth} hops). They are ranked by graph distance (0: a shared CI), then by how
 * recent the implementation was, kept for {@code GET /api/changes/{id}/related-incidents}, and published as
 * {@code itsm.change.incident-correlated}.
 */
@ApplicationScoped
public class IncidentCorrelator {

    @Inject
    EntityManager entityManager;

    @Inject
    ChangeConfig config;

    @Inject
    ChangeMapper mapper;

    @Inject
    ChangeJournal journal;

    @Inject
    CmdbGraph graph;

    /** A candidate cause, as the event and the API carry it. */
    @Schema(name = "CandidateChange")
    public record Candidate(UUID changeId, String changeNumber, int distance, Instant implementedAt, double score) {
    }

    /** A newly opened incident, as its created event described it. */
    public record NewIncident(UUID id, String number, Instant openedAt, Set<UUID> configurationItemIds) {
    }

    /**
     * Correlates newly opened incidents; runs in the inbox transaction of their created events. One query finds the
     * changes implemented in the window before any of them; only when there are some are the incidents' CIs and what
     * they depend on followed in the CMDB read model.
     */
    public void correlate(List<NewIncident> incidents, Instant now) {
        List<NewIncident> onCis = incidents.stream().filter(i -> !i.configurationItemIds().isEmpty()).toList();
        if (onCis.isEmpty()) {
            return;
        }
        Duration window = config.correlation().window();
        Instant latest = onCis.stream().map(NewIncident::openedAt).max(Comparator.naturalOrder()).orElseThrow();
        Instant earliest = onCis.stream().map(NewIncident::openedAt).min(Comparator.naturalOrder()).orElseThrow().minus(window);
        List<ChangeRequest> implemented = ChangeRequest.implementedBetween(earliest, latest);
        if (implemented.isEmpty()) {
            return;
        }
        for (NewIncident incident : onCis) {
            correlate(incident, implemented, window, now);
        }
    }

    private void correlate(NewIncident incident, List<ChangeRequest> implemented, Duration window, Instant now) {
        Instant from = incident.openedAt().minus(window);
        Map<UUID, Integer> near = new HashMap<>(graph.upstream(incident.configurationItemIds(), config.correlation().depth()));
        incident.configurationItemIds().forEach(ci -> near.put(ci, 0));
        List<ChangeRequest> changes = implemented.stream()
                .filter(c -> !c.actualStart().isAfter(incident.openedAt()) && (c.actualEnd() == null || !c.actualEnd().isBefore(from)))
                .filter(c -> c.configurationItemIds().stream().anyMatch(near::containsKey))
                .toList();
        if (changes.isEmpty()) {
            return;
        }
        List<Candidate> candidates = new ArrayList<>();
        for (ChangeRequest change : changes) {
            Instant implementedAt = change.actualEnd() != null ? change.actualEnd() : change.actualStart();
            int distance = change.configurationItemIds().stream().filter(near::containsKey).mapToInt(near::get).min().orElseThrow();
            double age = Math.max(0, Duration.between(implementedAt, incident.openedAt()).toMillis()) / (double) window.toMillis();
            double score = Math.round(1000 * Math.max(0.0, 1.0 - age) / (1 + distance)) / 1000.0;
            candidates.add(new Candidate(change.id, change.number, distance, implementedAt, score));
        }
        candidates.sort(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::implementedAt, Comparator.reverseOrder()));
        for (Candidate candidate : candidates) {
            IncidentCorrelation.Key key = new IncidentCorrelation.Key(candidate.changeId(), incident.id());
            if (IncidentCorrelation.findById(key) == null) {
                IncidentCorrelation row = new IncidentCorrelation();
                row.key = key;
                row.incidentNumber = incident.number();
                row.distance = candidate.distance();
                row.score = candidate.score();
                row.correlatedAt = now;
                row.persist();
            }
        }
        ChangeRequest best = changes.stream().filter(c -> c.id.equals(candidates.get(0).changeId())).findFirst().orElseThrow();
        journal.publishCorrelation(mapper.toView(best), incident.id(), List.copyOf(candidates));
    }

    /** The incidents a change was correlated with, most likely first. */
    public List<IncidentCorrelation> of(UUID changeId) {
        return IncidentCorrelation.list("key.changeId = ?1 order by score desc, correlatedAt desc", changeId);
    }
}
