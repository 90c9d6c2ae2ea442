import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildOpenApiDocument } from './openapi.ts';
import { API_ROUTES } from './routes.ts';

/** Where the committed description lives; test/api-openapi.test.ts fails when it drifts. */
export const OPENAPI_FILE = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url));

/** The document exactly as `npm run openapi` writes it. */
export function renderOpenApi(): string {
  return `${JSON.stringify(buildOpenApiDocument(API_ROUTES), null, 2)}\n`;
}

// `npm run openapi`: regenerate docs/openapi.json. Importing this module writes nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  console.log(`wrote ${OPENAPI_FILE}`);
}
