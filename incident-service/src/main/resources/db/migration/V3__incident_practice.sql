-- The rest of the incident practice: categories, assignment, major and parent incidents, response time,
-- SLA clocks, history and notes.
alter table incident
    add column category                 varchar(100),
    add column subcategory              varchar(100),
    add column assignment_group         varchar(255),
    add column assignee                 varchar(255),
    add column reassignment_count       integer     not null default 0,
    add column major_incident           boolean     not null default false,
    add column parent_incident_id       uuid        references incident (id),
    add column responded_at             timestamptz,
    add column sla_response_target_s    bigint,
    add column sla_resolution_target_s  bigint,
    add column sla_response_due_at      timestamptz,
    add column sla_resolution_due_at    timestamptz,
    add column sla_paused_ms            bigint      not null default 0,
    add column sla_paused_since         timestamptz,
    add column sla_response_warned      boolean     not null default false,
    add column sla_response_breached    boolean     not null default false,
    add column sla_resolution_warned    boolean     not null default false,
    add column sla_resolution_breached  boolean     not null default false,
    add column sla_next_check_at        timestamptz;

-- the scheduler's queues: SLA thresholds due, resolved incidents to close
create index incident_sla_next_check on incident (sla_next_check_at) where sla_next_check_at is not null;
create index incident_resolved_at on incident (resolved_at) where state = 'RESOLVED';
-- list filters and sorts
create index incident_state_priority on incident (state, priority);
create index incident_updated_at on incident (updated_at desc, id);
create index incident_assignment on incident (assignment_group, assignee);
create index incident_parent on incident (parent_incident_id) where parent_incident_id is not null;
create index incident_ci_by_ci on incident_ci (ci_id);

-- Every change of an incident: who, when, which event, and each field from -> to (JSON array of FieldChange).
create table incident_history (
    id          bigserial    primary key,
    incident_id uuid         not null references incident (id) on delete cascade,
    at          timestamptz  not null,
    actor       varchar(255) not null,
    event_type  varchar(64)  not null,
    changes     text         not null
);
create index incident_history_incident on incident_history (incident_id, at, id);

create table incident_note (
    id          uuid         primary key,
    incident_id uuid         not null references incident (id) on delete cascade,
    created_at  timestamptz  not null,
    author      varchar(255) not null,
    visibility  varchar(16)  not null,
    text        text         not null
);
create index incident_note_incident on incident_note (incident_id, created_at, id);
