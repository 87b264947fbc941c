// The nodehint extension: starts `nodehint --stdio` through vscode-languageclient for JavaScript
// documents, passes the `nodehint.*` settings to it, and adds three commands.
import { execFile } from 'child_process';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  DocumentSelector,
  LanguageClient,
  LanguageClientOptions,
  ResponseError,
  RevealOutputChannelOn,
  ServerOptions,
} from 'vscode-languageclient/node';
import { findBinary } from './binary';
import { explainAtCursor } from './explain';

const selector: DocumentSelector = [
  { scheme: 'file', language: 'javascript' },
  { scheme: 'file', language: 'javascriptreact' },
  { scheme: 'untitled', language: 'javascript' },
  { scheme: 'untitled', language: 'javascriptreact' },
  { scheme: 'file', pattern: '**/*.{mjs,cjs}' },
];

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let extensionDir = '';
/** Serialises start/stop so that quick setting changes cannot start two servers. */
let queue: Promise<void> = Promise.resolve();

/** What the server gets as its `nodehint` section: only the keys it understands. */
export function serverSettings(scope?: vscode.Uri): { rules: unknown; hoverLanguage: string } {
  const config = vscode.workspace.getConfiguration('nodehint', scope);
  return {
    rules: config.get<Record<string, unknown>>('rules', {}),
    hoverLanguage: config.get<string>('hoverLanguage', 'both'),
  };
}

function firstWorkspaceFolder(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return folder?.uri.fsPath;
}

/** Runs `nodehint --version`: proves the binary starts (shared libraries, architecture). */
function probe(binary: string): Promise<{ ok: true; version: string } | { ok: false; problem: string }> {
  return new Promise((resolve) => {
    execFile(binary, ['--version'], { timeout: 10000 }, (error, stdout, stderr) => {
      if (error) {
        const detail = (stderr || error.message).trim().split('\n')[0];
        resolve({ ok: false, problem: detail });
      } else {
        resolve({ ok: true, version: stdout.trim() });
      }
    });
  });
}

async function showProblem(message: string): Promise<void> {
  output.appendLine(`[error] ${message}`);
  const choice = await vscode.window.showErrorMessage(`nodehint: ${message}`, 'Open Settings', 'Show Output');
  if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'nodehint.path');
  else if (choice === 'Show Output') output.show(true);
}

async function startClient(): Promise<void> {
  if (client) return;
  if (!vscode.workspace.getConfiguration('nodehint').get<boolean>('enable', true)) {
    output.appendLine('nodehint.enable is false: the server is not started.');
    return;
  }
  const found = findBinary({
    setting: vscode.workspace.getConfiguration('nodehint').get<string>('path', ''),
    extensionDir,
    workspaceFolder: firstWorkspaceFolder(),
    env: process.env,
    platform: process.platform,
  });
  if (found.kind === 'not-found') {
    void showProblem(found.message);
    return;
  }
  const probed = await probe(found.path);
  if (!probed.ok) {
    void showProblem(`${found.path} (from ${found.source}) does not run: ${probed.problem}`);
    return;
  }
  output.appendLine(`Starting ${found.path} --stdio (${probed.version}, from ${found.source})`);

  const serverOptions: ServerOptions = {
    command: found.path,
    args: ['--stdio'],
    options: { cwd: firstWorkspaceFolder() },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector,
    outputChannel: output,
    traceOutputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: serverSettings(),
    connectionOptions: { maxRestartCount: 4 },
    middleware: {
      workspace: {
        // Answer `workspace/configuration` for our section with the keys the server knows
        // (`nodehint.path`, `enable` and `trace` belong to this extension).
        configuration: async (params, token, next) => {
          const answer = await next(params, token);
          if (answer instanceof ResponseError) return answer;
          return params.items.map((item, i) =>
            item.section === 'nodehint'
              ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
              : answer[i],
          );
        },
        // The client's own change notification would carry the whole section; we send ours
        // (see onSettingsChanged).
        didChangeConfiguration: async () => undefined,
      },
    },
  };
  const c = new LanguageClient('nodehint', 'nodehint', serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
  } catch (e) {
    client = undefined;
    void showProblem(`the language server failed to start: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (!c) return;
  try {
    await c.stop();
  } catch (e) {
    output.appendLine(`[warning] stopping the server: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function enqueue(job: () => Promise<void>): Promise<void> {
  queue = queue.then(job, job);
  return queue;
}

function onSettingsChanged(e: vscode.ConfigurationChangeEvent): void {
  if (e.affectsConfiguration('nodehint.enable') || e.affectsConfiguration('nodehint.path')) {
    void enqueue(async () => {
      await stopClient();
      await startClient();
    });
    return;
  }
  if (e.affectsConfiguration('nodehint.rules') || e.affectsConfiguration('nodehint.hoverLanguage')) {
    const c = client;
    if (!c || !c.isRunning()) return;
    // The server applies these and asks again (workspace/configuration) for per-folder values.
    void c
      .sendNotification(DidChangeConfigurationNotification.type, { settings: { nodehint: serverSettings() } })
      .catch((err: unknown) => output.appendLine(`[warning] didChangeConfiguration: ${String(err)}`));
  }
}

export function activate(context: vscode.ExtensionContext): void {
  extensionDir = context.extensionPath;
  output = vscode.window.createOutputChannel('nodehint');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('nodehint.explain', () => explainAtCursor(client, output)),
    vscode.commands.registerCommand('nodehint.restart', () =>
      enqueue(async () => {
        output.appendLine('Restarting the server.');
        await stopClient();
        await startClient();
      }),
    ),
    vscode.commands.registerCommand('nodehint.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(onSettingsChanged),
  );
  void enqueue(startClient);
}

export function deactivate(): Promise<void> {
  return enqueue(stopClient);
}
