// Downloads for the native set-up: redirects, HTTP errors, the proxy a URL
// goes through, and the MD5 Google's storage publishes.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { download, md5Header, proxyFor } from '../../src/engine/native/download';

const collect = () => {
  const chunks: Buffer[] = [];
  return { chunks, sink: () => new Writable({ write(c: Buffer, _e, done) { chunks.push(c); done(); } }) };
};

test('redirects are followed, an HTTP error names the URL and its status, and progress counts the bytes', async () => {
  const server = createServer((req, res) => {
    if (req.url === '/moved') res.writeHead(302, { location: '/file' }).end();
    else if (req.url === '/file') res.writeHead(200, { 'content-length': '5' }).end('hello');
    else res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const { chunks, sink } = collect();
    const seen: number[] = [];
    const done = await download(`${base}/moved`, sink, { onBytes: (n) => seen.push(n) });
    assert.equal(Buffer.concat(chunks).toString(), 'hello');
    assert.deepEqual({ bytes: done.bytes, last: seen.at(-1) }, { bytes: 5, last: 5 });
    assert.match(done.integrity, /not checked: the server publishes no hash/);
    await assert.rejects(download(`${base}/missing`, collect().sink), new RegExp(`${base}/missing: HTTP 404 Not Found`));
  } finally {
    server.close();
  }
});

test('the proxy: the caller’s first, else HTTPS_PROXY for https and HTTP_PROXY for http; none for NO_PROXY hosts', () => {
  const env = { HTTPS_PROXY: 'http://secure:3128', HTTP_PROXY: 'http://plain:3128', NO_PROXY: 'localhost,.internal' };
  assert.equal(proxyFor(new URL('https://storage.googleapis.com/x'), undefined, env), 'http://secure:3128');
  assert.equal(proxyFor(new URL('http://mirror.example/x'), undefined, env), 'http://plain:3128');
  assert.equal(proxyFor(new URL('https://storage.googleapis.com/x'), 'http://vscode:8080', env), 'http://vscode:8080');
  assert.equal(proxyFor(new URL('https://cache.internal/x'), 'http://vscode:8080', env), undefined);
  assert.equal(proxyFor(new URL('http://localhost:9/x'), undefined, env), undefined);
  assert.equal(proxyFor(new URL('https://a.example/x'), undefined, {}), undefined);
});

test("the MD5 in Google storage's x-goog-hash header", () => {
  assert.equal(md5Header('crc32c=n03x6A==,md5=Ojk9c3dhfxgoKVVHYwFbHQ=='), 'Ojk9c3dhfxgoKVVHYwFbHQ==');
  assert.equal(md5Header(['crc32c=n03x6A==', 'md5=Ojk9c3dhfxgoKVVHYwFbHQ==']), 'Ojk9c3dhfxgoKVVHYwFbHQ==');
  assert.equal(md5Header('crc32c=n03x6A=='), undefined);
  assert.equal(md5Header(undefined), undefined);
});
