/**
 * The targets file of `run --targets <file>`: the accounts and regions one controller manages,
 * each with the role it assumes there and the part of the source that belongs to it.
 *
 * ```yaml
 * targets:
 *   - name: payments-prod            # optional; default <account>/<region>
 *     account: "111111111111"
 *     region: eu-west-1
 *     roleArn: arn:aws:iam::111111111111:role/ecs-gitops-member
 *     externalId: ecs-gitops-payments   # optional
 *     paths: [accounts/payments-prod]   # sub-directories or manifest files of the source
 * ```
 *
 * `roleArn` may be left out only for a target in the controller's own account (its own
 * credentials are used). Every error names the file and line.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ConfigError } from './options.js';

/** One account and region the controller manages. */
export interface Target {
  /** Unique in the file; status sections and logs use it. */
  readonly name: string;
  readonly account: string;
  readonly region: string;
  /** The role assumed in the target account; absent = the controller's own credentials. */
  readonly roleArn?: string;
  readonly externalId?: string;
  /** Source paths (directories or manifest files, relative to the source root, no leading `./`). */
  readonly paths: readonly string[];
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const NAME = /^[A-Za-z0-9][\w.@/-]{0,127}$/;
const FIELDS = new Set(['name', 'account', 'region', 'roleArn', 'externalId', 'paths']);

/** A source path in its canonical form ('' = the whole source). */
export function normalizeSourcePath(path: string): string {
  return path
    .trim()
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '')
    .replace(/\/{2,}/g, '/');
}

/** Parses and validates the text of a targets file (`file` names it in errors). */
export function parseTargets(text: string, file: string): Target[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const at = (node: Node | null | undefined): string => `${file}:${node?.range ? lines.linePos(node.range[0]).line : 1}`;
  const fail = (node: Node | null | undefined, message: string): never => {
    throw new ConfigError(`${at(node)}: ${message}`);
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new ConfigError(`${file}:${e.linePos?.[0]?.line ?? 1}: ${e.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root)) return fail(root, 'a targets file is a map with one key, "targets" (a list)');
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'targets') fail(pair.key as Node, `unknown key "${key}" (the file has one key, "targets")`);
  }
  const list = root.get('targets', true);
  if (!isSeq(list) || list.items.length === 0) return fail((list as Node | undefined) ?? root, '"targets" must be a non-empty list');
  const out: Target[] = [];
  const names = new Map<string, string>();
  const scopes = new Map<string, string>();
  list.items.forEach((item, i) => {
    const node = item as Node;
    if (!isMap(node)) return fail(node, `targets[${i}] must be a map (account, region, roleArn, externalId, paths)`);
    const where = `targets[${i}]`;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!FIELDS.has(key)) fail(pair.key as Node, `${where}: unknown field "${key}" (fields: ${[...FIELDS].join(', ')})`);
    }
    const str = (field: string, required: boolean): string | undefined => {
      const v = node.get(field, true) as Node | undefined;
      if (v === undefined || (isScalar(v) && v.value === null)) {
        if (required) fail(node, `${where}.${field} is required`);
        return undefined;
      }
      if (!isScalar(v) || (typeof v.value !== 'string' && typeof v.value !== 'number')) return fail(v, `${where}.${field} must be a string`);
      return String(v.value).trim();
    };
    const fieldNode = (field: string): Node => (node.get(field, true) as Node | undefined) ?? node;
    const account = str('account', true)!;
    if (!ACCOUNT.test(account)) fail(fieldNode('account'), `${where}.account must be a 12-digit account id (quote it: "012345678901"), got "${account}"`);
    const region = str('region', true)!;
    if (!REGION.test(region)) fail(fieldNode('region'), `${where}.region must be an AWS region such as eu-west-1, got "${region}"`);
    const roleArn = str('roleArn', false);
    const role = roleArn === undefined ? undefined : ROLE_ARN.exec(roleArn);
    if (roleArn !== undefined && !role)
      fail(fieldNode('roleArn'), `${where}.roleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got "${roleArn}"`);
    if (role && role[1] !== account) fail(fieldNode('roleArn'), `${where}.roleArn is a role of account ${role[1]}, not of the target's account ${account}`);
    const externalId = str('externalId', false);
    if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
      fail(fieldNode('externalId'), `${where}.externalId must be 2 to 1224 characters of letters, digits and +=,.@:/-`);
    }
    if (externalId !== undefined && roleArn === undefined) fail(fieldNode('externalId'), `${where}.externalId needs a roleArn`);
    const pathsNode = node.get('paths', true) as Node | undefined;
    if (!isSeq(pathsNode) || pathsNode.items.length === 0) return fail(pathsNode ?? node, `${where}.paths must be a non-empty list of source paths`);
    const paths = pathsNode.items.map((p, j) => {
      const pn = p as Node;
      if (!isScalar(pn) || typeof pn.value !== 'string') return fail(pn, `${where}.paths[${j}] must be a string`);
      const path = normalizeSourcePath(pn.value);
      if (pn.value.trim().startsWith('/') || path.split('/').includes('..')) {
        fail(pn, `${where}.paths[${j}] must be relative to the source root, without "..": "${pn.value}"`);
      }
      return path;
    });
    const name = str('name', false) ?? `${account}/${region}`;
    if (!NAME.test(name)) fail(fieldNode('name'), `${where}.name may hold letters, digits and _.@/- (at most 128), got "${name}"`);
    const dup = names.get(name);
    if (dup) fail(fieldNode('name'), `${where}: the name "${name}" is already used at ${dup}`);
    names.set(name, at(node));
    const scope = `${account}/${region}`;
    const same = scopes.get(scope);
    if (same) fail(node, `${where}: account ${account} in ${region} is already a target at ${same} (one target per account and region)`);
    scopes.set(scope, at(node));
    out.push({
      name,
      account,
      region,
      ...(roleArn !== undefined ? { roleArn } : {}),
      ...(externalId !== undefined ? { externalId } : {}),
      paths,
    });
  });
  return out;
}
