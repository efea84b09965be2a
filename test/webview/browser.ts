// Runs the built webview pages in headless Chromium the way VS Code would: the
// page from pageHtml() under its CSP, assets from one origin, a stand-in for
// acquireVsCodeApi that records the envelopes the page posts, and VS Code's
// theme variables on the root element. The test plays the host's end of the
// channel: it sends messages in envelopes and answers the page's requests.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Envelope } from '../../src/shared/webviewChannel';
import { pageHtml } from '../../src/webview/common/html';
import type { Theme } from './themes';

export const root = resolve(__dirname, '../..');
export const artifacts = join(root, 'test-artifacts', 'webview');
const CHROMIUM = '/usr/bin/chromium';

/** Installs Debian's chromium when missing (the project's own script; CI starts on a fresh machine). */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const r = spawnSync('bash', [join(root, 'scripts', 'ensure-chromium.sh')], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing and scripts/ensure-chromium.sh could not install it; run it by hand (it needs apt and root or sudo)`);
  }
}

export type Bundle = 'dashboard' | 'experiments' | 'inspector';
const STYLES: Record<Bundle, string> = { dashboard: 'dashboard', experiments: 'experiments', inspector: 'experiments' };

/** The bundles scripts/build.mjs makes, unminified so page errors read well. */
export async function buildWebviews(...bundles: Bundle[]): Promise<void> {
  await esbuild.build({
    absWorkingDir: root, bundle: true, platform: 'browser', target: 'es2020', format: 'iife', sourcemap: true, logLevel: 'warning',
    entryPoints: Object.fromEntries(bundles.map((b) => [b, `src/webview/${b}/main.ts`])), outdir: 'dist/webview',
  });
}

const types: Record<string, string> = {
  '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.html': 'text/html; charset=utf-8',
};

export interface AssetServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves dist/ and media/, and each page at /<bundle>.html with a fresh nonce per load. */
export async function startServer(): Promise<AssetServer> {
  let origin = '';
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const bundle = /^\/(dashboard|experiments|inspector)\.html$/.exec(path)?.[1] as Bundle | undefined;
    if (bundle) {
      res.writeHead(200, { 'content-type': types['.html'] });
      res.end(pageHtml({
        scriptUri: `${origin}/dist/webview/${bundle}.js`, styleUri: `${origin}/media/${STYLES[bundle]}.css`,
        cspSource: origin, nonce: randomBytes(16).toString('base64'), title: 'Latent Lab',
      }));
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!/^\/(dist|media)\//.test(path)) {
      res.writeHead(404).end();
      return;
    }
    readFile(join(root, path)).then(
      (body) => res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the asset server has no port');
  origin = `http://127.0.0.1:${address.port}`;
  return { origin, close: () => new Promise((done) => server.close(() => done())) };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface WebviewPage {
  page: Page;
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** Console messages by level ('error', 'warning', ...). */
  console: { type: string; text: string }[];
  /** Envelopes the page posted to the host, in order. */
  envelopes(): Promise<Envelope[]>;
  /** What the page said: the bodies of its envelopes. */
  posted(): Promise<{ type: string; [key: string]: unknown }[]>;
  /** What the page last gave setState. */
  savedState(): Promise<unknown>;
  cspViolations(): Promise<string[]>;
  /** Posts messages to the page in envelopes as the host does, then waits until they are drawn. */
  send(...messages: unknown[]): Promise<void>;
  /** Answers the page's request with this id. */
  answer(replyTo: number, body: unknown): Promise<void>;
  /** Posts exactly these values, envelopes or not. */
  sendRaw(...values: unknown[]): Promise<void>;
  /** Waits for queued messages and the animation frame that draws them. */
  settle(): Promise<void>;
  applyTheme(theme: Theme): Promise<void>;
}

/** VS Code's way of applying a theme: variables on <html>, kind as body class and data attribute. */
function setTheme(theme: Theme): void {
  const apply = (): void => {
    // VS Code rewrites the whole set: a variable the new theme lacks must not survive from the old one.
    const root = document.documentElement.style;
    for (const name of [...root].filter((n) => n.startsWith('--vscode-'))) root.removeProperty(name);
    for (const [name, value] of Object.entries(theme.vars)) root.setProperty(`--vscode-${name}`, value);
    document.body.className = theme.kind;
    document.body.dataset.vscodeThemeKind = theme.kind;
    document.body.dataset.vscodeThemeName = theme.name;
  };
  if (document.body) apply();
  else document.addEventListener('DOMContentLoaded', apply, { once: true });
}

interface Stand {
  __posted: unknown[];
  __state: unknown;
  __csp: string[];
  acquireVsCodeApi(): unknown;
}

function installVsCodeStandIn(initialState: unknown): void {
  const w = window as unknown as Stand;
  w.__posted = [];
  w.__state = initialState ?? undefined;
  w.__csp = [];
  let acquired = false;
  w.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may only be called once');
    acquired = true;
    return {
      // Structured clone, as the real channel does.
      postMessage: (message: unknown) => w.__posted.push(structuredClone(message)),
      getState: () => w.__state,
      setState: (state: unknown) => {
        w.__state = structuredClone(state);
        return state;
      },
    };
  };
  document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective}: ${e.blockedURI || e.sourceFile}`));
}

export interface OpenOptions {
  theme: Theme;
  viewport?: { width: number; height: number };
  /** What getState returns at first: the state VS Code kept for the page. */
  initialState?: unknown;
}

export async function openWebview(browser: Browser, origin: string, bundle: Bundle, { theme, viewport = { width: 1200, height: 900 }, initialState }: OpenOptions): Promise<WebviewPage> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const pageErrors: string[] = [];
  const messages: { type: string; text: string }[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => messages.push({ type: m.type(), text: m.text() }));
  // tsx compiles with keepNames, which wraps named functions in __name(); functions sent to the page need it too.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.addInitScript(installVsCodeStandIn, initialState ?? null);
  await page.addInitScript(setTheme, theme);
  await page.goto(`${origin}/${bundle}.html`, { waitUntil: 'load' });
  const settle = (): Promise<void> => page.evaluate(() => new Promise<void>((done) => {
    setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => done())), 0);
  }));
  await settle();
  const sendRaw = async (...values: unknown[]): Promise<void> => {
    // As JSON text: Playwright's own argument serializer takes seconds over a run's image pixels.
    // Non-finite numbers, which JSON lacks, travel as {"$number": "NaN"}.
    const json = JSON.stringify(values, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? { $number: String(value) } : value));
    await page.evaluate((text) => {
      const list = JSON.parse(text, (_key, value: unknown) => (
        value && typeof value === 'object' && '$number' in value ? Number((value as { $number: string }).$number) : value)) as unknown[];
      for (const m of list) window.postMessage(m, '*');
    }, json);
    await settle();
  };
  let sent = 0;
  const envelopes = (): Promise<Envelope[]> => page.evaluate(() => (window as unknown as Stand).__posted as Envelope[]);
  return {
    page,
    pageErrors,
    console: messages,
    envelopes,
    posted: async () => (await envelopes()).map((e) => e.body as { type: string }),
    savedState: () => page.evaluate(() => (window as unknown as Stand).__state),
    cspViolations: () => page.evaluate(() => (window as unknown as Stand).__csp),
    send: (...bodies) => sendRaw(...bodies.map((body) => ({ id: sent++, body }))),
    answer: (replyTo, body) => sendRaw({ id: sent++, replyTo, body }),
    sendRaw,
    settle,
    async applyTheme(theme) {
      await page.evaluate(setTheme, theme);
      await settle();
    },
  };
}
