import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'crds'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`ecs-gitops: cannot find the package root above ${start}`);
    dir = parent;
  }
}

/** The installed package's root directory (holds package.json, crds/, examples/). */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
/** Directory of the JSON Schemas, one per kind. */
export const CRDS_DIR = join(PACKAGE_ROOT, 'crds');
/** Directory of the example manifests. */
export const EXAMPLES_DIR = join(PACKAGE_ROOT, 'examples');

/** This package's version, read from its own package.json so `--version` never drifts from a release. */
export const PACKAGE_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
