-- A repeatable migration with idempotent DDL, so this library never competes with the services' own
-- versioned migrations (V1, V2, ...) for a version number; Flyway runs it after them whenever it changes.
-- Change these tables only with statements that can run again (if not exists / add column if not exists).

-- Transactional outbox, in the column layout Debezium's outbox EventRouter reads
-- (id, aggregatetype, aggregateid, type, payload), so production can replace the polling relay with CDC.
-- seq gives the publish order; the relay deletes a row once Kafka acknowledged it.
create table if not exists outbox_event (
    seq           bigserial    not null,
    id            uuid         primary key,
    aggregatetype varchar(64)  not null,
    aggregateid   varchar(64)  not null,
    type          varchar(128) not null,
    payload       json         not null,
    source        varchar(255) not null,
    dataschema    varchar(255),
    occurred_at   timestamptz  not null,
    traceparent   varchar(64)
);
create unique index if not exists outbox_event_seq on outbox_event (seq);
-- the X-Request-Id of the request that caused the event (CloudEvents extension requestid)
alter table outbox_event add column if not exists requestid varchar(200);

-- Idempotent consumer: one row per processed event, written in the transaction of its effect.
create table if not exists inbox_event (
    source       varchar(255) not null,
    event_id     uuid         not null,
    topic        varchar(255) not null,
    type         varchar(128) not null,
    processed_at timestamptz  not null default now(),
    primary key (source, event_id)
);

-- The relay's in-flight note: the highest seq of the batch a pass is publishing, committed before it publishes and
-- cleared in the transaction that deletes the published rows. Found set, it tells the next pass that rows up to it
-- may be on Kafka already (a relay died or failed after publishing), so they are checked, not published twice.
create table if not exists outbox_relay_state (
    id              smallint    primary key,
    in_flight_up_to bigint,
    updated_at      timestamptz not null default now()
);
