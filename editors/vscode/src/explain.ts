// "nodehint: Explain concept at cursor": asks the server for the hover at the cursor (the quoted
// Q&A entry, Markdown) and shows it rendered in a webview beside the editor.
import * as vscode from 'vscode';
import { Hover, HoverRequest, LanguageClient, MarkedString, MarkupContent } from 'vscode-languageclient/node';

let panel: vscode.WebviewPanel | undefined;

function markdownOf(contents: Hover['contents']): string {
  const one = (c: MarkupContent | MarkedString): string => {
    if (typeof c === 'string') return c;
    if ('kind' in c) return c.kind === 'markdown' ? c.value : '```text\n' + c.value + '\n```';
    return '```' + c.language + '\n' + c.value + '\n```';
  };
  return Array.isArray(contents) ? contents.map(one).join('\n\n---\n\n') : one(contents);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The entry's question (its first Markdown heading), else its first line, for the tab title. */
function titleOf(markdown: string): string {
  const lines = markdown.split('\n');
  const heading = lines.find((l) => /^#{1,6}\s/.test(l));
  const line = (heading ?? lines.find((l) => l.trim().length > 0) ?? 'entry')
    .replace(/^[#>*\s]+/, '')
    .replace(/[*_`]/g, '')
    .trim();
  return line.length > 48 ? line.slice(0, 47) + '…' : line;
}

async function render(markdown: string): Promise<string> {
  try {
    // The built-in Markdown extension's renderer (the same one as the Markdown preview).
    const html = await vscode.commands.executeCommand<string>('markdown.api.render', markdown);
    if (typeof html === 'string') return html;
  } catch {
    // Markdown extension disabled: plain text below.
  }
  return `<pre>${escapeHtml(markdown)}</pre>`;
}

function page(body: string, cspSource: string): string {
  return `<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline' ${cspSource}; img-src ${cspSource} https: data:;">
<style>
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); line-height: 1.6;
         color: var(--vscode-foreground); padding: 0 1.5em 2em; max-width: 52em; }
  code, pre { font-family: var(--vscode-editor-font-family); }
  pre { background: var(--vscode-textCodeBlock-background); padding: .6em .8em; overflow-x: auto; }
  blockquote { margin: .8em 0; padding: .1em 1em; border-left: .25em solid var(--vscode-textBlockQuote-border);
               background: var(--vscode-textBlockQuote-background); }
  a { color: var(--vscode-textLink-foreground); }
  hr { border: 0; border-top: 1px solid var(--vscode-panel-border); }
</style>
</head>
<body class="nodehint-explain">
${body}
</body>
</html>`;
}

export async function explainAtCursor(client: LanguageClient | undefined, output: vscode.OutputChannel): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('nodehint: open a JavaScript file and put the cursor on a call first.');
    return;
  }
  if (!client || !client.isRunning()) {
    void vscode.window.showWarningMessage('nodehint: the language server is not running (see "nodehint: Show output").');
    return;
  }
  let hover: Hover | null;
  try {
    hover = await client.sendRequest(
      HoverRequest.type,
      client.code2ProtocolConverter.asTextDocumentPositionParams(editor.document, editor.selection.active),
    );
  } catch (e) {
    output.appendLine(`[warning] hover: ${e instanceof Error ? e.message : String(e)}`);
    hover = null;
  }
  if (!hover) {
    void vscode.window.showInformationMessage(
      'nodehint: nothing to explain here. Put the cursor on code nodehint flags, or on a Node.js API ' +
        'the Q&A document covers.',
    );
    return;
  }
  const markdown = markdownOf(hover.contents);
  const title = `nodehint: ${titleOf(markdown)}`;
  if (!panel) {
    panel = vscode.window.createWebviewPanel(
      'nodehint.explain',
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: false, enableFindWidget: true },
    );
    panel.onDidDispose(() => (panel = undefined));
  } else {
    panel.title = title;
    panel.reveal(vscode.ViewColumn.Beside, true);
  }
  panel.webview.html = page(await render(markdown), panel.webview.cspSource);
}
