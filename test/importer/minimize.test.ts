import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { minimize, sameNormalized } from '../../src/importer/minimize.js';

type Doc = { a?: number; list?: { name: string; on?: boolean }[]; keep: string; map?: Record<string, string> };

// A normalizer with defaults: a = 0, on = true, map and list empty when absent.
const normalize = (d: Doc): unknown => ({
  a: d.a ?? 0,
  keep: d.keep,
  list: (d.list ?? []).map((i) => ({ name: i.name, on: i.on ?? true })),
  map: d.map ?? {},
});

describe('minimize', () => {
  it('drops members whose removal leaves the normalized form unchanged, walks into the rest, keeps key order', () => {
    const doc: Doc = {
      a: 0,
      keep: 'x',
      list: [
        { name: 'n', on: true },
        { name: 'm', on: false },
      ],
      map: {},
    };
    const out = minimize(doc, sameNormalized(doc, normalize));
    assert.deepEqual(out, { keep: 'x', list: [{ name: 'n' }, { name: 'm', on: false }] });
    assert.deepEqual(Object.keys(out), ['keep', 'list']);
    assert.deepEqual(doc.list?.[0], { name: 'n', on: true }, 'the input is not modified');
  });

  it('keeps a member whose removal changes the normalized form, and one the validity check needs', () => {
    const doc: Doc = { a: 5, keep: 'x', map: { k: 'v' } };
    assert.deepEqual(minimize(doc, sameNormalized(doc, normalize)), doc);
    const needsList = (d: Doc): boolean => d.list !== undefined;
    const withEmpty: Doc = { keep: 'x', list: [] };
    assert.deepEqual(minimize(withEmpty, sameNormalized(withEmpty, normalize, needsList)), { keep: 'x', list: [] });
    assert.deepEqual(minimize(withEmpty, sameNormalized(withEmpty, normalize)), { keep: 'x' });
  });

  it('treats a normalizer that throws as "not the same"', () => {
    const doc = { name: 'x', extra: 1 };
    const strict = (d: { name?: string; extra?: number }): unknown => {
      if (d.name === undefined) throw new Error('name is required');
      return { name: d.name };
    };
    assert.deepEqual(minimize(doc, sameNormalized(doc, strict)), { name: 'x' });
  });
});
