// Regenerates src/manifests/generated/*.ts from the JSON Schemas in crds/.
// Run through `npm run generate:types` (which builds first, since this uses the compiled code).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateManifestTypes } from '../dist/src/manifests/codegen.js';

const modules = await generateManifestTypes('crds');
for (const { module, content } of modules) {
  await writeFile(join('src/manifests/generated', module), content);
  console.log(`wrote src/manifests/generated/${module}`);
}
