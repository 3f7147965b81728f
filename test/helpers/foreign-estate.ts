// Live services built with the AWS SDK, as a platform team's Terraform or scripts would make
// them (no ecs-gitops tags): the input of import's round-trip tests.
import {
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
  type CreateServiceCommandInput,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand as CreateCloudMapServiceCommand,
  GetOperationCommand,
  type CreateServiceCommandInput as CreateCloudMapServiceInput,
  type ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery';

/** One service of a foreign estate: what to register, create and (optionally) register with. */
export interface ForeignService {
  readonly taskDefinition: RegisterTaskDefinitionCommandInput;
  /** Without taskDefinition and serviceRegistries (filled in). */
  readonly service: Omit<CreateServiceCommandInput, 'taskDefinition' | 'serviceRegistries'>;
  /** A Cloud Map namespace and service to register with. */
  readonly discovery?: {
    readonly namespace: { readonly name: string; readonly type: 'HTTP' | 'DNS_PRIVATE'; readonly description?: string };
    readonly service: Omit<CreateCloudMapServiceInput, 'NamespaceId'>;
    readonly registry?: { containerName?: string; containerPort?: number; port?: number };
  };
}

async function waitOperation(sd: ServiceDiscoveryClient, id: string | undefined): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const op = await sd.send(new GetOperationCommand({ OperationId: id }));
    if (op.Operation?.Status === 'SUCCESS') return op.Operation.Targets?.['NAMESPACE'] ?? '';
    if (op.Operation?.Status === 'FAIL') throw new Error(`namespace operation failed: ${op.Operation.ErrorMessage}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('namespace operation did not finish');
}

/** Creates the service (and its namespace and Cloud Map service) with the SDK. */
export async function createForeignService(ecs: ECSClient, sd: ServiceDiscoveryClient, spec: ForeignService): Promise<void> {
  const registered = await ecs.send(new RegisterTaskDefinitionCommand(spec.taskDefinition));
  const registries: CreateServiceCommandInput['serviceRegistries'] = [];
  if (spec.discovery) {
    const { namespace } = spec.discovery;
    const op =
      namespace.type === 'HTTP'
        ? await sd.send(new CreateHttpNamespaceCommand({ Name: namespace.name, Description: namespace.description }))
        : await sd.send(new CreatePrivateDnsNamespaceCommand({ Name: namespace.name, Vpc: 'vpc-0123456789abcdef0', Description: namespace.description }));
    const namespaceId = await waitOperation(sd, op.OperationId);
    const created = await sd.send(new CreateCloudMapServiceCommand({ ...spec.discovery.service, NamespaceId: namespaceId }));
    registries.push({ registryArn: created.Service?.Arn, ...spec.discovery.registry });
  }
  await ecs.send(
    new CreateServiceCommand({
      ...spec.service,
      taskDefinition: registered.taskDefinition?.taskDefinitionArn,
      ...(registries.length > 0 ? { serviceRegistries: registries } : {}),
    }),
  );
}
