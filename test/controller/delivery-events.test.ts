import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DeliveryEvent, DeliveryEvents } from '../../src/controller/delivery-events.js';

const drift: DeliveryEvent = {
  type: 'drift-detected',
  at: '2026-12-06T00:00:00.000Z',
  resource: { key: 'CloudMapService/internal/name', kind: 'CloudMapService', name: 'internal/name' },
  fields: [{ path: 'spec.dns.records[0].ttl', from: 30, to: 60 }],
  mode: 'enforce',
};

test('every listener sees each event; a throwing listener is reported and does not stop the others', () => {
  const errors: unknown[] = [];
  const bus = new DeliveryEvents((err) => errors.push(err));
  const seen: string[] = [];
  bus.subscribe(() => {
    throw new Error('listener broke');
  });
  bus.subscribe((e) => seen.push(e.type));
  bus.emit(drift);
  assert.deepEqual(seen, ['drift-detected']);
  assert.equal(errors.length, 1);
});

test('an unsubscribed listener sees nothing more', () => {
  const bus = new DeliveryEvents();
  const seen: string[] = [];
  const off = bus.subscribe((e) => seen.push(e.type));
  bus.emit(drift);
  off();
  bus.emit(drift);
  assert.equal(seen.length, 1);
});
