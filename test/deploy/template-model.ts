/**
 * Reading examples/deploy/ecs-gitops.yaml for tests: the template as plain YAML (long-form
 * intrinsics), its IAM statements with the template's conditions decided one way or the
 * other, and the AWS actions the code calls (scanned from `new XxxCommand(` in src/).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../src/paths.js';

export const TEMPLATE_PATH = join(PACKAGE_ROOT, 'examples', 'deploy', 'ecs-gitops.yaml');

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The parsed template (throws on YAML errors, duplicate keys or unknown tags). */
export function loadTemplate(): JsonObject {
  const doc = parse(readFileSync(TEMPLATE_PATH, 'utf8'), { uniqueKeys: true, strict: true }) as unknown;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('template is not a mapping');
  return doc as JsonObject;
}

export function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function obj(v: Json | undefined, what: string): JsonObject {
  if (!isObject(v)) throw new Error(`${what} is not a mapping`);
  return v;
}

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Decides every `Fn::If` by `conditions` (name -> true/false) and drops `Ref: AWS::NoValue`,
 * as CloudFormation does; other intrinsics are left as written.
 */
export function decide(node: Json, conditions: Readonly<Record<string, boolean>>): Json {
  const out = walk(node, conditions);
  return out === NO_VALUE ? null : out;
}

function walk(node: Json, conditions: Readonly<Record<string, boolean>>): Json | typeof NO_VALUE {
  if (Array.isArray(node)) {
    return node.map((n) => walk(n, conditions)).filter((n): n is Json => n !== NO_VALUE);
  }
  if (!isObject(node)) return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && node['Ref'] === 'AWS::NoValue') return NO_VALUE;
  if (keys.length === 1 && keys[0] === 'Fn::If') {
    const args = node['Fn::If'];
    if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') throw new Error(`malformed Fn::If: ${JSON.stringify(node)}`);
    const value = conditions[args[0]];
    if (value === undefined) throw new Error(`Fn::If on condition ${args[0]} that the test did not decide`);
    return walk(value ? args[1]! : args[2]!, conditions);
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    const w = walk(v, conditions);
    if (w !== NO_VALUE) out[k] = w;
  }
  return out;
}

/** One IAM statement of a role, with where it came from. */
export interface Statement {
  readonly role: string;
  readonly policy: string;
  readonly sid: string;
  readonly effect: string;
  readonly actions: readonly string[];
  readonly resources: readonly Json[];
  readonly condition: JsonObject | undefined;
}

/** Names of the template's conditions. */
export function conditionNames(template: JsonObject): string[] {
  return Object.keys(obj(template['Conditions'], 'Conditions'));
}

/** Every condition set to `value`. */
export function allConditions(template: JsonObject, value: boolean): Record<string, boolean> {
  return Object.fromEntries(conditionNames(template).map((c) => [c, value]));
}

function list(v: Json | undefined): Json[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function statementsOf(role: string, policy: string, document: Json | undefined): Statement[] {
  const doc = obj(document, `${role}/${policy} PolicyDocument`);
  return list(doc['Statement']).map((s, i) => {
    const st = obj(s, `${role}/${policy} statement ${i}`);
    return {
      role,
      policy,
      sid: typeof st['Sid'] === 'string' ? st['Sid'] : `#${i}`,
      effect: String(st['Effect']),
      actions: list(st['Action']).map(String),
      resources: list(st['Resource']),
      condition: isObject(st['Condition']) ? st['Condition'] : undefined,
    };
  });
}

/**
 * The IAM statements of `roleName` (inline policies and AWS::IAM::RolePolicy resources
 * attached to it), with the template's conditions decided by `conditions`.
 */
export function roleStatements(template: JsonObject, roleName: string, conditions: Readonly<Record<string, boolean>>): Statement[] {
  const resources = obj(template['Resources'], 'Resources');
  const role = obj(decide(resources[roleName] ?? null, conditions), roleName);
  const out: Statement[] = [];
  for (const p of list(obj(role['Properties'], `${roleName}.Properties`)['Policies'])) {
    const policy = obj(p, `${roleName} policy`);
    out.push(...statementsOf(roleName, String(policy['PolicyName']), policy['PolicyDocument']));
  }
  for (const [name, raw] of Object.entries(resources)) {
    const r = obj(raw, name);
    if (r['Type'] !== 'AWS::IAM::RolePolicy') continue;
    const cond = r['Condition'];
    if (typeof cond === 'string' && conditions[cond] !== true) continue;
    const props = obj(decide(r['Properties'] ?? null, conditions), `${name}.Properties`);
    const target = obj(props['RoleName'], `${name}.RoleName`);
    if (target['Ref'] !== roleName) continue;
    out.push(...statementsOf(roleName, String(props['PolicyName']), props['PolicyDocument']));
  }
  return out;
}

/** Allowed actions of the statements, lower-cased service prefix, e.g. `ecs:CreateService`. */
export function allowedActions(statements: readonly Statement[]): Set<string> {
  return new Set(statements.filter((s) => s.effect === 'Allow').flatMap((s) => s.actions));
}

/** IAM service prefix of each AWS SDK v3 client package the code uses. */
const PACKAGE_PREFIX: Readonly<Record<string, string>> = {
  '@aws-sdk/client-ecs': 'ecs',
  '@aws-sdk/client-servicediscovery': 'servicediscovery',
  '@aws-sdk/client-route-53': 'route53',
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-resource-groups-tagging-api': 'tag',
  '@aws-sdk/client-sqs': 'sqs',
  '@aws-sdk/client-ssm': 'ssm',
  '@aws-sdk/client-cloudformation': 'cloudformation',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-sts': 'sts',
};

/** Actions AWS authorizes without any IAM permission (STS GetCallerIdentity). */
export const NEEDS_NO_PERMISSION: ReadonlySet<string> = new Set(['sts:GetCallerIdentity']);

/** Operations whose IAM action has another name than the operation. */
const ACTION_OF_OPERATION: Readonly<Record<string, string>> = {
  's3:ListObjectsV2': 's3:ListBucket',
  // SQS authorizes a batch by the action of one entry.
  'sqs:DeleteMessageBatch': 'sqs:DeleteMessage',
};

/** An AWS call in the code: the IAM action and the files that make it. */
export interface CodeCall {
  readonly action: string;
  readonly files: readonly string[];
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s+from\s+'(@aws-sdk\/client-[a-z0-9-]+)'/g;

/**
 * The AWS actions the controller's code calls: every `new XxxCommand(` in src/ whose class
 * is imported from an AWS SDK client package. (The sandbox lives in its own package,
 * packages/sandbox, outside src/, and never runs against AWS.)
 */
export function codeCalls(root: string = PACKAGE_ROOT): Map<string, CodeCall> {
  const calls = new Map<string, string[]>();
  const srcDir = join(root, 'src');
  for (const file of sourceFiles(srcDir)) {
    const rel = relative(root, file);
    const text = readFileSync(file, 'utf8');
    const imported = new Map<string, string>();
    for (const m of text.matchAll(IMPORT)) {
      if (m[1]) continue;
      const prefix = PACKAGE_PREFIX[m[3]!];
      if (prefix === undefined) throw new Error(`${rel} imports ${m[3]}, which has no IAM prefix in the test's table`);
      for (const raw of m[2]!.split(',')) {
        const name = raw.trim();
        if (name === '' || name.startsWith('type ')) continue;
        const local = name
          .split(/\s+as\s+/)
          .pop()!
          .trim();
        const original = name.split(/\s+as\s+/)[0]!.trim();
        if (original.endsWith('Command')) imported.set(local, `${prefix}:${original.slice(0, -'Command'.length)}`);
      }
    }
    for (const m of text.matchAll(/new\s+([A-Za-z0-9_]+)\s*\(/g)) {
      const operation = imported.get(m[1]!);
      if (operation === undefined) continue;
      const action = ACTION_OF_OPERATION[operation] ?? operation;
      calls.set(action, [...(calls.get(action) ?? []), rel]);
    }
  }
  return new Map(
    [...calls].filter(([action]) => !NEEDS_NO_PERMISSION.has(action)).map(([action, files]) => [action, { action, files: [...new Set(files)].sort() }]),
  );
}
