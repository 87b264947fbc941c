// Unit tests of the extension's binary discovery (editors/vscode/src/binary.ts), run by
// run_e2e.sh with Node's test runner on an esbuild bundle of that file:
//   node --test binary.test.mjs   (BINARY_JS=path/to/binary.js)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { findBinary, expandSetting } = require(process.env.BINARY_JS);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nodehint-binary-'));
const mk = (rel, mode = 0o755) => {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, '#!/bin/sh\n');
  fs.chmodSync(p, mode);
  return p;
};
const ext = path.join(tmp, 'ext');
const bundled = mk('ext/server/nodehint');
const onPath = mk('bin/nodehint');
const configured = mk('custom/nodehint');
mk('notexec/nodehint', 0o644);
const base = { setting: '', extensionDir: ext, workspaceFolder: tmp, env: { PATH: path.join(tmp, 'bin') }, platform: 'linux' };

test('nodehint.path wins over the bundled binary and PATH', () => {
  assert.deepEqual(findBinary({ ...base, setting: configured }), { kind: 'found', path: configured, source: 'setting' });
});

test('a relative nodehint.path and ${workspaceFolder} start at the workspace folder', () => {
  assert.equal(findBinary({ ...base, setting: 'custom/nodehint' }).path, configured);
  assert.equal(findBinary({ ...base, setting: '${workspaceFolder}/custom/nodehint' }).path, configured);
  assert.equal(expandSetting('~/x', undefined), path.join(os.homedir(), 'x'));
});

test('a wrong nodehint.path is reported, not silently replaced', () => {
  for (const setting of ['/nonexistent/nodehint', path.join(tmp, 'notexec/nodehint'), tmp]) {
    const r = findBinary({ ...base, setting });
    assert.equal(r.kind, 'not-found');
    assert.match(r.message, /nodehint\.path/);
    assert.ok(r.message.includes(setting), r.message);
  }
});

test('the bundled binary comes before PATH', () => {
  assert.deepEqual(findBinary(base), { kind: 'found', path: bundled, source: 'bundled' });
});

test('PATH is searched when nothing is bundled', () => {
  const r = findBinary({ ...base, extensionDir: path.join(tmp, 'empty') });
  assert.deepEqual(r, { kind: 'found', path: onPath, source: 'PATH' });
  const skipsNonExecutable = findBinary({
    ...base,
    extensionDir: path.join(tmp, 'empty'),
    env: { PATH: [path.join(tmp, 'notexec'), path.join(tmp, 'bin')].join(path.delimiter) },
  });
  assert.equal(skipsNonExecutable.path, onPath);
});

test('nothing found: one message naming the fix', () => {
  const r = findBinary({ ...base, extensionDir: path.join(tmp, 'empty'), env: { PATH: '' } });
  assert.equal(r.kind, 'not-found');
  assert.match(r.message, /nodehint\.path/);
  assert.match(r.message, /PATH/);
  assert.doesNotMatch(r.message, /\n\s+at /);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
