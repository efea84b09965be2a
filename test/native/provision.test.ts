// Provisioning through the official route against a server of the test's
// own (TFJS_NODE_CDN_STORAGE, the mirror variable tfjs-node's installer
// honours): a download cut short, one that fails its MD5, one that is no
// archive, a backend that does not load, a cancelled and a killed set-up each
// end with a clear message and leave nothing a later start would take for a
// backend; the next attempt installs one that loads. The libraries served are
// the checkout's own (npm run setup provisioned them).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { c as tarCreate } from 'tar';
import { entryDir, entryState } from '../../src/engine/native/backendStore';
import { locateBackend } from '../../src/engine/native/locateBackend';
import { provisionStore, SetupCancelled, SetupFailed } from '../../src/engine/native/provision';
import { LIBTENSORFLOW_VERSION, NAPI_VERSION, TFJS_NODE_VERSION } from '../../src/engine/native/target';

const LIBRARY = `/tensorflow/libtensorflow/libtensorflow-cpu-linux-x86_64-${LIBTENSORFLOW_VERSION}.tar.gz`;
const BINDING = `/tf-builds/pre-built-binary/napi-v${NAPI_VERSION}/${TFJS_NODE_VERSION}/CPU-linux-${TFJS_NODE_VERSION}.tar.gz`;
const checkoutBackend = join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-node');

type Handler = (res: ServerResponse) => void;
let handlers: Record<string, Handler> = {};
let server: Server;
let base = '';
const sockets = new Set<Socket>();
let served: { real: string; broken: string };
/** Every folder the tests make, removed at the end: a backend is most of a gigabyte. */
const made: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};

/** The files of an official libtensorflow archive (lib/…), as links to real or made-up libraries. */
function libraryTree(dir: string, real: boolean): string {
  const lib = join(dir, 'lib');
  mkdirSync(lib, { recursive: true });
  for (const so of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    if (!real) writeFileSync(join(lib, so), 'not a shared library');
    else {
      const source = realpathSync(join(checkoutBackend, 'deps', 'lib', so));
      try {
        linkSync(source, join(lib, so));
      } catch {
        copyFileSync(source, join(lib, so));
      }
    }
  }
  symlinkSync('libtensorflow_cc.so.2', join(lib, 'libtensorflow.so.2'));
  const napi = join(dir, 'binding', `napi-v${NAPI_VERSION}`);
  mkdirSync(napi, { recursive: true });
  if (real) copyFileSync(join(checkoutBackend, 'lib', `napi-v${NAPI_VERSION}`, 'tfjs_binding.node'), join(napi, 'tfjs_binding.node'));
  else writeFileSync(join(napi, 'tfjs_binding.node'), 'not a binding');
  return dir;
}

/** An uncompressed tar stream (tar reads it as well as a .tar.gz; the test saves gzip's time). */
const archive = (cwd: string, entries: string[]): Handler => (res) => {
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  tarCreate({ cwd, portable: true }, entries).pipe(res);
};

function bytes(body: Buffer, headers: Record<string, string> = {}): Handler {
  return (res) => {
    res.writeHead(200, { 'content-length': String(body.length), ...headers });
    res.end(body);
  };
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('base64');

before(async () => {
  const root = temp('ll-provision-');
  served = { real: libraryTree(join(root, 'real'), true), broken: libraryTree(join(root, 'broken'), false) };
  server = createServer((req, res) => (handlers[req.url ?? ''] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

after(() => {
  for (const s of sockets) s.destroy();
  server.close();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const store = () => join(temp('ll-store-'), 'native');
const options = (extra: Record<string, unknown> = {}) => ({ routes: ['official' as const], env: { ...process.env, TFJS_NODE_CDN_STORAGE: base }, ...extra });

/** Nothing in the store: no entry, no staging folder. */
function assertNothingInstalled(dir: string): void {
  assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], []);
  assert.equal(locateBackend({ storeDir: dir }).location, undefined);
}

async function rejectsWith(dir: string, pattern: RegExp): Promise<void> {
  await assert.rejects(provisionStore(dir, options()), (err: Error) => {
    assert.ok(err instanceof SetupFailed, err.message);
    assert.match(err.message, pattern);
    assert.match(err.message, /By hand: install @tensorflow\/tfjs-node@4\.22\.0/);
    return true;
  });
  assertNothingInstalled(dir);
}

test('a download cut short is an error naming the URL and the bytes; nothing is installed', async () => {
  handlers = {
    [LIBRARY]: (res) => {
      res.writeHead(200, { 'content-length': '100000' });
      res.write(Buffer.alloc(40_000), () => res.socket?.destroy());
    },
  };
  await rejectsWith(store(), /libtensorflow-cpu-linux-x86_64-2\.9\.1\.tar\.gz: the download was cut short: 40000 of 100000 bytes arrived/);
});

test("a download that fails the MD5 Google's storage publishes is refused before it is unpacked", async () => {
  const body = Buffer.from('an archive that changed on the way');
  handlers = { [LIBRARY]: bytes(body, { 'x-goog-hash': `crc32c=AAAAAA==,md5=${md5(Buffer.from('the original'))}` }) };
  await rejectsWith(store(), /integrity check failed: MD5 \S+, the server published \S+/);
});

test('a download that is no archive says so', async () => {
  const body = Buffer.from('<html>a captive portal</html>');
  handlers = { [LIBRARY]: bytes(body, { 'x-goog-hash': `md5=${md5(body)}` }) };
  await rejectsWith(store(), /not a readable \.tar\.gz archive/);
});

test('an archive without the library, and a missing prebuilt binding without a compiler, say what is missing', async () => {
  handlers = { [LIBRARY]: archive(served.broken, ['binding']) };
  await rejectsWith(store(), /the archive holds no lib\/libtensorflow\.so\.2/);
  handlers = { [LIBRARY]: archive(served.real, ['lib']) };
  const dir = store();
  await assert.rejects(provisionStore(dir, options({ env: { ...process.env, TFJS_NODE_CDN_STORAGE: base, PATH: '/nonexistent', CXX: '' } })),
    /CPU-linux-4\.22\.0\.tar\.gz: HTTP 404.*no C\+\+ compiler to build the binding instead/);
  assertNothingInstalled(dir);
});

test('a backend that does not load is not installed, and the message carries the loader\'s reason', async () => {
  handlers = { [LIBRARY]: archive(served.broken, ['lib']), [BINDING]: archive(join(served.broken, 'binding'), [`napi-v${NAPI_VERSION}`]) };
  await rejectsWith(store(), /loading the backend in .*failed: .*(invalid ELF header|file too short|not a binding)/);
});

test('a cancelled set-up stops mid-download and leaves nothing', async () => {
  handlers = {
    [LIBRARY]: (res) => {
      res.writeHead(200, { 'content-length': String(1 << 30) });
      res.write(Buffer.alloc(1 << 16));
    },
  };
  const dir = store();
  const abort = new AbortController();
  const steps: string[] = [];
  await assert.rejects(provisionStore(dir, options({
    signal: abort.signal,
    onProgress: (p: { type: string; received?: number; text?: string }) => {
      if (p.type === 'step' && p.received) abort.abort();
      if (p.type === 'step') steps.push(p.text ?? '');
    },
  })), (err: Error) => err instanceof SetupCancelled && /cancelled; nothing was installed/.test(err.message));
  assert.ok(steps.includes(`downloading libtensorflow ${LIBTENSORFLOW_VERSION}`));
  assertNothingInstalled(dir);
});

test('a set-up killed mid-download leaves only a staging folder, which the next set-up removes before it installs a backend that loads', async () => {
  let release: () => void = () => undefined;
  const holding = new Promise<void>((r) => (release = r));
  handlers = {
    [LIBRARY]: (res) => {
      res.writeHead(200, { 'content-length': String(1 << 30) });
      res.write(Buffer.alloc(1 << 16));
      release();
    },
  };
  const dir = store();
  const child = spawn(process.execPath, [join('dist', 'cli.js'), 'setup', '--store', dir, '--route', 'official', '--json'],
    { env: { ...process.env, TFJS_NODE_CDN_STORAGE: base }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((r) => child.on('exit', r));
  await holding;
  child.kill('SIGKILL');
  await exited;
  assert.equal(readdirSync(dir).filter((n) => n.startsWith('.staging-')).length, 1, 'the killed process left its staging folder');
  assert.equal(locateBackend({ storeDir: dir }).location, undefined, 'which is not a backend');

  handlers = { [LIBRARY]: archive(served.real, ['lib']), [BINDING]: archive(join(served.real, 'binding'), [`napi-v${NAPI_VERSION}`]) };
  const progress: string[] = [];
  const done = await provisionStore(dir, options({ onProgress: (p: { type: string; text?: string }) => progress.push(p.text ?? p.type) }));
  assert.deepEqual(readdirSync(dir), [entryDir(dir).split('/').pop()], 'the stale staging folder is gone, the entry is in place');
  assert.equal(done.route, 'official');
  assert.equal(done.reused, false);
  assert.match(done.tensorflow, /^\d+\.\d+/);
  assert.ok(progress.includes('checking that the backend loads and runs'));
  const state = entryState(done.dir);
  assert.ok(state.installed);
  assert.equal(state.manifest.route, 'official');
  assert.ok(!existsSync(join(done.dir, 'deps', 'include')) && !existsSync(join(done.dir, '.download')), 'no build or download leftovers');
  const again = await provisionStore(dir, options());
  assert.equal(again.reused, true, 'a second set-up keeps the complete one');
  assert.equal(JSON.parse(readFileSync(join(done.dir, 'package.json'), 'utf8')).name, '@tensorflow/tfjs-node');
});
