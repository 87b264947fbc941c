'use strict';
// Microsoft's vscode-jsonrpc drives `nodehint --stdio` as a second, independent client
// (the first is headless Neovim, tests/clients/nvim/). Run by run.py:
//   node client.js NODEHINT DEPS_DIR
// DEPS_DIR holds node_modules/vscode-jsonrpc (installed by run.py from the lockfile).
//
// Session 1 (push): offers UTF-16 only, opens tests/clients/fixtures/checkout.js, waits for
//   publishDiagnostics and checks code, severity, message and range; three incremental
//   didChange notifications (a line inserted above, an emoji inserted before the finding on
//   its line, then both undone in ONE notification with two changes) and two full-content
//   changes (the finding removed, then restored), each checked against the next publish and
//   its version; hover on the finding (quotes the entry's verbatim question) and away from it
//   (null); textDocument/diagnostic if the server advertises it; shutdown, exit, exit code 0.
// Session 2 (pull, if advertised): offers UTF-8 first, declares pull diagnostics, checks the
//   pulled report in the encoding the server chose, follows an edit, shutdown, exit code 0.
// Both sessions fail on window/showMessage, on logMessage of type Error and on
// "error:" lines on the server's stderr. Prints "N passed, N failed"; exit 0 or 1.

const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [nodehint, depsDir] = process.argv.slice(2);
if (!nodehint || !depsDir) {
  console.log('usage: node client.js NODEHINT DEPS_DIR');
  process.exit(2);
}
const rpc = require(require.resolve('vscode-jsonrpc/node', { paths: [depsDir] }));

const REPO = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(REPO, 'tests', 'clients', 'fixtures');
const WAIT_MS = Number(process.env.NODEHINT_WAIT_MS || 20000);
const expect = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'checkout.expect.json'), 'utf8'));
const question = JSON.parse(fs.readFileSync(path.join(REPO, 'knowledge', 'entries.json'), 'utf8'))
  .find((e) => e.id === expect.entry).heading;
const original = fs.readFileSync(path.join(FIXTURES, expect.file), 'utf8');

let passed = 0;
let failed = 0;
function check(cond, what, detail) {
  if (cond) {
    passed++;
    console.log(`ok   ${what}`);
  } else {
    failed++;
    console.log(`FAIL ${what}${detail === undefined ? '' : ': ' + (typeof detail === 'string' ? detail : JSON.stringify(detail))}`);
  }
  return cond;
}

const rangeOf = (d) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];
const sameRange = (a, b) => a.length === 4 && a.every((v, i) => v === b[i]);
const pos = (line, character) => ({ line, character });
const describe = (p) => (p ? `version ${p.version}: ${JSON.stringify((p.diagnostics || p.items).map((d) => [d.code, rangeOf(d)]))}` : 'nothing');

// Length of one astral emoji in each encoding's units (for undoing the inserted emoji).
const EMOJI_UNITS = { 'utf-8': 4, 'utf-16': 2, 'utf-32': 1 };

class Session {
  constructor(name, root) {
    this.name = name;
    this.publishes = [];
    this.showMessages = [];
    this.logMessages = [];
    this.unhandled = [];
    this.stderr = '';
    this.waiters = [];
    this.child = spawn(nodehint, ['--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => resolve({ code, signal }));
      this.child.on('error', (err) => resolve({ code: null, signal: null, err }));
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (s) => { this.stderr += s; });
    this.conn = rpc.createMessageConnection(
      new rpc.StreamMessageReader(this.child.stdout), new rpc.StreamMessageWriter(this.child.stdin));
    this.conn.onNotification('textDocument/publishDiagnostics', (p) => { this.publishes.push(p); this.wake(); });
    this.conn.onNotification('window/showMessage', (p) => this.showMessages.push(p));
    this.conn.onNotification('window/logMessage', (p) => this.logMessages.push(p));
    this.conn.onNotification('$/logTrace', () => {});
    this.conn.onUnhandledNotification((m) => this.unhandled.push(m.method));
    this.conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('client/unregisterCapability', () => null);
    this.conn.onRequest('workspace/diagnostic/refresh', () => { this.refreshes = (this.refreshes || 0) + 1; return null; });
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onError(([err]) => { this.rpcError = this.rpcError || String(err); });
    this.conn.listen();
  }

  wake() { for (const w of this.waiters.splice(0)) w(); }

  // Resolves with the newest publish for uri once pred(publish) holds, or with
  // {timeout: true, last} after WAIT_MS.
  waitPublish(uri, pred) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { resolve({ timeout: true, last: this.last(uri) }); }, WAIT_MS);
      const test = () => {
        const p = this.last(uri);
        if (p && pred(p)) { clearTimeout(timer); resolve(p); } else this.waiters.push(test);
      };
      test();
    });
  }

  last(uri) {
    for (let i = this.publishes.length - 1; i >= 0; i--) if (this.publishes[i].uri === uri) return this.publishes[i];
    return undefined;
  }

  request(method, params) {
    return Promise.race([
      this.conn.sendRequest(method, params),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`${method}: no answer in ${WAIT_MS} ms`)), WAIT_MS)),
    ]);
  }

  notify(method, params) { return this.conn.sendNotification(method, params); }

  async initialize(root, encodings, pull) {
    const textDocument = {
      synchronization: { dynamicRegistration: false, didSave: true },
      hover: { dynamicRegistration: false, contentFormat: ['markdown', 'plaintext'] },
      publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, relatedInformation: true },
    };
    if (pull) textDocument.diagnostic = { dynamicRegistration: false, relatedDocumentSupport: false };
    const rootUri = new URL(`file://${root}`).href;
    const t0 = process.hrtime.bigint();
    const result = await this.request('initialize', {
      processId: process.pid,
      clientInfo: { name: 'nodehint-test-vscode-jsonrpc', version: '1' },
      locale: 'en',
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'workspace' }],
      capabilities: {
        general: { positionEncodings: encodings },
        textDocument,
        workspace: { configuration: true, workspaceFolders: true, diagnostics: { refreshSupport: pull } },
      },
    });
    this.initMs = Number(process.hrtime.bigint() - t0) / 1e6;
    this.notify('initialized', {});
    return result;
  }

  async shutdown() {
    let error;
    let result;
    try {
      result = await this.request('shutdown', null);
    } catch (e) {
      error = e;
    }
    check(!error && result === null, `${this.name}: shutdown answers null`, error ? String(error) : result);
    this.notify('exit');
    const timer = new Promise((resolve) => setTimeout(() => resolve({ timeout: true }), WAIT_MS));
    const exit = await Promise.race([this.exited, timer]);
    if (exit.timeout) this.child.kill('SIGKILL');
    check(exit.code === 0, `${this.name}: the server exits with code 0 after shutdown + exit`, exit);
    this.conn.dispose();
    check(this.showMessages.length === 0, `${this.name}: no window/showMessage`, this.showMessages);
    const errors = this.logMessages.filter((m) => m.type === 1);
    check(errors.length === 0, `${this.name}: no window/logMessage of type Error`, errors);
    const stderrErrors = this.stderr.split('\n').filter((l) => /error:/i.test(l));
    check(stderrErrors.length === 0, `${this.name}: no "error:" line on the server's stderr`, stderrErrors);
    check(!this.rpcError, `${this.name}: no JSON-RPC transport error`, this.rpcError);
    if (this.unhandled.length) console.log(`note ${this.name}: notifications without a handler: ${[...new Set(this.unhandled)]}`);
    if (this.stderr.trim()) console.log(`---- ${this.name}: server stderr\n${this.stderr.trimEnd()}`);
  }
}

function checkCapabilities(name, result, encodings) {
  const caps = (result && result.capabilities) || {};
  const sync = caps.textDocumentSync;
  const change = typeof sync === 'number' ? sync : sync && sync.change;
  check(change === 2, `${name}: textDocumentSync is incremental (2)`, sync);
  if (typeof sync === 'object') check(sync.openClose === true, `${name}: textDocumentSync.openClose`, sync);
  const enc = caps.positionEncoding || 'utf-16';
  check(encodings.includes(enc), `${name}: positionEncoding "${enc}" is one the client offered (${encodings})`, caps.positionEncoding);
  check(Boolean(caps.hoverProvider), `${name}: hoverProvider`, caps.hoverProvider);
  return enc;
}

function checkOne(name, what, p, range) {
  const diags = p && (p.diagnostics || p.items);
  const ok = !p.timeout && diags.length === 1 && sameRange(rangeOf(diags[0]), range);
  check(ok, `${name}: ${what}: one diagnostic at ${range}`, p.timeout ? `timed out; last ${describe(p.last)}` : describe(p));
  return ok;
}

function hoverText(contents) {
  if (typeof contents === 'string') return contents;
  if (Array.isArray(contents)) return contents.map(hoverText).join('\n');
  return contents && typeof contents.value === 'string' ? contents.value : '';
}

async function pushSession(root, uri) {
  const name = 'push/utf-16';
  const s = new Session(name, root);
  const encodings = ['utf-16'];
  const result = await s.initialize(root, encodings, false);
  const enc = checkCapabilities(name, result, encodings);
  console.log(`note ${name}: initialize answered in ${s.initMs.toFixed(1)} ms; server ${JSON.stringify(result.serverInfo)}`);
  const want = expect.range[enc];

  s.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text: original } });
  let p = await s.waitPublish(uri, (q) => q.version === 1 || q.version === undefined);
  if (checkOne(name, 'didOpen', p, want)) {
    const d = p.diagnostics[0];
    check(d.code === expect.rule, `${name}: code is ${expect.rule}`, d.code);
    check(d.severity === expect.severity, `${name}: severity ${expect.severity}`, d.severity);
    check(typeof d.message === 'string' && d.message.includes(expect.message_contains), `${name}: message`, d.message);
    check(p.version === 1, `${name}: publish carries the document version`, p.version);
    console.log(`note ${name}: source ${JSON.stringify(d.source)}, codeDescription ${JSON.stringify(d.codeDescription)}`);
  }

  const added = '// a line added by the test\n';
  s.notify('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: pos(0, 0), end: pos(0, 0) }, text: added }],
  });
  p = await s.waitPublish(uri, (q) => q.version === 2);
  checkOne(name, 'didChange v2 (line inserted above)', p, [want[0] + 1, want[1], want[2] + 1, want[3]]);

  const at = expect.edit_emoji_at[enc];
  s.notify('textDocument/didChange', {
    textDocument: { uri, version: 3 },
    contentChanges: [{ range: { start: pos(want[0] + 1, at), end: pos(want[0] + 1, at) }, text: '📧' }],
  });
  p = await s.waitPublish(uri, (q) => q.version === 3);
  const after = expect.after_edits[enc];
  checkOne(name, 'didChange v3 (emoji inserted before the finding)', p, after);

  // Hover while the document differs from the file on disk.
  let hover = await s.request('textDocument/hover', { textDocument: { uri }, position: pos(after[0], after[1]) });
  const text = hover ? hoverText(hover.contents) : '';
  check(text.includes(question), `${name}: hover at the finding's start quotes «${question}»`, text.slice(0, 300));
  check(hover && hover.contents && hover.contents.kind === 'markdown', `${name}: hover is markdown (the client offered it)`, hover && hover.contents);
  const r = hover && hover.range;
  check(!r || (r.start.line <= after[0] && after[0] <= r.end.line
               && (r.start.line < after[0] || r.start.character <= after[1])
               && (r.end.line > after[0] || after[1] <= r.end.character)),
        `${name}: hover range (optional) holds the position`, r);
  hover = await s.request('textDocument/hover', { textDocument: { uri }, position: pos(after[0], after[1] + 3) });
  check(hover && hoverText(hover.contents).includes(question), `${name}: hover inside the finding's range quotes it too`, hover);
  hover = await s.request('textDocument/hover', { textDocument: { uri }, position: pos(0, 0) });
  check(hover === null, `${name}: hover away from any finding is null`, hover);

  // Two changes in one notification, applied in order: remove the emoji, then the line.
  s.notify('textDocument/didChange', {
    textDocument: { uri, version: 4 },
    contentChanges: [
      { range: { start: pos(want[0] + 1, at), end: pos(want[0] + 1, at + EMOJI_UNITS[enc]) }, text: '' },
      { range: { start: pos(0, 0), end: pos(1, 0) }, text: '' },
    ],
  });
  p = await s.waitPublish(uri, (q) => q.version === 4);
  checkOne(name, 'didChange v4 (two changes in one notification undo both edits)', p, want);

  // Full-content changes: the finding goes away, then comes back.
  const fixed = original.replace('(err) => {\n          if (err) console.error(err);\n        }', 'logError');
  check(fixed !== original, `${name}: (test) the fixture has the callback to remove`);
  s.notify('textDocument/didChange', { textDocument: { uri, version: 5 }, contentChanges: [{ text: fixed }] });
  p = await s.waitPublish(uri, (q) => q.version === 5);
  check(!p.timeout && p.diagnostics.length === 0, `${name}: didChange v5 (full text without the finding): empty diagnostics`, p.timeout ? `timed out; last ${describe(p.last)}` : describe(p));
  s.notify('textDocument/didChange', { textDocument: { uri, version: 6 }, contentChanges: [{ text: original }] });
  p = await s.waitPublish(uri, (q) => q.version === 6);
  checkOne(name, 'didChange v6 (full text restored)', p, want);

  const provider = result.capabilities.diagnosticProvider;
  if (provider) {
    const report = await s.request('textDocument/diagnostic', { textDocument: { uri } });
    check(report && report.kind === 'full' && report.items.length === 1 && sameRange(rangeOf(report.items[0]), want)
          && report.items[0].code === expect.rule,
          `${name}: textDocument/diagnostic (advertised) returns the same finding`, report);
  } else {
    console.log(`note ${name}: no diagnosticProvider advertised; pull not tested`);
  }

  s.notify('textDocument/didClose', { textDocument: { uri } });
  p = await s.waitPublish(uri, (q) => q.diagnostics.length === 0);
  check(!p.timeout, `${name}: didClose clears the document's diagnostics (empty publish)`, p.timeout ? describe(p.last) : undefined);
  await s.shutdown();
  return result;
}

async function pullSession(root, uri) {
  const name = 'pull/utf-8';
  const s = new Session(name, root);
  const encodings = ['utf-8', 'utf-32', 'utf-16'];
  const result = await s.initialize(root, encodings, true);
  const enc = checkCapabilities(name, result, encodings);
  console.log(`note ${name}: the server chose ${enc}`);
  const want = expect.range[enc];
  if (!result.capabilities.diagnosticProvider) {
    console.log(`note ${name}: no diagnosticProvider advertised; pull session skipped`);
    await s.shutdown();
    return;
  }
  s.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text: original } });
  let report = await s.request('textDocument/diagnostic', { textDocument: { uri } });
  check(report.kind === 'full', `${name}: first pull is a full report`, report);
  checkOne(name, `pulled report (${enc})`, report, want);
  const first = report.resultId;
  if (first !== undefined) {
    report = await s.request('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first });
    check(report.kind === 'unchanged' ? report.resultId === first : report.kind === 'full',
          `${name}: pull again with previousResultId: unchanged (same resultId) or full`, report);
  }
  const at = expect.edit_emoji_at[enc];
  s.notify('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [
      { range: { start: pos(0, 0), end: pos(0, 0) }, text: '// a line added by the test\n' },
      { range: { start: pos(want[0] + 1, at), end: pos(want[0] + 1, at) }, text: '📧' },
    ],
  });
  report = await s.request('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first });
  check(report.kind === 'full', `${name}: pull after an edit is a full report`, report);
  checkOne(name, `pulled report after the edit (${enc})`, report, expect.after_edits[enc]);
  const hover = await s.request('textDocument/hover', { textDocument: { uri }, position: pos(expect.after_edits[enc][0], expect.after_edits[enc][1]) });
  check(hover && hoverText(hover.contents).includes(question), `${name}: hover at the finding (${enc}) quotes the question`, hover);
  if (s.publishes.length) console.log(`note ${name}: the server also pushed ${s.publishes.length} publishDiagnostics in pull mode`);
  await s.shutdown();
}

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nodehint-jsonrpc-'));
  try {
    const file = path.join(root, expect.file);
    fs.writeFileSync(file, original);
    const uri = new URL(`file://${file}`).href;
    await pushSession(root, uri);
    await pullSession(root, uri);
  } catch (e) {
    check(false, 'the script ran to its end', e && e.stack ? e.stack : String(e));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main();
