// Finding the nodehint binary: the `nodehint.path` setting, then the binary shipped inside the
// extension (server/), then PATH. Pure Node.js (no vscode import) so tests can run it alone.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export type BinarySource = 'setting' | 'bundled' | 'PATH';

export interface Found {
  kind: 'found';
  path: string;
  source: BinarySource;
}

export interface NotFound {
  kind: 'not-found';
  /** One sentence for the user: what was tried and how to fix it. */
  message: string;
}

export interface DiscoveryInput {
  /** The `nodehint.path` setting as written (may be empty). */
  setting: string;
  /** The extension's install folder (holds server/ when a binary is shipped). */
  extensionDir: string;
  /** The first workspace folder, for relative settings and ${workspaceFolder}. */
  workspaceFolder?: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

const isWindows = (platform: NodeJS.Platform): boolean => platform === 'win32';

export function binaryName(platform: NodeJS.Platform): string {
  return isWindows(platform) ? 'nodehint.exe' : 'nodehint';
}

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (!isWindows(platform)) fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Expands `~` and `${workspaceFolder}`, and resolves a relative path from the workspace folder. */
export function expandSetting(setting: string, workspaceFolder: string | undefined): string {
  let p = setting.trim();
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) p = path.join(os.homedir(), p.slice(1));
  if (workspaceFolder) p = p.split('${workspaceFolder}').join(workspaceFolder);
  if (!path.isAbsolute(p) && workspaceFolder) p = path.resolve(workspaceFolder, p);
  return p;
}

export function searchPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const pathVar = env.PATH ?? env.Path ?? '';
  const exts = isWindows(platform) ? (env.PATHEXT ?? '.EXE').split(';').filter(Boolean) : [''];
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, 'nodehint' + ext.toLowerCase());
      if (isExecutableFile(candidate, platform)) return candidate;
    }
  }
  return undefined;
}

export function findBinary(input: DiscoveryInput): Found | NotFound {
  if (input.setting.trim() !== '') {
    const configured = expandSetting(input.setting, input.workspaceFolder);
    if (isExecutableFile(configured, input.platform)) return { kind: 'found', path: configured, source: 'setting' };
    return {
      kind: 'not-found',
      message:
        `nodehint.path is set to "${input.setting}", but ${configured} is not an executable file. ` +
        'Fix the setting (or clear it to use the bundled binary or the one on PATH).',
    };
  }
  const bundled = path.join(input.extensionDir, 'server', binaryName(input.platform));
  if (isExecutableFile(bundled, input.platform)) return { kind: 'found', path: bundled, source: 'bundled' };
  const onPath = searchPath(input.env, input.platform);
  if (onPath) return { kind: 'found', path: onPath, source: 'PATH' };
  return {
    kind: 'not-found',
    message:
      'The nodehint language server was not found: this extension ships no binary for your platform and ' +
      '"nodehint" is not on PATH. Build it (meson setup build && ninja -C build, see the README) and set ' +
      'nodehint.path to build/nodehint, or put nodehint on PATH.',
  };
}
