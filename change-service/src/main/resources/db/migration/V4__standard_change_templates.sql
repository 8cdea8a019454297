-- The standard-change catalogue: pre-approved templates that STANDARD changes are raised from.
create table change_template (
    id                  uuid         primary key,
    name                varchar(160) not null unique,
    short_description   varchar(160) not null,
    description         text,
    implementation_plan text         not null,
    backout_plan        text         not null,
    test_plan           text         not null,
    assignment_group    varchar(255),
    active              boolean      not null,
    created_by          varchar(255) not null,
    created_at          timestamptz  not null,
    updated_at          timestamptz  not null,
    version             bigint       not null
);

create table change_template_ci (
    template_id uuid not null references change_template (id) on delete cascade,
    ci_id       uuid not null,
    primary key (template_id, ci_id)
);

alter table change_request add constraint change_request_template foreign key (template_id) references change_template (id);
