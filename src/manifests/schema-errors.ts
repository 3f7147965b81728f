import type { ErrorObject } from 'ajv';
import { closest, type Reporter } from './diagnostics.js';
import type { SchemaNode } from './schemas.js';
import type { DocPath } from './yaml-document.js';

/** Turns ajv's errors into diagnostics with a human message, at the offending node. */
export function reportSchemaErrors(errors: readonly ErrorObject[], reporter: Reporter): void {
  const misspelt = misspeltFields(errors);
  for (const err of errors) {
    const path = pointerToPath(err.instancePath);
    const parent = (err.parentSchema ?? {}) as SchemaNode;
    const params = err.params as Record<string, unknown>;
    switch (err.keyword) {
      case 'additionalProperties': {
        const key = String(params['additionalProperty']);
        const guess = fieldGuess(err);
        const allowed = Object.keys(parent.properties ?? {});
        const hint = guess ? `; did you mean "${guess}"?` : '';
        reporter.report('EGO_UNKNOWN_FIELD', [...path, key], `unknown field "${key}" (allowed: ${allowed.join(', ')})${hint}`);
        break;
      }
      case 'required': {
        const missing = String(params['missingProperty']);
        if (misspelt.has(`${err.instancePath}/${missing}`)) break; // the unknown-field error already names it
        reporter.report('EGO_REQUIRED_FIELD', path, `missing required field "${missing}"`, { field: [...path, missing] });
        break;
      }
      case 'type':
        reporter.report('EGO_TYPE', path, typeMessage(params['type'], err.data), { target: 'value' });
        break;
      case 'enum': {
        const allowed = (parent.enum ?? []).map(String);
        const guess = typeof err.data === 'string' ? closest(err.data, allowed) : undefined;
        const hint = guess === undefined ? '' : `; did you mean "${guess}"?`;
        reporter.report('EGO_ENUM', path, `must be one of ${allowed.join(', ')} (got ${show(err.data)})${hint}`, { target: 'value' });
        break;
      }
      case 'const':
        reporter.report('EGO_ENUM', path, `must be ${show(parent.const)} (got ${show(err.data)})`, { target: 'value' });
        break;
      case 'pattern':
        reportPattern(err, path, parent, reporter);
        break;
      case 'minLength':
      case 'maxLength':
      case 'minItems':
      case 'maxItems':
      case 'minProperties':
      case 'maxProperties':
        reportLength(err, path, reporter);
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        reporter.report('EGO_RANGE', path, `must be ${rangeWord(err.keyword)} ${String(params['limit'])} (got ${show(err.data)})`, { target: 'value' });
        break;
      case 'uniqueItems':
        reporter.report('EGO_SCHEMA', path, `must not contain duplicates (items ${String(params['j'])} and ${String(params['i'])} are equal)`, {
          target: 'value',
        });
        break;
      case 'propertyNames':
        break; // reported through the inner error, which names the key
      default:
        reporter.report('EGO_SCHEMA', path, err.message ?? `invalid (${err.keyword})`, { target: 'value' });
    }
  }
}

/** Field names people bring from Kubernetes, Compose and CloudFormation habits, and ours for them. */
const FAMILIAR_NAMES: Readonly<Record<string, string>> = {
  replicas: 'desiredCount',
  env: 'environment',
  ports: 'portMappings',
  args: 'command',
  labels: 'tags',
  subnetIds: 'subnets',
  securityGroupIds: 'securityGroups',
};

/** The field an unknown key most likely meant, among the fields of its object. */
function fieldGuess(err: ErrorObject): string | undefined {
  const key = String((err.params as Record<string, unknown>)['additionalProperty']);
  const allowed = Object.keys(((err.parentSchema ?? {}) as SchemaNode).properties ?? {});
  const habit = closest(key, Object.keys(FAMILIAR_NAMES));
  const familiar = habit === undefined ? undefined : FAMILIAR_NAMES[habit];
  return closest(key, allowed) ?? (familiar !== undefined && allowed.includes(familiar) ? familiar : undefined);
}

/** `instancePath/field` of every field written under a near-miss name (e.g. `Type` for `type`). */
function misspeltFields(errors: readonly ErrorObject[]): Set<string> {
  const out = new Set<string>();
  for (const err of errors) {
    if (err.keyword !== 'additionalProperties') continue;
    const guess = fieldGuess(err);
    if (guess !== undefined) out.add(`${err.instancePath}/${guess}`);
  }
  return out;
}

function reportPattern(err: ErrorObject, path: DocPath, parent: SchemaNode, reporter: Reporter): void {
  const hint = parent.patternErrorMessage ?? `must match ${String((err.params as { pattern?: unknown }).pattern)}`;
  if (err.propertyName !== undefined) {
    reporter.report('EGO_PATTERN', [...path, err.propertyName], `key "${err.propertyName}" ${hint}`);
    return;
  }
  reporter.report('EGO_PATTERN', path, `${hint} (got ${show(err.data)})`, { target: 'value' });
}

function reportLength(err: ErrorObject, path: DocPath, reporter: Reporter): void {
  const limit = Number((err.params as { limit?: unknown }).limit);
  const atLeast = err.keyword.startsWith('min');
  const unit = err.keyword.endsWith('Length') ? 'character' : err.keyword.endsWith('Items') ? 'item' : 'entry';
  const plural = limit === 1 ? unit : unit === 'entry' ? 'entries' : `${unit}s`;
  const subject = err.propertyName !== undefined ? `key "${err.propertyName}" ` : '';
  const where = err.propertyName !== undefined ? [...path, err.propertyName] : path;
  reporter.report('EGO_LENGTH', where, `${subject}must have ${atLeast ? 'at least' : 'at most'} ${limit} ${plural}`, {
    target: err.propertyName !== undefined ? 'key' : 'value',
  });
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a map (key: value)',
  array: 'a list',
  null: 'empty',
};

const YAML11_BOOLEANS: Readonly<Record<string, boolean>> = { yes: true, y: true, on: true, no: false, n: false, off: false };

function typeMessage(expected: unknown, data: unknown): string {
  const types = String(expected).split(',');
  const words = types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
  return `must be ${words} (got ${describe(data)})${typeHint(types, data)}`;
}

/** The usual cause of a type error in YAML, and its fix: quotes added or missing, YAML 1.1 booleans. */
function typeHint(types: readonly string[], data: unknown): string {
  if (types.includes('string') && (typeof data === 'number' || typeof data === 'boolean')) return `; quote it: "${String(data)}"`;
  if (typeof data !== 'string') return '';
  const text = data.trim();
  const numeric = types.includes('integer') ? /^-?[0-9]+$/.test(text) : types.includes('number') && text !== '' && Number.isFinite(Number(text));
  if (numeric || (types.includes('boolean') && (text === 'true' || text === 'false'))) return `; remove the quotes: ${text}`;
  const yaml11 = YAML11_BOOLEANS[text.toLowerCase()];
  if (types.includes('boolean') && yaml11 !== undefined) return `; YAML 1.2 reads yes/no/on/off as text: write ${String(yaml11)}`;
  return '';
}

function describe(data: unknown): string {
  if (data === null) return 'nothing';
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'object') return 'a map';
  return show(data);
}

const SHOWN_CHARACTERS = 60;

/** A value as quoted in a message; a long string is cut (a 2,000-character name helps nobody twice). */
function show(v: unknown): string {
  if (typeof v !== 'string') return String(v);
  if (v.length <= SHOWN_CHARACTERS + 20) return JSON.stringify(v);
  return `${JSON.stringify(`${v.slice(0, SHOWN_CHARACTERS)}…`)} (${v.length} characters)`;
}

function rangeWord(keyword: string): string {
  switch (keyword) {
    case 'minimum':
      return 'at least';
    case 'maximum':
      return 'at most';
    case 'exclusiveMinimum':
      return 'more than';
    default:
      return 'less than';
  }
}

/** `/spec/records/0` -> ['spec', 'records', 0] (JSON pointer unescaping included). */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}
