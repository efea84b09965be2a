// The route tfjs-node's own installer takes: libtensorflow 2.9.1 and the
// prebuilt binding from Google's storage (or the mirror its installer's
// TFJS_NODE_CDN_STORAGE / TFJS_NODE_BASE_URI name), extracted with `tar`.
// When only the prebuilt binding is missing, it is compiled against the
// downloaded library, as the installer's node-pre-gyp fallback does.
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { x as untar } from 'tar';
import { compileBinding, findCompiler } from './compileBinding';
import { download } from './download';
import { RouteUnavailable, type Route, type RouteContext } from './route';
import { bindingPath, libraryDir, LIBTENSORFLOW_VERSION, NAPI_VERSION, TFJS_NODE_VERSION, type Target } from './target';

/** tfjs-node's installer names the systems it has builds for (scripts/deps-constants.js). */
function officialSystem(t: Target): 'linux' | 'darwin' {
  if (t.arch === 'x64' && (t.platform === 'linux' || t.platform === 'darwin')) return t.platform;
  throw new RouteUnavailable(`Google publishes no libtensorflow ${LIBTENSORFLOW_VERSION} build for ${t.platform}-${t.arch} that Latent Lab can unpack`);
}

export function officialUrls(t: Target, env: NodeJS.ProcessEnv): { library: string; binding: string } {
  const system = officialSystem(t);
  const host = env.TFJS_NODE_CDN_STORAGE || env.npm_config_TFJS_NODE_CDN_STORAGE || 'https://storage.googleapis.com/';
  const base = env.TFJS_NODE_BASE_URI || env.npm_config_TFJS_NODE_BASE_URI || `${host}tensorflow/libtensorflow/libtensorflow-`;
  const os = system === 'darwin' ? 'darwin' : 'linux';
  return {
    library: `${base}cpu-${os}-x86_64-${LIBTENSORFLOW_VERSION}.tar.gz`,
    binding: `${host}tf-builds/pre-built-binary/napi-v${NAPI_VERSION}/${TFJS_NODE_VERSION}/CPU-${os}-${TFJS_NODE_VERSION}.tar.gz`,
  };
}

/** Downloads into .download/, checks it, then unpacks: nothing from an archive that failed its checks is extracted. */
async function fetchTarball(url: string, dest: string, what: string, c: RouteContext): Promise<void> {
  const downloads = join(c.dir, '.download');
  mkdirSync(downloads, { recursive: true });
  const file = join(downloads, url.split('/').pop() || 'download.tar.gz');
  c.progress({ type: 'step', text: `downloading ${what}` });
  await download(url, () => createWriteStream(file), {
    ...c.network, signal: c.signal,
    onBytes: (received, total) => c.progress({ type: 'step', text: `downloading ${what}`, received, ...(total ? { total } : {}) }),
  });
  c.progress({ type: 'step', text: `unpacking ${what}` });
  mkdirSync(dest, { recursive: true });
  try {
    await untar({ file, cwd: dest, strict: true });
  } catch (err) {
    throw new Error(`${url}: not a readable .tar.gz archive (${(err as Error).message})`);
  }
  rmSync(file, { force: true });
}

/** The one tfjs_binding.node anywhere in an unpacked archive. */
function findBinding(dir: string): string | undefined {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const found = findBinding(p);
      if (found) return found;
    } else if (e.name === 'tfjs_binding.node' && statSync(p).size > 0) return p;
  }
  return undefined;
}

export const officialRoute: Route = {
  name: 'official',
  title: `the official prebuilt binaries (libtensorflow ${LIBTENSORFLOW_VERSION} and the tfjs-node ${TFJS_NODE_VERSION} binding)`,
  async run(c) {
    const urls = officialUrls(c.target, c.env);
    await fetchTarball(urls.library, join(c.dir, 'deps'), `libtensorflow ${LIBTENSORFLOW_VERSION}`, c);
    const lib = c.target.platform === 'darwin' ? 'libtensorflow.2.dylib' : 'libtensorflow.so.2';
    if (!existsSync(join(libraryDir(c.dir), lib))) throw new Error(`${urls.library}: the archive holds no lib/${lib}`);
    const unpacked = join(c.dir, '.binding');
    try {
      await fetchTarball(urls.binding, unpacked, `the prebuilt tfjs-node ${TFJS_NODE_VERSION} binding`, c);
      const found = findBinding(unpacked);
      if (!found) throw new Error(`${urls.binding}: the archive holds no tfjs_binding.node`);
      mkdirSync(join(bindingPath(c.dir), '..'), { recursive: true });
      renameSync(found, bindingPath(c.dir));
    } catch (err) {
      if (c.signal?.aborted) throw err;
      if (!findCompiler(c.env)) throw new Error(`${(err as Error).message}; no C++ compiler to build the binding instead`);
      c.progress({ type: 'step', text: `no prebuilt binding (${(err as Error).message}); compiling it` });
      await compileBinding(c);
    }
  },
};
