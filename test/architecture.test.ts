// The seams docs/architecture.md draws, checked on the imports themselves: who
// may depend on whom. A change that crosses one fails here, not in review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/** Every import of every .ts file under `dir` (of values only, when asked), as [file, resolved target or package name]. */
function imports(dir: string, valuesOnly = false): [string, string][] {
  const statement = valuesOnly ? /^\s*(?:import|export)(?!\s+type\b)[^'";]*?from\s+'([^']+)'/gm : /^\s*(?:import|export)[^'";]*?from\s+'([^']+)'/gm;
  const out: [string, string][] = [];
  (function walk(d: string) {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        for (const m of readFileSync(p, 'utf8').matchAll(statement)) {
          const target = m[1].startsWith('.') ? relative(root, resolve(dirname(p), m[1])) : m[1];
          out.push([relative(root, p), target]);
        }
      }
    }
  })(join(root, dir));
  return out;
}

const crossing = (dir: string, forbidden: (target: string) => boolean) =>
  imports(dir).filter(([, target]) => forbidden(target)).map(([file, target]) => `${file} -> ${target}`);

test('the engine never imports VS Code or the extension', () => {
  assert.deepEqual(crossing('src/engine', (t) => t === 'vscode' || t.startsWith('src/extension') || t.startsWith('src/webview')), []);
});

test('the graph path is injected: training and evaluation never import src/engine/graph', () => {
  assert.deepEqual(crossing('src/engine/train', (t) => t.startsWith('src/engine/graph')), []);
  assert.deepEqual(crossing('src/engine/evaluate', (t) => t.startsWith('src/engine/graph')), []);
});

test('src/shared holds schemas only: zod and its own modules', () => {
  assert.deepEqual(crossing('src/shared', (t) => t !== 'zod' && !t.startsWith('src/shared')), []);
});

test('the webviews know the host only through src/shared', () => {
  assert.deepEqual(crossing('src/webview', (t) => t.startsWith('src/engine') || t.startsWith('src/extension') || t === 'vscode'), []);
});

test('engine processes are forked in one place', () => {
  const forks = imports('src/extension', true).filter(([, t]) => t === 'node:child_process').map(([file]) => file);
  assert.deepEqual([...new Set(forks)], ['src/extension/engineProcess.ts']);
});
