/** The test suite's registry: the product's kinds plus FakeParameter (never registered in src). */
import { KINDS } from '../../../src/kinds/registry.js';
import type { KindRegistry } from '../../../src/kit/kind-module.js';
import { fakeParameterKind, type FakeParameterStore } from './kind.js';

export function kindsWithFake(store: FakeParameterStore): KindRegistry {
  return KINDS.with(fakeParameterKind(store));
}
