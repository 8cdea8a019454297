// A frontend's use of the types openapi-typescript generates from the merged document (suite-api.d.ts), compiled
// with tsc --strict: the schemas and operations a client needs must exist and have the expected shape.
import type { components, paths } from "./suite-api";

type Schemas = components["schemas"];

export type Incident = Schemas["Incident"];
export type Problem = Schemas["Problem"];
export type FieldError = Schemas["FieldError"];

type CreateIncident = paths["/api/incidents"]["post"];
type CreatedIncident = CreateIncident["responses"][201]["content"]["application/json"];
type ListChanges = paths["/api/changes"]["get"];
type CiImpact = paths["/api/cmdb/cis/{id}/impact"]["get"];
type RateLimited = CreateIncident["responses"][429]["content"]["application/problem+json"];

export function describe(problem: Problem): string {
  const fields = (problem.errors ?? []).map((e: FieldError) => `${e.field}: ${e.message}`).join("; ");
  return `${problem.status} ${problem.title}${fields ? ` (${fields})` : ""}`;
}

export function priorityOf(incident: CreatedIncident): number | undefined {
  return incident.priority;
}

export type Uses = [ListChanges["parameters"], CiImpact["parameters"]["path"], RateLimited];
