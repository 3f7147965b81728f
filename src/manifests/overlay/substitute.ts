/**
 * `${name}` substitution in the string values of rendered manifests. `$${` writes a literal
 * `${`. A `${...}` whose inside is not a value name (`${HOME:-x}`) is left as written. A list
 * value (an SSM StringList, a Terraform list output) replaces a list item written exactly as
 * `"${name}"` by its items; anywhere else it is an error. A name with no value is an error,
 * never an empty string.
 */
import type { DocPath } from '../yaml-document.js';
import { isObject } from './json-pointer.js';

/** A resolved value: text, or a list of texts. */
export type ResolvedValue = string | readonly string[];

/** What a name resolves to while rendering. `unresolved`: known to exist, not read (validate reads nothing from AWS). */
export type ValueLookup = (name: string) => { readonly value: ResolvedValue } | { readonly error: string } | 'unresolved' | undefined;

export interface SubstitutionProblem {
  readonly path: DocPath;
  readonly code: 'EGO_VALUE_MISSING' | 'EGO_VALUE_TYPE' | 'EGO_VALUE_UNRESOLVED';
  readonly name: string;
  readonly message: string;
}

export interface Substituted {
  readonly value: unknown;
  readonly problems: readonly SubstitutionProblem[];
  /** Fields that hold a placeholder left unresolved (validate): their checks are skipped. */
  readonly unresolved: readonly DocPath[];
  /** Names used. */
  readonly used: ReadonlySet<string>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const WHOLE = /^\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}$/;

/** True when the text holds a `${` that substitution would look at (or an escape). */
export function hasPlaceholder(text: string): boolean {
  return text.includes('${');
}

export function substitute(root: unknown, lookup: ValueLookup): Substituted {
  const problems: SubstitutionProblem[] = [];
  const unresolved: DocPath[] = [];
  const used = new Set<string>();

  const text = (s: string, path: DocPath): string => {
    if (!hasPlaceholder(s)) return s;
    let out = '';
    let i = 0;
    while (i < s.length) {
      const dollar = s.indexOf('$', i);
      if (dollar < 0) {
        out += s.slice(i);
        break;
      }
      out += s.slice(i, dollar);
      if (s.startsWith('$${', dollar)) {
        out += '${';
        i = dollar + 3;
        continue;
      }
      const close = s.startsWith('${', dollar) ? s.indexOf('}', dollar + 2) : -1;
      const name = close > 0 ? s.slice(dollar + 2, close) : '';
      if (close < 0 || !NAME.test(name)) {
        out += '$';
        i = dollar + 1;
        continue;
      }
      used.add(name);
      const found = lookup(name);
      if (found === undefined) {
        problems.push({
          path,
          code: 'EGO_VALUE_MISSING',
          name,
          message: `\${${name}} has no value: declare it in the overlay's spec.values (write $\${ for a literal \${)`,
        });
        out += s.slice(dollar, close + 1);
      } else if (found === 'unresolved') {
        unresolved.push(path);
        out += s.slice(dollar, close + 1);
      } else if ('error' in found) {
        problems.push({ path, code: 'EGO_VALUE_UNRESOLVED', name, message: found.error });
        out += s.slice(dollar, close + 1);
      } else if (typeof found.value !== 'string') {
        problems.push({
          path,
          code: 'EGO_VALUE_TYPE',
          name,
          message: `\${${name}} is a list (${found.value.length} items): use it as a whole list item, "\${${name}}"`,
        });
        out += s.slice(dollar, close + 1);
      } else {
        out += found.value;
      }
      i = close + 1;
    }
    return out;
  };

  const walk = (node: unknown, path: DocPath): unknown => {
    if (typeof node === 'string') return text(node, path);
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      node.forEach((item, i) => {
        const whole = typeof item === 'string' ? WHOLE.exec(item) : null;
        const found = whole?.[1] !== undefined ? lookup(whole[1]) : undefined;
        if (whole?.[1] !== undefined && found !== undefined && found !== 'unresolved' && 'value' in found && typeof found.value !== 'string') {
          used.add(whole[1]);
          out.push(...found.value);
        } else {
          out.push(walk(item, [...path, i]));
        }
      });
      return out;
    }
    if (isObject(node)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v, [...path, k]);
      return out;
    }
    return node;
  };

  return { value: walk(root, []), problems, unresolved, used };
}
