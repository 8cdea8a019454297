-- Idempotency-Key records of creating POSTs (rest-postgres). Repeatable and idempotent, like db/events.
create table if not exists idempotency_key (
    scope           varchar(255) not null,
    idempotency_key varchar(255) not null,
    fingerprint     char(64)     not null,
    status          integer      not null default 0,
    location        varchar(512),
    body            text,
    created_at      timestamptz  not null,
    primary key (scope, idempotency_key)
);
create index if not exists idempotency_key_created_at on idempotency_key (created_at);
