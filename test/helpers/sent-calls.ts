import type { AwsClients } from '../../src/aws/clients.js';

/**
 * Records every command the clients start sending (an initialize-step middleware, so a call
 * is seen the moment `send` runs, before any network I/O). Tests prove "no call after X" by
 * comparing snapshots instead of sleeping and reading the sandbox's log.
 */
export interface SentCalls {
  /** Command names sent so far, oldest first. */
  names(): string[];
  /** Removes the middleware. */
  stop(): void;
}

const NAME = 'testSentCalls';

function counting<A, R>(onSend: (commandName: string | undefined) => void) {
  return (next: (args: A) => R, context: { commandName?: string }) =>
    (args: A): R => {
      onSend(context.commandName);
      return next(args);
    };
}

export function recordSentCalls(clients: AwsClients): SentCalls {
  const names: string[] = [];
  const onSend = (commandName: string | undefined): void => {
    const name = (commandName ?? 'unknown').replace(/Command$/, '');
    names.push(name);
  };
  const options = { step: 'initialize', name: NAME } as const;
  clients.ecs.middlewareStack.add(counting(onSend), options);
  clients.serviceDiscovery.middlewareStack.add(counting(onSend), options);
  clients.route53.middlewareStack.add(counting(onSend), options);
  const all = [clients.ecs.middlewareStack, clients.serviceDiscovery.middlewareStack, clients.route53.middlewareStack];
  return {
    names: () => [...names],
    stop: () => {
      for (const stack of all) stack.remove(NAME);
    },
  };
}
