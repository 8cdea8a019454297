-- Incident correlation asks, once per batch of incident events, which changes were implemented in a window.
create index change_request_implementation on change_request (actual_start, actual_end) where actual_start is not null;
