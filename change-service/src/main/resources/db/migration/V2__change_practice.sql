-- The change practice: plans, CIs, assignment, implementation times, risk, approvals, closure and history.
alter table change_request
    add column template_id          uuid,
    add column justification        text,
    add column implementation_plan  text,
    add column backout_plan         text,
    add column test_plan            text,
    add column assignment_group     varchar(255),
    add column assignee             varchar(255),
    add column actual_start         timestamptz,
    add column actual_end           timestamptz,
    add column risk                 varchar(16),
    add column risk_score           integer,
    add column risk_factors         text        not null default '[]',
    add column approval_round       integer     not null default 1,
    add column rejection_reason     text,
    add column conflict_override    text,
    add column conflicts            text        not null default '[]',
    add column close_code           varchar(32),
    add column close_notes          text,
    add column review_notes         text;

create index change_request_state on change_request (state, planned_start);
create index change_request_updated_at on change_request (updated_at desc, id);
create index change_request_assignment on change_request (assignment_group, assignee);

create table change_ci (
    change_id uuid not null references change_request (id) on delete cascade,
    ci_id     uuid not null,
    primary key (change_id, ci_id)
);
create index change_ci_by_ci on change_ci (ci_id);

-- One decision per approver and approval round; a rejection starts a new round.
create table change_approval (
    id         uuid         primary key,
    change_id  uuid         not null references change_request (id) on delete cascade,
    round      integer      not null,
    approver   varchar(255) not null,
    role       varchar(64)  not null,
    decision   varchar(16)  not null,
    comment    text,
    decided_at timestamptz  not null,
    unique (change_id, round, approver)
);
create index change_approval_change on change_approval (change_id, decided_at, id);

-- Every change of a change request: who, when, which event, and each field from -> to (JSON array of FieldChange).
create table change_history (
    id         bigserial    primary key,
    change_id  uuid         not null references change_request (id) on delete cascade,
    at         timestamptz  not null,
    actor      varchar(255) not null,
    event_type varchar(64)  not null,
    changes    text         not null
);
create index change_history_change on change_history (change_id, at, id);
