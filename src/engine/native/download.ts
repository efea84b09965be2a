// One HTTP(S) download streamed into a sink, as tfjs-node's own installer
// fetches its files, plus what that installer leaves out: a proxy from the
// caller or the usual environment variables, redirects, a length check (a
// connection that drops early is an error, not a short file), the MD5 that
// Google's storage publishes in `x-goog-hash` when it is there, progress and
// cancellation.
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpsProxyAgent } from 'https-proxy-agent';

export interface NetworkOptions {
  /** A proxy URL (VS Code's http.proxy); default: HTTPS_PROXY / HTTP_PROXY, minus NO_PROXY. */
  proxy?: string;
  /** Reject servers whose certificate does not verify (VS Code's http.proxyStrictSSL); default true. */
  strictSSL?: boolean;
}

export interface DownloadOptions extends NetworkOptions {
  signal?: AbortSignal;
  onBytes?: (received: number, total: number | undefined) => void;
}

export interface Downloaded {
  bytes: number;
  /** How the content was checked: "md5 (x-goog-hash)", or why it could not be. */
  integrity: string;
}

const MAX_REDIRECTS = 5;
const TIMEOUT_MS = 60_000;

export class DownloadError extends Error {
  constructor(readonly url: string, problem: string) {
    super(`${url}: ${problem}`);
    this.name = 'DownloadError';
  }
}

/**
 * Streams `url` into the sink `open` makes once the server has answered (so a
 * failed request leaves no file); rejects on any mismatch, and the caller
 * discards what the sink wrote.
 */
export async function download(url: string, open: () => Writable, o: DownloadOptions = {}): Promise<Downloaded> {
  const response = await get(url, o, 0);
  const total = Number(response.headers['content-length']) || undefined;
  const published = md5Header(response.headers['x-goog-hash']);
  const md5 = createHash('md5');
  let received = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      md5.update(chunk);
      o.onBytes?.(received, total);
      done(null, chunk);
    },
  });
  try {
    await pipeline(response, meter, open(), { signal: o.signal });
  } catch (err) {
    if (o.signal?.aborted) throw err;
    if (total !== undefined && received < total) throw new DownloadError(url, `the download was cut short: ${received} of ${total} bytes arrived`);
    throw new DownloadError(url, (err as Error).message);
  }
  if (total !== undefined && received !== total) throw new DownloadError(url, `the download was cut short: ${received} of ${total} bytes arrived`);
  if (!published) return { bytes: received, integrity: 'not checked: the server publishes no hash' };
  const actual = md5.digest('base64');
  if (actual !== published) throw new DownloadError(url, `integrity check failed: MD5 ${actual}, the server published ${published}`);
  return { bytes: received, integrity: 'md5 (x-goog-hash)' };
}

function get(url: string, o: DownloadOptions, redirects: number): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : undefined;
    if (!client) return reject(new DownloadError(url, `unsupported protocol ${target.protocol}`));
    const proxy = proxyFor(target, o.proxy);
    const request = client.get(target, {
      agent: proxy && target.protocol === 'https:' ? new HttpsProxyAgent(proxy, { rejectUnauthorized: o.strictSSL !== false }) : undefined,
      rejectUnauthorized: o.strictSSL !== false,
      signal: o.signal,
      timeout: TIMEOUT_MS,
    }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        if (redirects >= MAX_REDIRECTS) return reject(new DownloadError(url, `more than ${MAX_REDIRECTS} redirects`));
        return resolve(get(new URL(response.headers.location, target).toString(), o, redirects + 1));
      }
      if (status !== 200) {
        response.resume();
        return reject(new DownloadError(url, `HTTP ${status} ${response.statusMessage ?? ''}`.trim()));
      }
      resolve(response);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    request.on('error', (err: NodeJS.ErrnoException) => {
      if (o.signal?.aborted) reject(err);
      else reject(new DownloadError(url, err.code === 'ENOTFOUND' ? `host ${target.hostname} not found (offline, or behind a proxy that is not configured)`
        : err.code === 'ECONNRESET' ? `the connection closed before the server answered (${err.message})` : err.message));
    });
  });
}

/** The proxy for `target`: the caller's, else the conventional environment variables; none for NO_PROXY hosts. */
export function proxyFor(target: URL, explicit?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const host = target.hostname.toLowerCase();
  if (noProxy.some((p) => p === '*' || host === p.replace(/^\./, '') || host.endsWith(p.startsWith('.') ? p : `.${p}`))) return undefined;
  if (explicit) return explicit;
  return target.protocol === 'https:'
    ? env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy
    : env.HTTP_PROXY ?? env.http_proxy;
}

/** The base64 MD5 in Google storage's `x-goog-hash: crc32c=…,md5=…`. */
export function md5Header(value: string | string[] | undefined): string | undefined {
  const all = Array.isArray(value) ? value.join(',') : value ?? '';
  return /(?:^|,)\s*md5=([A-Za-z0-9+/=]+)/.exec(all)?.[1];
}
