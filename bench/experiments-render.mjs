#!/usr/bin/env node
// How fast the experiment dashboard draws: 100 (and 1,000) synthetic runs of
// 300 epochs, with the first 12 (the comparison cap) overlaid on the chart.
// Prints, per size, the frame in which table and chart are both drawn and the
// milliseconds from the host's messages to the end of that frame (median of 5
// fresh pages), and how long the page took from navigation to `ready`.
// A benchmark, not a test: nothing here fails on a slow machine.
//
//   node --import tsx bench/experiments-render.mjs [--json]   (also part of npm run bench)
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { pageHtml } from '../src/webview/common/html.ts';
import { themes } from '../test/webview/themes.ts';
import { syntheticRuns } from '../test/experiments/syntheticRuns.ts';
import { decimateCurves } from '../src/extension/experiments/decimate.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = [100, 1000];
const COMPARED = 12;
const REPEATS = 5;

await esbuild.build({
  absWorkingDir: root, bundle: true, platform: 'browser', target: 'es2020', format: 'iife', minify: true, logLevel: 'warning',
  entryPoints: { experiments: 'src/webview/experiments/main.ts' }, outdir: join(root, 'dist/webview'),
});
// dist/ and media/ from one origin, as the webview's CSP expects.
const http = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
  if (!/^\/(dist|media)\//.test(path)) return void res.writeHead(404).end();
  readFile(join(root, path)).then(
    (body) => res.writeHead(200, { 'content-type': path.endsWith('.css') ? 'text/css' : 'text/javascript' }).end(body),
    () => res.writeHead(404).end());
});
await new Promise((done) => http.listen(0, '127.0.0.1', done));
const server = { origin: `http://127.0.0.1:${http.address().port}`, close: () => new Promise((done) => http.close(done)) };
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  for (const size of SIZES) {
    const { rows, curves } = syntheticRuns(size);
    const ids = rows.slice(0, COMPARED).map((r) => r.id);
    const messages = [
      { id: 0, body: { type: 'runs', runsFolder: '/bench/runs', runs: rows } },
      { id: 1, body: { type: 'select', ids } },
    ];
    // What the page asks for once it has its selection, as the host answers it: at most 500 points per curve.
    const compared = curves.filter((c) => ids.includes(c.id)).map((c) => decimateCurves(c));
    const samples = [];
    for (let i = 0; i < REPEATS; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const url = `${server.origin}/experiments.html`;
      await page.route(url, (route) => route.fulfill({
        contentType: 'text/html',
        body: pageHtml({ scriptUri: `${server.origin}/dist/webview/experiments.js`, styleUri: `${server.origin}/media/experiments.css`, cspSource: server.origin, nonce: randomBytes(16).toString('base64'), title: 'bench' }),
      }));
      // tsx compiles with keepNames, which wraps functions sent to the page in __name().
      await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
      await page.addInitScript((vars) => {
        // The host's end: notes `ready`, answers every `compare` with the curves it names, in envelopes naming the request.
        let sent = 100;
        const postMessage = (m) => {
          if (m.body.type === 'ready') window.__readyAt = performance.now();
          if (m.body.type === 'compare') {
            const curves = (window.__curves ?? []).filter((c) => m.body.ids.includes(c.id));
            window.postMessage({ id: sent++, replyTo: m.id, body: { type: 'curves', curves } }, '*');
          }
        };
        window.acquireVsCodeApi = () => ({ postMessage, getState: () => undefined, setState: (s) => s });
        document.addEventListener('DOMContentLoaded', () => {
          for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(`--vscode-${k}`, v);
        });
      }, themes.dark.vars);
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForFunction(() => window.__readyAt !== undefined);
      const result = await page.evaluate(({ text, curvesText, size, compared }) => new Promise((done) => {
        const msgs = JSON.parse(text);
        window.__curves = JSON.parse(curvesText);
        const t0 = performance.now();
        let frame = 0;
        const drawn = () => {
          const canvas = document.querySelector('canvas[data-chart="comparison"]');
          const chart = window.Chart.getChart(canvas);
          return document.body.dataset.rendered === String(size) && chart?.data.datasets.length === 2 * compared
            && document.querySelectorAll('.runs-table tbody tr').length === size;
        };
        const tick = () => {
          frame++;
          if (drawn()) {
            // The next frame starts once this one (with the drawing) is painted.
            requestAnimationFrame(() => done({
              frame, ms: performance.now() - t0, readyMs: window.__readyAt,
              drawMs: performance.getEntriesByName('experiments:draw').reduce((sum, e) => sum + e.duration, 0),
            }));
          } else {
            requestAnimationFrame(tick);
          }
        };
        requestAnimationFrame(tick);
        for (const m of msgs) window.postMessage(m, '*');
      }), { text: JSON.stringify(messages), curvesText: JSON.stringify(compared), size, compared: COMPARED });
      samples.push(result);
      await page.close();
    }
    const points = compared.reduce((n, c) => n + 2 * c.epochs.length, 0);
    console.log(`${size} runs, ${COMPARED} compared (${points} points): drawn in frame ${median(samples.map((s) => s.frame))}, `
      + `${median(samples.map((s) => s.ms)).toFixed(1)} ms after the host's messages, of which ${median(samples.map((s) => s.drawMs)).toFixed(1)} ms in draw() (median of ${REPEATS}; `
      + `${Math.min(...samples.map((s) => s.ms)).toFixed(1)}–${Math.max(...samples.map((s) => s.ms)).toFixed(1)} ms); `
      + `page ready ${median(samples.map((s) => s.readyMs)).toFixed(0)} ms after navigation`);
    if (process.argv.includes('--json')) {
      console.log(JSON.stringify({ workload: 'experiments-render', runs: size, compared: COMPARED, points, frame: median(samples.map((s) => s.frame)),
        ms_after_messages: +median(samples.map((s) => s.ms)).toFixed(1), draw_ms: +median(samples.map((s) => s.drawMs)).toFixed(1) }));
    }
  }
} finally {
  await browser.close();
  await server.close();
}
