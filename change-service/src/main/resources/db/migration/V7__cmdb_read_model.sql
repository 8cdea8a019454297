-- Local read model of the CMDB, fed by itsm.cmdb.events through the inbox: the CIs (for criticality) and the
-- relationships between them as dependent -> dependency edges (for blast radius, related-CI conflicts and
-- upstream incident correlation).
create table ci_read_model (
    id          uuid         primary key,
    number      varchar(16)  not null,
    name        varchar(255) not null,
    status      varchar(32)  not null,
    criticality smallint     not null,
    version     bigint       not null,
    updated_at  timestamptz  not null
);

create table ci_dependency (
    id            uuid        primary key,
    dependent_id  uuid        not null,
    dependency_id uuid        not null,
    type          varchar(32) not null,
    version       bigint      not null,
    deleted       boolean     not null
);
create index ci_dependency_by_dependent on ci_dependency (dependent_id) where not deleted;
create index ci_dependency_by_dependency on ci_dependency (dependency_id) where not deleted;
