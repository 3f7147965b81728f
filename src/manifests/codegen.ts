import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The per-kind schemas in crds/ and the generated TypeScript module each one becomes. */
export const GENERATED_TYPES: readonly { readonly schema: string; readonly module: string }[] = [
  { schema: 'cloud-map-namespace.schema.json', module: 'cloud-map-namespace.ts' },
  { schema: 'cloud-map-service.schema.json', module: 'cloud-map-service.ts' },
  { schema: 'ecs-service.schema.json', module: 'ecs-service.ts' },
  { schema: 'overlay.schema.json', module: 'overlay.ts' },
];

/** One generated module: its file name under src/manifests/generated/ and its content. */
export interface GeneratedModule {
  readonly module: string;
  readonly content: string;
}

/**
 * Generates the TypeScript types of every kind from its JSON Schema with
 * json-schema-to-typescript (a dev dependency, loaded only here). The result is committed in
 * src/manifests/generated/ and compared with types.ts by the compiler (schema-types-check.ts);
 * a test regenerates and compares, so schemas and types cannot drift apart.
 */
export async function generateManifestTypes(crdsDir: string): Promise<GeneratedModule[]> {
  const { compile } = await import('json-schema-to-typescript');
  const out: GeneratedModule[] = [];
  for (const { schema, module } of GENERATED_TYPES) {
    const parsed = JSON.parse(await readFile(join(crdsDir, schema), 'utf8')) as Parameters<typeof compile>[0];
    const content = await compile(parsed, '', {
      bannerComment: `/* Generated from crds/${schema} by \`npm run generate:types\`. Do not edit. */`,
      additionalProperties: false,
      ignoreMinAndMaxItems: true,
      unknownAny: true,
      cwd: crdsDir,
      format: true,
    });
    out.push({ module, content });
  }
  return out;
}
