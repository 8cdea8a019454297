#!/usr/bin/env bash
# Runs the tools frontend teams and integrators use on the suite's documents, as ApiDocumentsToolsTest does:
#   @stoplight/spectral-cli (OAS ruleset) and @redocly/cli lint on the merged OpenAPI document, 0 errors;
#   openapi-typescript on it, and tsc --strict on the generated types plus client-usage.ts;
#   @asyncapi/cli validate on the AsyncAPI document, 0 errors.
# usage: check-api-documents.sh OPENAPI.json ASYNCAPI.yaml WORK_DIR
# Installs the pinned tools (package-lock.json) into node_modules here on first use: needs node and npm.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OPENAPI="$1"
ASYNCAPI="$2"
WORK="$3"

command -v npm >/dev/null 2>&1 || { echo "npm is missing (Debian: apt-get install -y nodejs npm)" >&2; exit 2; }
mkdir -p "$WORK"

# No telemetry or update checks: nothing but the npm registry (for the install) is contacted.
export CI=true NO_UPDATE_NOTIFIER=1 REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export ASYNCAPI_METRICS_CONFIG_PATH="$WORK/asyncapi-analytics.json"
echo '{"analyticsEnabled":"false","infoMessageShown":"true","userID":"itsm-ci"}' > "$ASYNCAPI_METRICS_CONFIG_PATH"

stamp="$HERE/node_modules/.itsm-installed"
if [[ ! -f "$stamp" || "$HERE/package-lock.json" -nt "$stamp" ]]; then
  echo "== installing the pinned tools (npm ci) into $HERE/node_modules"
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$stamp"
fi
bin="$HERE/node_modules/.bin"

echo "== spectral lint (spectral:oas) $OPENAPI"
"$bin/spectral" lint --ruleset "$HERE/.spectral.yaml" --fail-severity error --display-only-failures "$OPENAPI"

echo "== redocly lint (recommended) $OPENAPI"
"$bin/redocly" lint --config "$HERE/redocly.yaml" --format stylish "$OPENAPI"

echo "== openapi-typescript, then tsc --strict"
"$bin/openapi-typescript" "$OPENAPI" --output "$WORK/suite-api.d.ts"
cp "$HERE/client-usage.ts" "$WORK/client-usage.ts"
cat > "$WORK/tsconfig.json" <<'JSON'
{
  "compilerOptions": {"strict": true, "noEmit": true, "types": [], "target": "ES2022", "module": "ES2022",
                      "moduleResolution": "bundler", "noUnusedLocals": true},
  "files": ["suite-api.d.ts", "client-usage.ts"]
}
JSON
"$bin/tsc" -p "$WORK/tsconfig.json"

echo "== asyncapi validate $ASYNCAPI"
"$bin/asyncapi" validate "$ASYNCAPI" --fail-severity error

echo "== all checks passed"
