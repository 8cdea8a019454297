-- The incident lifecycle: on-hold reason, resolution, reopen count and the resolved/closed times.
alter table incident
    add column on_hold_reason   varchar(32),
    add column resolution_code  varchar(32),
    add column resolution_notes text,
    add column reopen_count     integer     not null default 0,
    add column resolved_at      timestamptz,
    add column closed_at        timestamptz;
