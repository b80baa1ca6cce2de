/**
 * The plan-log webview's HTML shell. Pure (no 'vscode') so the CSP can be unit-tested: the page
 * carries no data at all; the script asks for the state with a `ready` message.
 */
import { randomBytes } from 'node:crypto';

export interface PanelHtmlParams {
  /** `webview.cspSource`: where styles, fonts and images may come from. */
  cspSource: string;
  /** Per-render nonce; the only way a script may run. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
}

/** A fresh nonce for one render: 128 random bits, base64. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The Content-Security-Policy for one render; nothing inline, nothing evaluated. */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Builds the page; throws on a nonce or source that could break out of the policy. */
export function buildPanelHtml(params: PanelHtmlParams): string {
  const { cspSource, nonce } = params;
  // A nonce or source containing quotes, semicolons or spaces could widen the policy.
  if (!/^[A-Za-z0-9+/_=-]{16,}$/.test(nonce)) {
    throw new Error('The panel nonce must be at least 16 base64 characters.');
  }
  // VS Code's own value is `'self' https://*.vscode-cdn.net`: 'self' is the one quoted keyword allowed.
  if (!/^(?:'self'|[^\s;'"<>,]+)(?: (?:'self'|[^\s;'"<>,]+))*$/.test(cspSource)) {
    throw new Error('The webview CSP source is not a list of sources.');
  }
  const attr = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(panelCsp(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(params.codiconUri)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${attr(params.styleUri)}">
<title>Anneal Plan Log</title>
</head>
<body>
<main id="root" data-testid="panel" aria-live="polite"></main>
<script nonce="${attr(nonce)}" src="${attr(params.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
