import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readBlobs } from '../../src/sources/git/read-blobs.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

/** A `git cat-file --batch` stand-in that answers `stdout` whatever it is asked. */
const answering = (stdout: string) => async () => ({ stdout: Buffer.from(stdout, 'utf8'), stderr: '' });

describe('reading git blobs', () => {
  it('returns each object by id, content with newlines and all', async () => {
    const blobs = await readBlobs([A, B, A], answering(`${A} blob 4\nx: 1\n${B} blob 0\n\n`), 4);
    assert.deepEqual(
      [...blobs].map(([oid, bytes]) => [oid, bytes.toString('utf8')]),
      [
        [A, 'x: 1'],
        [B, ''],
      ],
    );
  });

  const broken: [string, string][] = [
    ['an object left out', `${A} blob 4\nx: 1\n`],
    ['output that ends inside an object', `${A} blob 4\nx: 1\n${B} blob 10\nshort`],
    ['a missing object', `${A} blob 4\nx: 1\n${B} missing\n`],
    ['a header without its end', `${A} blob 4\nx: 1\n${B} blob`],
  ];
  for (const [what, stdout] of broken) {
    it(`fails on ${what} instead of handing out an empty or short manifest`, async () => {
      await assert.rejects(readBlobs([A, B], answering(stdout), 4));
    });
  }
});
