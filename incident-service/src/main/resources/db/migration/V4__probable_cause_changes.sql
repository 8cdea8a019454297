-- The changes change-service correlated with the incident (itsm.change.incident-correlated), best candidate first.
alter table incident add column probable_cause_changes text not null default '[]';
