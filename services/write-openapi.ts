import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { API_ROUTES } from './compose-routes.ts';
import { PERMISSIONS } from './platform/accounts/domain/roles.ts';
import { buildOpenApiDocument } from './platform/http/index.ts';
import { PROJECT_ROOT } from './platform/project-root.ts';

/** Where the committed description lives; test/api-openapi.test.ts fails when it drifts. */
export const OPENAPI_FILE = join(PROJECT_ROOT, 'docs', 'openapi.json');

/** The document served at GET /api/openapi.json, built from the route table. */
export function openApiDocument(): Record<string, unknown> {
  return buildOpenApiDocument(API_ROUTES, PERMISSIONS);
}

/** The document exactly as `npm run openapi` writes it. */
export function renderOpenApi(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}

// `npm run openapi`: regenerate docs/openapi.json. Importing this module writes nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  console.log(`wrote ${OPENAPI_FILE}`);
}
