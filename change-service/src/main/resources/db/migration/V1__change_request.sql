create sequence change_number_seq start with 10001;

create table change_request (
    id                uuid         primary key,
    number            varchar(10)  not null unique,
    type              varchar(16)  not null,
    short_description varchar(160) not null,
    description       text,
    requested_by      varchar(255),
    planned_start     timestamptz,
    planned_end       timestamptz,
    state             varchar(16)  not null,
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null,
    version           bigint       not null
);
create index change_request_created_at on change_request (created_at desc, id);
