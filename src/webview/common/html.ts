// The page shell of every webview (dashboard, experiments, inspector). No
// `vscode` import: the panel host passes webview URIs in, and the browser tests
// pass http://127.0.0.1 URLs, so both render the same page.
// Everything visible is built by the script; the page only loads it under a
// strict CSP: no inline script or style except what carries the nonce.
//
// Why style-src also takes the nonce: the toolkit's FAST base probes
// :focus-visible support by inserting a <style> element, which it gives the
// nonce of <meta property="csp-nonce">. Without that the probe is blocked (a
// CSP violation on every load) and the toolkit falls back to :focus, drawing
// focus rings on every mouse click. Its component styles need nothing: they
// are adopted stylesheets, which CSP does not govern. Chart.js 4 injects no
// styles; it sizes canvases through the CSSOM, which CSP allows.

export interface PageAssets {
  /** URI of the page's bundle in dist/webview as the webview can load it. */
  scriptUri: string;
  /** URI of its stylesheet in media/ as the webview can load it. */
  styleUri: string;
  /** `webview.cspSource` in VS Code; the assets' origin elsewhere. */
  cspSource: string;
  /** A fresh random value per render: the only script allowed to run carries it. */
  nonce: string;
  title: string;
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => escapes[c]);

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ') + ';';
}

export function pageHtml({ scriptUri, styleUri, cspSource, nonce, title }: PageAssets): string {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(nonce)) throw new Error('the nonce must be base64 or alphanumeric');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(cspSource, nonce))}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(styleUri)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${nonce}" src="${escapeHtml(scriptUri)}"></script>
</body>
</html>
`;
}
