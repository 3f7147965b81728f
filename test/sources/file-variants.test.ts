import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../helpers/examples.js';

/**
 * Every way a manifest file can arrive, through `validate` (the directory source the
 * controller uses): each counted file is either read (its resources found) or refused with
 * an error naming it; none may come out as "no resources and no error", which would prune
 * what it held.
 */

const NAMESPACE = 'apiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapNamespace\nmetadata:\n  name: internal\nspec:\n  type: HTTP\n';

function utf16(text: string, bigEndian: boolean, bom: boolean): Buffer {
  const le = Buffer.from(`${bom ? '\ufeff' : ''}${text}`, 'utf16le');
  return bigEndian ? le.swap16() : le;
}

function utf32(text: string, bigEndian: boolean, bom: boolean): Buffer {
  const points = [...`${bom ? '\ufeff' : ''}${text}`].map((c) => c.codePointAt(0)!);
  const out = Buffer.alloc(points.length * 4);
  points.forEach((p, i) => (bigEndian ? out.writeUInt32BE(p, i * 4) : out.writeUInt32LE(p, i * 4)));
  return out;
}

/** What a row must come to: resources read, or an error with this code on the named file. */
type Outcome = { readonly resources: number } | { readonly code: string; readonly file: string; readonly message: RegExp };

interface Row {
  readonly name: string;
  /** Writes the row's files into `dir` (a directory of its own). */
  readonly make: (dir: string) => void;
  readonly expect: Outcome | ((dir: string) => Outcome);
  readonly args?: readonly string[];
}

const write = (name: string, content: string | Buffer) => (dir: string) => {
  mkdirSync(dirname(join(dir, name)), { recursive: true });
  writeFileSync(join(dir, name), content);
};
const one = { resources: 1 } as const;
const refused = (code: string, file: string, message: RegExp): Outcome => ({ code, file, message });

const ROWS: readonly Row[] = [
  { name: 'UTF-8 without BOM', make: write('m.yaml', NAMESPACE), expect: one },
  { name: 'UTF-8 with BOM', make: write('m.yaml', `\ufeff${NAMESPACE}`), expect: one },
  { name: 'UTF-16 LE with BOM', make: write('m.yaml', utf16(NAMESPACE, false, true)), expect: one },
  { name: 'UTF-16 LE without BOM', make: write('m.yaml', utf16(NAMESPACE, false, false)), expect: one },
  { name: 'UTF-16 BE with BOM', make: write('m.yaml', utf16(NAMESPACE, true, true)), expect: one },
  { name: 'UTF-16 BE without BOM', make: write('m.yaml', utf16(NAMESPACE, true, false)), expect: one },
  { name: 'UTF-32 LE with BOM', make: write('m.yaml', utf32(NAMESPACE, false, true)), expect: one },
  { name: 'UTF-32 LE without BOM', make: write('m.yaml', utf32(NAMESPACE, false, false)), expect: one },
  { name: 'UTF-32 BE with BOM', make: write('m.yaml', utf32(NAMESPACE, true, true)), expect: one },
  { name: 'UTF-32 BE without BOM', make: write('m.yaml', utf32(NAMESPACE, true, false)), expect: one },
  { name: 'CRLF line ends', make: write('m.yaml', NAMESPACE.replaceAll('\n', '\r\n')), expect: one },
  { name: 'CRLF in UTF-16 LE without BOM', make: write('m.yaml', utf16(NAMESPACE.replaceAll('\n', '\r\n'), false, false)), expect: one },
  { name: 'two documents, .yml', make: write('m.yml', `${NAMESPACE}---\n${NAMESPACE.replace('internal', 'second')}`), expect: { resources: 2 } },
  { name: '.YAML in capitals', make: write('M.YAML', NAMESPACE), expect: one },
  { name: '.Yml in mixed case', make: write('m.Yml', NAMESPACE), expect: one },
  { name: 'a hidden file (dot file, not in a dot directory)', make: write('.m.yaml', NAMESPACE), expect: one },
  { name: 'a directory named like a manifest (walked, not read as a file)', make: write('x.yaml/m.yaml', NAMESPACE), expect: one },
  {
    name: 'a symbolic link to a file with another name',
    make: (dir) => {
      write('../target.txt', NAMESPACE)(dir);
      symlinkSync(join(dir, '..', 'target.txt'), join(dir, 'm.yaml'));
    },
    expect: one,
  },
  {
    name: 'a symbolic link named like a manifest to a directory',
    make: (dir) => {
      write('../linked-dir/m.yaml', NAMESPACE)(dir);
      symlinkSync(join(dir, '..', 'linked-dir'), join(dir, 'm.yaml'));
    },
    expect: refused('EGO_FILE_UNREADABLE', 'm.yaml', /is a symbolic link to a directory \(links to directories are never followed\); not read/),
  },
  {
    name: 'a dangling symbolic link',
    make: (dir) => symlinkSync('gone.yaml', join(dir, 'm.yaml')),
    expect: refused('EGO_FILE_UNREADABLE', 'm.yaml', /is a symbolic link whose target cannot be read \(ENOENT\); not read/),
  },
  {
    name: 'a FIFO named like a manifest',
    make: (dir) => execFileSync('mkfifo', [join(dir, 'm.yaml')]),
    expect: refused('EGO_FILE_UNREADABLE', 'm.yaml', /is not a regular file \(a FIFO, socket or device\); not read/),
  },
  {
    // As root chmod 000 does not stop a read: then the file must be read, never dropped.
    name: 'a file with mode 000',
    make: (dir) => {
      write('m.yaml', NAMESPACE)(dir);
      chmodSync(join(dir, 'm.yaml'), 0o000);
    },
    expect: (dir) => (readable(join(dir, 'm.yaml')) ? one : refused('EGO_FILE_UNREADABLE', 'm.yaml', /cannot be read \(EACCES\); not read/)),
  },
  {
    name: 'binary (PNG header)',
    make: write('m.yaml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])),
    expect: refused('EGO_ENCODING', 'm.yaml', /not valid UTF-8 at line 1, column 1 \(byte 0x89\)/),
  },
  {
    name: 'NUL bytes in text',
    make: write('m.yaml', `${NAMESPACE}\0\0\0junk\n`),
    expect: refused('EGO_ENCODING', 'm.yaml', /holds a NUL character \(a binary file\?\) at line 7, column 1/),
  },
  {
    name: 'Latin-1 bytes',
    make: write('m.yaml', Buffer.from(`${NAMESPACE}# caf\xe9\n`, 'latin1')),
    expect: refused('EGO_ENCODING', 'm.yaml', /not valid UTF-8 at line 7, column 6 \(byte 0xE9\)/),
  },
  {
    name: 'UTF-16 cut to an odd length',
    make: write('m.yaml', utf16(NAMESPACE, false, true).subarray(0, 41)),
    expect: refused('EGO_ENCODING', 'm.yaml', /is UTF-16LE by YAML 1\.2's detection but has an odd number of bytes \(41\)/),
  },
  {
    name: 'over --source-max-file-bytes',
    make: write('m.yaml', NAMESPACE),
    args: ['--source-max-file-bytes', '64'],
    expect: refused('EGO_FILE_TOO_LARGE', 'm.yaml', /is 105 bytes, over the limit of 64 bytes per file/),
  },
  { name: 'empty (0 bytes)', make: write('m.yaml', ''), expect: refused('EGO_FILE_EMPTY', 'm.yaml', /is empty \(0 bytes\)/) },
  { name: 'only white space', make: write('m.yaml', ' \n\r\n\t\n'), expect: refused('EGO_FILE_EMPTY', 'm.yaml', /holds only white space \(6 bytes\)/) },
  {
    name: 'empty UTF-16 (a BOM only)',
    make: write('m.yaml', Buffer.from([0xff, 0xfe])),
    expect: refused('EGO_FILE_EMPTY', 'm.yaml', /holds only white space \(2 bytes\)/),
  },
];

/** Paths the rule does not count: with nothing else beside them, validate says no manifests were found. */
const NOT_COUNTED: readonly string[] = ['m.json', 'm.yaml.txt', '.git/m.yaml', '.hidden/m.yaml', 'node_modules/pkg/m.yaml'];

function readable(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}

interface ValidateJson {
  readonly valid: boolean;
  readonly resources: readonly { readonly key: string; readonly file: string }[];
  readonly diagnostics: readonly { readonly severity: string; readonly code: string; readonly file: string; readonly message: string }[];
}

describe('manifest file variants: each is read or refused by name, never silently empty', () => {
  let base: string;
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'ecs-gitops-variants-'));
  });
  after(() => {
    // chmod 000 files are removable (the directory is writable).
    rmSync(base, { recursive: true, force: true });
  });

  ROWS.forEach((row, i) => {
    it(row.name, async () => {
      const dir = join(base, `row-${i}`, 'source');
      mkdirSync(dir, { recursive: true });
      row.make(dir);
      const expected = typeof row.expect === 'function' ? row.expect(dir) : row.expect;
      const r = await runCli(['validate', dir, '--output', 'json', ...(row.args ?? [])], {});
      const doc = JSON.parse(r.out) as ValidateJson;
      const errors = doc.diagnostics.filter((d) => d.severity === 'error');
      assert.ok(doc.resources.length > 0 || errors.length > 0, `${row.name}: 0 resources and no error`);
      if ('resources' in expected) {
        assert.deepEqual([r.code, errors], [0, []], row.name);
        assert.equal(doc.resources.length, expected.resources);
        assert.ok(doc.resources.every((res) => res.key.startsWith('CloudMapNamespace/')));
      } else {
        assert.equal(r.code, 1, row.name);
        assert.equal(errors.length, 1, JSON.stringify(errors));
        assert.equal(errors[0]!.code, expected.code);
        assert.equal(errors[0]!.file, join(dir, expected.file), 'the error names the file');
        assert.match(errors[0]!.message, expected.message);
        assert.equal(doc.resources.length, 0);
      }
    });
  });

  it('a refused file beside good ones still fails validate, naming it, while the others are read', async () => {
    const dir = join(base, 'mixed');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'good.yaml'), NAMESPACE);
    writeFileSync(join(dir, 'bad.yaml'), '');
    const r = await runCli(['validate', dir], {});
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`^${join(dir, 'bad.yaml')}:1:1: the file is empty \\(0 bytes\\).* \\[EGO_FILE_EMPTY\\]$`, 'm'));
    assert.match(r.out, /^1 resource valid, 1 error, 0 warnings$/m);
  });

  for (const path of NOT_COUNTED) {
    it(`does not count ${path}, and says so when nothing else is there`, async () => {
      const dir = join(base, `not-${path.replaceAll('/', '_')}`);
      write(path, NAMESPACE)(dir);
      const r = await runCli(['validate', dir], {});
      assert.match(r.out, new RegExp(`^no ecs-gitops manifests found in ${dir} \\(0 YAML files read, 0 other documents ignored\\)$`, 'm'));
    });
  }
});
