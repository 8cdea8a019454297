-- Changes that may have caused an incident: implemented shortly before it was opened, on its CIs.
create table change_incident_correlation (
    change_id       uuid         not null references change_request (id) on delete cascade,
    incident_id     uuid         not null,
    incident_number varchar(16)  not null,
    distance        integer      not null,
    score           double precision not null,
    correlated_at   timestamptz  not null,
    primary key (change_id, incident_id)
);
create index change_incident_correlation_incident on change_incident_correlation (incident_id);
