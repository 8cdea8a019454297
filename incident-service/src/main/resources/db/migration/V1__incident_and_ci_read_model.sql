create sequence incident_number_seq start with 10001;

create table incident (
    id                uuid         primary key,
    number            varchar(10)  not null unique,
    short_description varchar(160) not null,
    description       text,
    caller            varchar(255),
    impact            smallint     not null,
    urgency           smallint     not null,
    priority          smallint     not null,
    state             varchar(16)  not null,
    opened_at         timestamptz  not null,
    updated_at        timestamptz  not null,
    version           bigint       not null
);
create index incident_opened_at on incident (opened_at desc, id);

create table incident_ci (
    incident_id uuid not null references incident (id) on delete cascade,
    ci_id       uuid not null,
    primary key (incident_id, ci_id)
);

-- Local read model of the CMDB's configuration items, fed by itsm.cmdb.events through the inbox.
create table ci_read_model (
    id         uuid         primary key,
    number     varchar(16)  not null,
    name       varchar(255) not null,
    ci_class   varchar(64)  not null,
    status     varchar(32)  not null,
    version    bigint       not null,
    updated_at timestamptz  not null
);
