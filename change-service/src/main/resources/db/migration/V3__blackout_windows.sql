-- Blackout (change freeze) windows: no change may be scheduled into one, on the CIs it names or, when it names
-- none, on any CI.
create table blackout_window (
    id          uuid         primary key,
    name        varchar(160) not null,
    description text,
    starts_at   timestamptz  not null,
    ends_at     timestamptz  not null,
    created_by  varchar(255) not null,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    version     bigint       not null,
    check (ends_at > starts_at)
);
create index blackout_window_time on blackout_window (starts_at, ends_at);

create table blackout_window_ci (
    blackout_window_id uuid not null references blackout_window (id) on delete cascade,
    ci_id              uuid not null,
    primary key (blackout_window_id, ci_id)
);

-- the planned windows the conflict detector and next-slot search scan
create index change_request_window on change_request (planned_start, planned_end) where state in ('SCHEDULED', 'IMPLEMENT');
