// The layer table of src/ (top first) and the extra import rules, written into biome.json's
// overrides as noRestrictedImports rules: `node scripts/layers.mjs` rewrites them, and
// `node scripts/layers.mjs --check` (run by npm run lint) fails when biome.json is out of step.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Each layer may import the layers below it, never one above it nor a peer in its own row. */
export const LAYERS = [
  ['cli'],
  ['run'],
  ['discovery', 'config', 'importer'],
  ['observe', 'reconcile', 'observability', 'webhooks', 'notify'],
  ['kinds', 'controller'],
  ['kit'],
  ['manifests'],
  ['sources'],
  ['aws', 'util', 'http'],
];

const SANDBOX = {
  group: ['@ecs-gitops/sandbox', '@ecs-gitops/sandbox/**'],
  message: 'the product never imports the development sandbox (only the sandbox command loads it, by name at run time)',
};
const NO_AWS = { group: ['**/aws/**', '@aws-sdk/**'], message: 'manifests/ reads and checks YAML: it imports no AWS code' };
const NO_SDK = { group: ['@aws-sdk/**'], message: 'the diff/plan core is pure: it imports no AWS SDK' };
/** Files of a layer with rules of their own (a later override replaces the rule's options, so each carries its layer's too). */
const PURE_CORE = {
  reconcile: ['src/reconcile/plan*.ts', 'src/reconcile/diff*.ts', 'src/reconcile/render*.ts'],
  kit: ['src/kit/diff-*.ts'],
  kinds: ['src/kinds/**/diff.ts', 'src/kinds/**/normalize.ts'],
};

function overrides() {
  const out = [];
  LAYERS.forEach((row, i) => {
    const above = LAYERS.slice(0, i).flat();
    for (const name of row) {
      const banned = [...above, ...row.filter((peer) => peer !== name)];
      const layer = {
        group: banned.flatMap((b) => [`**/${b}/**`, `**/${b}`]),
        message: `layers (scripts/layers.mjs): src/${name} may not import ${banned.join(', ')}`,
      };
      const patterns = [...(banned.length ? [layer] : []), SANDBOX, ...(name === 'manifests' ? [NO_AWS] : [])];
      out.push(rule([`src/${name}/**`], patterns));
      if (PURE_CORE[name]) out.push(rule(PURE_CORE[name], [...patterns, NO_SDK]));
    }
  });
  out.push(
    rule(
      ['packages/sandbox/src/**'],
      [{ group: ['**/src/**', 'ecs-gitops', 'ecs-gitops/**'], message: 'the sandbox is its own package: it imports nothing from the product' }],
    ),
  );
  return out;
}

function rule(includes, patterns) {
  return { includes, linter: { rules: { style: { noRestrictedImports: { level: 'error', options: { patterns } } } } } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = new URL('../biome.json', import.meta.url);
  const config = JSON.parse(readFileSync(path, 'utf8'));
  const want = overrides();
  if (process.argv.includes('--check')) {
    if (JSON.stringify(config.overrides ?? []) !== JSON.stringify(want)) {
      console.error('biome.json overrides are not the layer table of scripts/layers.mjs: run node scripts/layers.mjs');
      process.exit(1);
    }
  } else {
    config.overrides = want;
    writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  }
}
