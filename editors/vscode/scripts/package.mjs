// Builds the .vsix: type-checks, bundles with esbuild, copies the nodehint binary into server/
// and runs vsce. Run after `npm ci`:
//   npm run package [-- --server PATH | --no-server] [--out FILE]
// The server binary defaults to $NODEHINT_SERVER, else ../../build/nodehint (meson's build
// folder). With a binary the package is platform-specific (e.g. linux-x64); without one the
// extension looks for nodehint on PATH or in the nodehint.path setting.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const valueOf = (flag) => {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  if (i + 1 >= args.length) fail(`${flag} needs a value`);
  return args[i + 1];
};
function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
let server = valueOf('--server') ?? process.env.NODEHINT_SERVER;
if (args.includes('--no-server')) server = undefined;
else if (!server) {
  const fromMeson = path.resolve(root, '..', '..', 'build', 'nodehint');
  if (fs.existsSync(fromMeson)) server = fromMeson;
}
if (server && !fs.existsSync(server)) fail(`no server binary at ${server}`);

const run = (cmd, cmdArgs) => execFileSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

run(bin('tsc'), ['--noEmit', '-p', '.']);
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
run(process.execPath, ['scripts/build.mjs', '--production']);

const serverDir = path.join(root, 'server');
fs.rmSync(serverDir, { recursive: true, force: true });
let target;
if (server) {
  fs.mkdirSync(serverDir);
  const name = process.platform === 'win32' ? 'nodehint.exe' : 'nodehint';
  fs.copyFileSync(server, path.join(serverDir, name));
  fs.chmodSync(path.join(serverDir, name), 0o755);
  const arch = { x64: 'x64', arm64: 'arm64', arm: 'armhf' }[process.arch] ?? process.arch;
  target = `${process.platform === 'win32' ? 'win32' : process.platform}-${arch}`;
  console.log(`package: bundling ${server} as server/${name} (target ${target})`);
} else {
  console.log('package: no server binary bundled (the extension will use nodehint.path or PATH)');
}

const out = path.resolve(valueOf('--out') ?? path.join(root, `${manifest.name}-${manifest.version}${target ? '-' + target : ''}.vsix`));
const vsceArgs = ['package', '--no-dependencies', '--allow-missing-repository', '--out', out];
if (target) vsceArgs.push('--target', target);
run(bin('vsce'), vsceArgs);
console.log(`package: wrote ${out}`);
