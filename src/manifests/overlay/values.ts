/**
 * Overlay values: where each `${name}` comes from. Literals and files of the source are read
 * while rendering; environment variables, SSM parameters, CloudFormation exports and
 * Terraform state outputs are external: they are resolved before rendering (by the caller,
 * which holds the AWS clients) and looked up by their key.
 */
import type { ResolvedValue } from './substitute.js';

/** One entry of an Overlay's spec.values (exactly one member set, by the schema). */
export interface ValueDeclaration {
  readonly value?: string | readonly string[];
  readonly file?: string;
  readonly env?: string;
  readonly ssm?: string;
  readonly cloudFormationExport?: string;
  readonly tfstate?: { readonly url: string; readonly output: string };
}

/** A value read from outside the source. `key` identifies it (and orders the value digest). */
export type ExternalValueRef =
  | { readonly key: string; readonly source: 'env'; readonly name: string }
  | { readonly key: string; readonly source: 'ssm'; readonly name: string }
  | { readonly key: string; readonly source: 'cloudFormationExport'; readonly name: string }
  | { readonly key: string; readonly source: 'tfstate'; readonly url: string; readonly output: string };

/** The outcome of resolving one external value. */
export type ExternalValue = { readonly value: ResolvedValue } | { readonly error: string };

/** External values by key; a key with no entry was not resolved (validate reads nothing outside the source). */
export type ExternalValues = ReadonlyMap<string, ExternalValue>;

/** The external reference of a declaration, or undefined for a literal or a file. */
export function externalRef(decl: ValueDeclaration): ExternalValueRef | undefined {
  if (decl.env !== undefined) return { key: `env:${decl.env}`, source: 'env', name: decl.env };
  if (decl.ssm !== undefined) return { key: `ssm:${decl.ssm}`, source: 'ssm', name: decl.ssm };
  if (decl.cloudFormationExport !== undefined)
    return { key: `cloudFormationExport:${decl.cloudFormationExport}`, source: 'cloudFormationExport', name: decl.cloudFormationExport };
  if (decl.tfstate !== undefined) return { key: `tfstate:${decl.tfstate.url}#${decl.tfstate.output}`, source: 'tfstate', ...decl.tfstate };
  return undefined;
}

/** Where a declaration reads from, for messages: `ssm /prod/subnets`, `file ./tag.txt`. */
export function describeDeclaration(decl: ValueDeclaration): string {
  if (decl.value !== undefined) return 'a literal';
  if (decl.file !== undefined) return `file ${decl.file}`;
  if (decl.env !== undefined) return `environment variable ${decl.env}`;
  if (decl.ssm !== undefined) return `SSM parameter ${decl.ssm}`;
  if (decl.cloudFormationExport !== undefined) return `CloudFormation export ${decl.cloudFormationExport}`;
  if (decl.tfstate !== undefined) return `Terraform output ${decl.tfstate.output} of ${decl.tfstate.url}`;
  return 'nothing';
}
