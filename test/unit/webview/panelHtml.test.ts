import assert from 'node:assert/strict';
import { buildPanelHtml, createNonce } from '../../../src/extension/panel/panelHtml';

const params = {
  cspSource: 'https://*.vscode-cdn.net',
  nonce: 'abcdEFGH1234+/==abcd',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.css',
  codiconUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/codicon.css',
};

function csp(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match?.[1], 'the page declares a CSP');
  return match[1];
}

describe('panel HTML', () => {
  it('has a strict CSP whose only script source is the nonce', () => {
    const html = buildPanelHtml(params);
    const policy = csp(html);
    const directives = new Map(
      policy.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), [`'nonce-${params.nonce}'`]);
    assert.deepEqual(directives.get('style-src'), [params.cspSource]);
    assert.deepEqual(directives.get('font-src'), [params.cspSource]);
    assert.doesNotMatch(html, /unsafe-/);
  });

  it('loads only the script with the nonce and carries no inline script, style or data', () => {
    const html = buildPanelHtml(params);
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0]?.[1], '', 'no inline script body');
    assert.match(scripts[0]?.[0] ?? '', new RegExp(`nonce="${params.nonce.replace(/[+/]/g, '\\$&')}"`));
    assert.match(scripts[0]?.[0] ?? '', /src="https:\/\/file\+\.vscode-resource[^"]*main\.js"/);
    assert.doesNotMatch(html, /<style/);
    assert.doesNotMatch(html, /\sstyle=/);
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.match(html, /href="[^"]*codicon\.css"/);
    assert.match(html, /href="[^"]*main\.css"/);
  });

  it('escapes resource URIs and refuses a nonce or source that could widen the policy', () => {
    const html = buildPanelHtml({ ...params, scriptUri: 'https://x/main.js?a="><script>' });
    assert.match(html, /main\.js\?a=&quot;&gt;&lt;script&gt;/);
    assert.throws(() => buildPanelHtml({ ...params, nonce: "x' 'unsafe-inline" }));
    assert.throws(() => buildPanelHtml({ ...params, nonce: 'short' }));
    assert.throws(() => buildPanelHtml({ ...params, cspSource: "https://a; script-src 'unsafe-inline'" }));
    assert.throws(() => buildPanelHtml({ ...params, cspSource: "'self' 'unsafe-eval'" }));
  });

  it("accepts VS Code's own source list, which starts with the 'self' keyword", () => {
    const cspSource = "'self' https://*.vscode-cdn.net";
    const html = buildPanelHtml({ ...params, cspSource });
    assert.match(html, /style-src 'self' https:\/\/\*\.vscode-cdn\.net;/);
  });

  it('makes a new nonce each render', () => {
    const a = createNonce();
    const b = createNonce();
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9+/=]{24}$/);
    assert.doesNotThrow(() => buildPanelHtml({ ...params, nonce: a }));
  });
});
