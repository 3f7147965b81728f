import { SandboxError } from '../../errors.js';
import type { RestCall, RestRequest, RestResponse, RestService } from '../../protocol/types.js';
import { renderXml, type XmlNode } from '../../protocol/xml.js';
import type { SandboxWorld } from '../../world.js';

const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
/** ListExports answers at most 100 exports per page. */
const EXPORTS_PAGE = 100;

interface Stack {
  readonly name: string;
  readonly id: string;
  /** Export name -> value. */
  readonly exports: ReadonlyMap<string, string>;
}

function validation(message: string): SandboxError {
  return new SandboxError('ValidationError', message);
}

/**
 * AWS CloudFormation over the query protocol (form-encoded POST, XML answers), reduced to
 * what Overlay values need: ListExports (paged), and CreateStack / DeleteStack with a JSON
 * template whose Outputs carry literal `Export.Name` and `Value` (no resources are created,
 * no intrinsic functions are evaluated). An export name is unique in the account and Region.
 */
/** The API version every CloudFormation query call carries. */
const CLOUDFORMATION_VERSION = '2010-05-15';

export class CloudFormationService implements RestService {
  readonly name = 'cloudformation' as const;
  private readonly stacks = new Map<string, Stack>();

  constructor(private readonly world: SandboxWorld) {}

  /** Query protocol calls of CloudFormation's API version (STS shares `POST /` with another Version). */
  owns(req: RestRequest): boolean {
    const type = String(req.headers['content-type'] ?? '');
    if (req.method !== 'POST' || req.path !== '/' || !type.startsWith('application/x-www-form-urlencoded')) return false;
    const params = new URLSearchParams(req.body.toString('utf8'));
    return params.has('Action') && params.get('Version') === CLOUDFORMATION_VERSION;
  }

  route(req: RestRequest): RestCall | undefined {
    const params = new URLSearchParams(req.body.toString('utf8'));
    const action = params.get('Action') ?? '';
    const run = { ListExports: () => this.listExports(params), CreateStack: () => this.createStack(params), DeleteStack: () => this.deleteStack(params) }[
      action
    ];
    if (!run) return undefined;
    return { operation: action, logInput: { StackName: params.get('StackName') ?? undefined }, run: () => this.respond(action, run()) };
  }

  renderError(err: SandboxError, requestId: string): RestResponse {
    const type = err.status >= 500 ? 'Receiver' : 'Sender';
    return {
      status: err.status,
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${XMLNS}">${renderXml({ Error: { Type: type, Code: err.code, Message: err.message } })}<RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  }

  private respond(action: string, result: XmlNode): RestResponse {
    const requestId = `${this.world.now().toString(16)}-cfn`;
    return {
      status: 200,
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${XMLNS}">${renderXml({ [`${action}Result`]: result, ResponseMetadata: { RequestId: requestId } })}</${action}Response>`,
    };
  }

  private allExports(): { stack: Stack; name: string; value: string }[] {
    return [...this.stacks.values()]
      .flatMap((stack) => [...stack.exports].map(([name, value]) => ({ stack, name, value })))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private listExports(params: URLSearchParams): XmlNode {
    const all = this.allExports();
    const token = params.get('NextToken');
    const start = token === null ? 0 : Number.parseInt(Buffer.from(token, 'base64').toString('utf8'), 10);
    if (!Number.isInteger(start) || start < 0 || start > all.length) throw validation('Invalid NextToken');
    const page = all.slice(start, start + EXPORTS_PAGE);
    const next = start + EXPORTS_PAGE < all.length ? Buffer.from(String(start + EXPORTS_PAGE)).toString('base64') : undefined;
    return { Exports: page.length > 0 ? { member: page.map((e) => ({ ExportingStackId: e.stack.id, Name: e.name, Value: e.value })) } : '', NextToken: next };
  }

  private createStack(params: URLSearchParams): XmlNode {
    const name = params.get('StackName') ?? '';
    if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(name))
      throw validation(
        `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
      );
    if (this.stacks.has(name)) throw new SandboxError('AlreadyExistsException', `Stack [${name}] already exists`);
    const body = params.get('TemplateBody');
    if (body === null) throw validation('Either Template URL or Template Body must be specified.');
    let template: { Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }> };
    try {
      template = JSON.parse(body) as typeof template;
    } catch {
      throw validation('Template format error: the sandbox reads JSON templates only');
    }
    const exports = new Map<string, string>();
    const taken = new Map(this.allExports().map((e) => [e.name, e.stack.name]));
    for (const [key, output] of Object.entries(template.Outputs ?? {})) {
      const exportName = output.Export?.Name;
      if (exportName === undefined) continue;
      if (typeof exportName !== 'string' || typeof output.Value !== 'string')
        throw validation(`Template error: Output ${key}: the sandbox takes literal string Value and Export.Name only`);
      const owner = taken.get(exportName);
      if (owner !== undefined || exports.has(exportName)) throw validation(`Export with name ${exportName} is already exported by stack ${owner ?? name}`);
      exports.set(exportName, output.Value);
    }
    const { region, accountId } = this.world.options;
    const id = `arn:aws:cloudformation:${region}:${accountId}:stack/${name}/${this.world.now().toString(16)}-${this.stacks.size}`;
    this.stacks.set(name, { name, id, exports });
    return { StackId: id };
  }

  private deleteStack(params: URLSearchParams): XmlNode {
    // DeleteStack of a stack that does not exist succeeds, as in AWS.
    this.stacks.delete(params.get('StackName') ?? '');
    return {};
  }
}
