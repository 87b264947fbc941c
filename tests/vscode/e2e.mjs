// Drives code-server (a real VS Code) with Chromium to test the nodehint extension end to end.
// run_e2e.sh installs playwright-core next to a copy of this file and passes:
//   --code-server BIN --vsix FILE --nodehint BIN --workspace DIR --profile DIR --shots DIR --chromium BIN
// Steps (most leave a screenshot in --shots; a failing one always does):
//   1. install the .vsix, start code-server, open the workspace and two files with findings;
//   2. the Problems panel lists nodehint's diagnostics with their rule ids;
//   3. hovering a flagged call shows the quoted Q&A question (TypeScript's hover is off);
//   4. "nodehint: Explain concept at cursor" shows the entry rendered in a webview;
//   5. "nodehint: Show output" shows the server log; "Restart server" and a killed server
//      both bring a new server with the diagnostics back;
//   6. nodehint.rules turning a rule off (through the settings editor) removes its diagnostics;
//   7. nodehint.hoverLanguage "en" changes what the server quotes; nodehint.enable false stops it;
//   8. a nodehint.path that does not exist gives one clear message (no stack trace).
// Prints one line per check and a closing "N passed, N failed" line; exits 1 on any failure.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= argv.length) throw new Error(`missing --${name}`);
  return argv[i + 1];
};
const codeServer = opt('code-server');
const vsix = opt('vsix');
const nodehint = opt('nodehint');
const workspace = path.resolve(opt('workspace'));
const profile = path.resolve(opt('profile'));
const shots = path.resolve(opt('shots'));
const chromiumPath = opt('chromium');

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
let passed = 0;
let failed = 0;
const failures = [];

function log(msg) {
  console.log(`[${elapsed()}] ${msg}`);
}

// --- expectations taken from the binary under test, not retyped --------------------------------
/** `nodehint lint --format json` on the workspace: [{path, rule, line, question}]. */
function findings() {
  let out;
  try {
    out = execFileSync(nodehint, ['lint', '--format', 'json', '.'], { cwd: workspace, encoding: 'utf8' });
  } catch (e) {
    out = e.stdout; // exit 1 = findings
  }
  return JSON.parse(out).files.flatMap((f) =>
    f.diagnostics.map((d) => ({ path: f.path, rule: d.rule, line: d.line, question: d.entry?.question })),
  );
}

// --- code-server ---------------------------------------------------------------------------------
const userData = path.join(profile, 'user-data');
const extensions = path.join(profile, 'extensions');
const home = path.join(profile, 'home');
for (const d of [userData, extensions, home, path.join(userData, 'User')]) fs.mkdirSync(d, { recursive: true });
const baseSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'editor.hover.delay': 200,
  'editor.minimap.enabled': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  // code-server has no --disable-extension: keep VS Code's TypeScript extension (which also
  // hovers on JavaScript) to its syntax-only server, which gives no hovers or diagnostics.
  'typescript.tsserver.useSyntaxServer': 'always',
  'javascript.validate.enable': false,
};
fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(baseSettings, null, 2));
fs.writeFileSync(path.join(profile, 'config.yaml'), 'auth: none\ncert: false\n');

const csEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share') };
delete csEnv.VSCODE_IPC_HOOK_CLI;
const csCommon = ['--config', path.join(profile, 'config.yaml'), '--user-data-dir', userData, '--extensions-dir', extensions];

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, child, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const r = await fetch(url, { redirect: 'manual' });
      if (r.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer on ${url} within ${ms} ms`);
}

/** Pids of running processes whose executable is `binary` (the server this test started). */
function serverPids(binary) {
  const pids = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readlinkSync(`/proc/${d}/exe`) === binary) pids.push(Number(d));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

// --- checks ----------------------------------------------------------------------------------------
let page;
let shotNo = 0;
async function shot(name) {
  shotNo += 1;
  const file = path.join(shots, `${String(shotNo).padStart(2, '0')}-${name}.png`);
  try {
    await page.screenshot({ path: file });
    log(`screenshot ${file}`);
  } catch (e) {
    log(`screenshot ${name} failed: ${e.message}`);
  }
}
async function check(name, fn) {
  const start = Date.now();
  try {
    await fn();
    passed += 1;
    console.log(`ok - ${name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed += 1;
    failures.push(name);
    console.log(`not ok - ${name}: ${e.message.split('\n').slice(0, 6).join('\n    ')}`);
    await shot(`FAILED-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
  }
}

/** Polls fn() until it returns a truthy value; throws with describe() after ms. */
async function until(fn, ms, describe) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${describe}${last !== undefined ? ` (last seen: ${JSON.stringify(last).slice(0, 400)})` : ''}`);
}

async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 }).catch(() => {});
}

async function openFile(relative) {
  const base = path.basename(relative);
  const tab = page.locator(`.tabs-container .tab[data-resource-name="${base}"]`).first();
  if (await tab.count()) {
    await tab.click();
    await page.locator(`.tabs-container .tab.active[data-resource-name="${base}"]`).first().waitFor({ timeout: 15000 });
    return;
  }
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(relative);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: base })
    .first()
    .waitFor({ state: 'visible', timeout: 15000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[aria-label*="${base}"]`).waitFor({ timeout: 15000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 15000 });
}

async function problemsText() {
  return page.locator('.markers-panel').innerText({ timeout: 2000 });
}

/** Focuses the Problems panel (opening it if needed). */
async function showProblems() {
  await runCommand('View: Focus Problems');
  await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10000 });
}

/**
 * Replaces a settings file through the settings editor (code-server ignores outside edits):
 * `which` is 'User' or 'Workspace'. Checks on disk that the right file got the new text.
 */
async function writeSettings(which, settings) {
  const file =
    which === 'User' ? path.join(userData, 'User', 'settings.json') : path.join(workspace, '.vscode', 'settings.json');
  const suffix = which === 'User' ? '/User/settings.json' : '/.vscode/settings.json';
  await runCommand(`Preferences: Open ${which} Settings (JSON)`);
  // The editor showing that file (Monaco marks each editor with its document's URI), not the
  // previous one still fading out.
  const editor = page.locator(`.editor-instance .monaco-editor[data-uri$="${suffix}"]`).first();
  await editor.waitFor({ state: 'visible', timeout: 15000 });
  await editor.locator('.view-lines').click();
  await page.locator(`.monaco-editor.focused[data-uri$="${suffix}"]`).waitFor({ timeout: 5000 });
  await page.keyboard.press('Control+A');
  const text = JSON.stringify(settings, null, 2);
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+V');
  await page.keyboard.press('Control+S');
  await until(
    () => {
      try {
        return JSON.stringify(JSON.parse(fs.readFileSync(file, 'utf8'))) === JSON.stringify(settings);
      } catch {
        return false;
      }
    },
    10000,
    `${file} was not saved with the new settings`,
  );
}

/** The bounding box centre of the first `word` token on the editor line containing `lineText`. */
async function tokenCentre(lineText, word) {
  return page.evaluate(
    ([lineText, word]) => {
      const editor = document.querySelector('.editor-instance .monaco-editor');
      for (const line of editor.querySelectorAll('.view-lines .view-line')) {
        if (!line.textContent.replace(/\u00a0/g, ' ').includes(lineText)) continue;
        for (const span of line.querySelectorAll('span span')) {
          if (span.textContent === word) {
            const r = span.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          }
        }
      }
      return null;
    },
    [lineText, word],
  );
}

/** Puts line `n` of the active editor in view (Go to Line). */
async function gotoLine(n) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(`:${n}`);
  await page.keyboard.press('Enter');
}

/** The text of the nodehint webview (nested iframes), or ''. */
async function webviewText() {
  for (const frame of page.frames()) {
    try {
      const t = await frame.evaluate(() =>
        document.body && document.body.classList.contains('nodehint-explain') ? document.body.innerText : '',
      );
      if (t) return t;
    } catch {
      // detached or cross-origin frame
    }
  }
  return '';
}

// --- main ----------------------------------------------------------------------------------------
let child;
let browser;
async function main() {
  const all = findings();
  const rulesIn = (file) => new Set(all.filter((f) => path.normalize(f.path) === path.normalize(file)).map((f) => f.rule));
  const appRules = rulesIn('app.js');
  const usersRules = rulesIn('routes/users.js');
  log(`nodehint lint: app.js: ${[...appRules].join(', ')}; routes/users.js: ${[...usersRules].join(', ')}`);
  const execSync = all.find((f) => f.path === 'app.js' && f.rule === 'sync-call-in-handler' && f.line === 21);
  if (!execSync || !usersRules.has('callback-hell') || !execSync.question) {
    throw new Error('the demo project no longer has the findings this test relies on (see examples/EXPECTED.md)');
  }
  const syncQuestion = execSync.question;
  log(`expected hover question: ${syncQuestion}`);

  log('installing the .vsix');
  execFileSync(codeServer, [...csCommon, '--install-extension', vsix, '--force'], { env: csEnv, stdio: 'inherit' });
  const installed = fs.readdirSync(extensions).find((d) => d.startsWith('nodehint.nodehint-'));
  if (!installed) throw new Error(`the extension is not in ${extensions}`);
  const bundled = path.join(extensions, installed, 'server', 'nodehint');
  fs.accessSync(bundled, fs.constants.X_OK); // the binary keeps its executable bit

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  log(`starting code-server on ${url}`);
  const csLog = fs.openSync(path.join(profile, 'code-server.log'), 'w');
  child = spawn(
    codeServer,
    [
      ...csCommon,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace,
    ],
    { env: csEnv, stdio: ['ignore', csLog, csLog] },
  );
  await waitForHttp(`${url}/healthz`, child, 30000);

  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  page = await context.newPage();
  page.setDefaultTimeout(15000);
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'app.js' }).first().waitFor({ timeout: 60000 });
  log('workbench loaded');

  await check('extension activates and the Problems panel lists nodehint diagnostics with rule ids', async () => {
    await openFile('routes/users.js');
    await openFile('app.js');
    await showProblems();
    const text = await until(
      async () => {
        const t = await problemsText();
        return t.includes('sync-call-in-handler') && t.includes('callback-hell') ? t : false;
      },
      60000,
      'the Problems panel does not list sync-call-in-handler and callback-hell',
    );
    if (!text.includes('nodehint')) throw new Error('the diagnostics do not name their source "nodehint"');
    await shot('problems-panel');
  });

  await check('hovering a flagged call shows the quoted Q&A question', async () => {
    await openFile('app.js');
    await gotoLine(21);
    const at = await until(() => tokenCentre("execSync('git", 'execSync'), 10000, 'execSync not found on screen');
    await page.mouse.move(at.x - 40, at.y - 60);
    await page.mouse.move(at.x, at.y, { steps: 4 });
    const hover = page.locator('.monaco-hover:visible').first();
    await until(
      async () => {
        const t = await hover.innerText({ timeout: 1000 });
        return t.includes(syncQuestion) ? t : false;
      },
      20000,
      `no hover quoting "${syncQuestion}"`,
    );
    await shot('hover');
    await page.mouse.move(5, 400);
  });

  await check('"nodehint: Explain concept at cursor" shows the entry rendered', async () => {
    const at = await until(() => tokenCentre("execSync('git", 'execSync'), 10000, 'execSync not found on screen');
    await page.mouse.click(at.x, at.y);
    await page.keyboard.press('Escape');
    await runCommand('nodehint: Explain concept at cursor');
    await page.locator('.tabs-container .tab[aria-label^="nodehint:"]').first().waitFor({ timeout: 15000 });
    const text = await until(
      async () => {
        const t = await webviewText();
        return t.includes(syncQuestion) ? t : false;
      },
      15000,
      'the explanation webview does not show the question',
    );
    if (/[#*]{2,}|^>/m.test(text.split('\n').slice(0, 3).join('\n'))) throw new Error('the Markdown is not rendered');
    await shot('explain-webview');
  });

  await check('"nodehint: Show output" shows the server log', async () => {
    await runCommand('nodehint: Show output');
    await until(
      async () => (await page.locator('.output-view, .panel .monaco-editor').first().innerText({ timeout: 1000 })).includes('--stdio'),
      10000,
      'the output does not show the server start line',
    );
    await shot('output');
  });

  await check('"nodehint: Restart server" starts a new server', async () => {
    const before = serverPids(bundled);
    await runCommand('nodehint: Restart server');
    await until(
      async () => {
        const now = serverPids(bundled);
        return now.length === 1 && !before.includes(now[0]);
      },
      20000,
      `no new server process (before: ${before.join(',')})`,
    );
    await showProblems();
    await until(async () => (await problemsText()).includes('sync-call-in-handler'), 20000, 'no diagnostics after the restart');
  });

  await check('the server is restarted after a crash', async () => {
    const [pid] = serverPids(bundled);
    if (!pid) throw new Error('no server process');
    process.kill(pid, 'SIGKILL');
    await until(
      async () => {
        const now = serverPids(bundled);
        return now.length === 1 && now[0] !== pid;
      },
      20000,
      'the server was not restarted',
    );
    await until(async () => (await problemsText()).includes('sync-call-in-handler'), 20000, 'no diagnostics after the crash');
    await shot('after-crash');
  });

  await check('turning sync-call-in-handler off in nodehint.rules removes its diagnostics without a restart', async () => {
    await writeSettings('User', { ...baseSettings, 'nodehint.rules': { 'sync-call-in-handler': 'off' } });
    await showProblems();
    await until(
      async () => {
        const t = await problemsText();
        return !t.includes('sync-call-in-handler') && t.includes('callback-hell');
      },
      30000,
      'sync-call-in-handler is still listed (or callback-hell disappeared)',
    );
    // The settings schema accepts the value (VS Code lists schema problems under settings.json).
    await page.waitForTimeout(1000);
    const t = await problemsText();
    if (t.includes('settings.json')) throw new Error(`settings.json has problems: ${t}`);
    await shot('rule-off');
  });

  await check('nodehint.hoverLanguage "en" reaches the server: the entry is quoted in English only', async () => {
    await writeSettings('User', { ...baseSettings, 'nodehint.hoverLanguage': 'en' });
    await openFile('app.js');
    await gotoLine(21);
    const at = await until(() => tokenCentre("execSync('git", 'execSync'), 10000, 'execSync not found on screen');
    await page.mouse.click(at.x, at.y);
    // The setting reaches the server asynchronously (didChangeConfiguration, then the server's
    // workspace/configuration request): ask again until the answer changes.
    let seen = '';
    const end = Date.now() + 20000;
    for (;;) {
      await runCommand('nodehint: Explain concept at cursor');
      await page.waitForTimeout(700);
      seen = await webviewText();
      // English only: at most a citation of the original question, no Chinese answer text.
      const cjk = (seen.match(/[\u4e00-\u9fff]/g) ?? []).length;
      if (seen && cjk <= syncQuestion.length && /[A-Za-z]{4,}.*\?/.test(seen)) break;
      if (Date.now() > end) throw new Error(`the explanation still quotes the Chinese answer: ${seen.slice(0, 400)}`);
      await page.mouse.click(at.x, at.y); // the editor again, for the next try
    }
    await shot('hover-language-en');
  });

  await check('nodehint.enable false stops the server and clears its diagnostics', async () => {
    await writeSettings('User', { ...baseSettings, 'nodehint.enable': false });
    await until(() => serverPids(bundled).length === 0, 15000, 'the server is still running');
    await showProblems();
    await until(async () => !(await problemsText()).includes('nodehint'), 15000, 'nodehint diagnostics are still listed');
  });

  await check('a nodehint.path that does not exist gives one clear message', async () => {
    // nodehint.path is machine-overridable: a remote (code-server) ignores it in User settings.
    await writeSettings('Workspace', { 'nodehint.enable': true, 'nodehint.path': '/nonexistent/nodehint' });
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'nodehint.path' }).first();
    await toast.waitFor({ state: 'visible', timeout: 20000 });
    await page.waitForTimeout(500); // let the toast finish fading in for the screenshot
    const t = await toast.innerText();
    if (!t.includes('/nonexistent/nodehint') || /\bat \S+ \(/.test(t)) throw new Error(`unexpected message: ${t}`);
    await shot('bad-path-message');
  });
}

let fatal;
try {
  await main();
} catch (e) {
  fatal = e;
  failed += 1;
  console.log(`not ok - setup: ${e.stack ?? e}`);
  if (page) await shot('FAILED-setup');
} finally {
  if (browser) await browser.close().catch(() => {});
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        r();
      }, 5000);
      child.on('exit', () => {
        clearTimeout(t);
        r();
      });
    });
  }
}
if (failed) {
  const logFile = path.join(profile, 'code-server.log');
  if (fs.existsSync(logFile)) {
    console.log('--- code-server.log (last 40 lines) ---');
    console.log(fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n'));
  }
  // The extension host log holds the extension's and the language client's errors.
  const logs = path.join(userData, 'logs');
  if (fs.existsSync(logs)) {
    for (const f of fs.readdirSync(logs, { recursive: true })) {
      if (/nodehint|exthost\.log$/i.test(f)) {
        console.log(`--- ${f} (last 30 lines) ---`);
        console.log(fs.readFileSync(path.join(logs, f), 'utf8').split('\n').slice(-30).join('\n'));
      }
    }
  }
}
if (failures.length) console.log(`failed: ${failures.join('; ')}`);
console.log(`vscode e2e: ${elapsed()}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed || fatal ? 1 : 0);
