-- The number is assigned by the insert itself (and returned by it), one round trip less per new incident.
alter table incident alter column number set default 'INC' || lpad(nextval('incident_number_seq')::text, 7, '0');
