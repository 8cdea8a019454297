-- A CI's maintenance window (the CMDB attribute maintenanceWindow), when it has a valid one: changes on the CI
-- must fit into it.
alter table ci_read_model add column maintenance_window text;
