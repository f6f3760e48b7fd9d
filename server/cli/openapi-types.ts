// `npm run api:types`: writes the OpenAPI document of /api/v1 and the TypeScript types openapi-typescript
// generates from it (test/integration/api-v1/openapi.d.ts, which the API tests' typed client uses).
// The test test/integration/api-v1/openapi.test.ts fails when the checked-in types are out of date.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generatedTypes } from '../api/v1/openapi-types';

const out = path.join(process.cwd(), 'test/integration/api-v1/openapi.d.ts');
writeFileSync(out, await generatedTypes());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
