-- Local read model of incident-service's incidents, fed by itsm.incident.events through the inbox: what risk
-- assessment and the CI/CD gate need to know about incidents on the CIs of a change.
create table incident_read_model (
    id         uuid        primary key,
    number     varchar(16) not null,
    priority   smallint    not null,
    state      varchar(16) not null,
    opened_at  timestamptz not null,
    version    bigint      not null,
    updated_at timestamptz not null
);

create table incident_read_model_ci (
    incident_id uuid not null references incident_read_model (id) on delete cascade,
    ci_id       uuid not null,
    primary key (incident_id, ci_id)
);
create index incident_read_model_ci_by_ci on incident_read_model_ci (ci_id);
