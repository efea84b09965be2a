// Where Google's storage is out of reach: the TensorFlow C library from the
// tensorflow-cpu wheel, which pip fetches through whatever index it is set up
// with (a local mirror works), and the binding compiled against it.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileBinding, findCompiler } from './compileBinding';
import { RouteUnavailable, type Route, type RouteContext } from './route';
import { firstWorking, runTool } from './runTool';
import { TENSORFLOW_WHEEL } from './target';

const SPEC = `${TENSORFLOW_WHEEL.name}==${TENSORFLOW_WHEEL.version}`;
const WHEEL_FILE = new RegExp(`^${TENSORFLOW_WHEEL.name.replace('-', '_')}-${TENSORFLOW_WHEEL.version.replace(/\./g, '\\.')}-.*\\.whl$`);

/** Copies the two libraries and the header tree out of the wheel (a zip); refuses paths that climb out. */
const EXTRACT = `
import os, shutil, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
libs = {'tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'}
try:
    z = zipfile.ZipFile(wheel)
    names = z.namelist()
    missing = sorted(libs - set(names))
    if missing:
        sys.exit(wheel + ': the wheel holds no ' + ', '.join(missing))
    for n in names:
        if '..' in n.split('/') or n.endswith('/'):
            continue
        if n in libs:
            dest = os.path.join(out, 'lib', os.path.basename(n))
        elif n.startswith('tensorflow/include/'):
            dest = os.path.join(out, 'include', n[len('tensorflow/include/'):])
        else:
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(n) as src, open(dest, 'wb') as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
except (zipfile.BadZipFile, OSError, EOFError) as e:
    sys.exit(wheel + ': ' + str(e))
`;

const findWheel = (dir: string | undefined): string | undefined => {
  if (!dir || !existsSync(dir)) return undefined;
  const name = readdirSync(dir).find((f) => WHEEL_FILE.test(f));
  return name && join(dir, name);
};

async function obtainWheel(python: string, c: RouteContext): Promise<string> {
  const cached = findWheel(c.wheelCache);
  if (cached) return cached;
  const into = c.wheelCache ?? join(c.dir, '.download');
  mkdirSync(into, { recursive: true });
  c.progress({ type: 'step', text: `downloading the ${SPEC} wheel with pip (about 270 MB)` });
  const proxy = c.network.proxy ? ['--proxy', c.network.proxy] : [];
  await runTool(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '--progress-bar', 'off', ...proxy, '-d', into, SPEC],
    `pip download ${SPEC}`, { env: c.env, signal: c.signal });
  const wheel = findWheel(into);
  if (!wheel) throw new Error(`pip download ${SPEC} finished but left no wheel in ${into}`);
  return wheel;
}

export const wheelRoute: Route = {
  name: 'wheel',
  title: `TensorFlow's C library from the ${SPEC} wheel (pip), with the binding compiled here`,
  async run(c) {
    if (c.target.platform !== 'linux' || c.target.arch !== 'x64') throw new RouteUnavailable(`the wheel route is built for linux-x64, not ${c.target.platform}-${c.target.arch}`);
    const python = firstWorking([c.env.PYTHON, 'python3', 'python'], ['-m', 'pip', '--version'], c.env);
    if (!python) throw new RouteUnavailable('no Python with pip (tried $PYTHON, python3, python)');
    if (!findCompiler(c.env)) throw new RouteUnavailable('no C++ compiler (tried $CXX, c++, g++, clang++)');
    const wheel = await obtainWheel(python, c);
    c.progress({ type: 'step', text: 'extracting the TensorFlow C library and headers from the wheel' });
    await runTool(python, ['-c', EXTRACT, wheel, join(c.dir, 'deps')], 'extracting the wheel', { env: c.env, signal: c.signal });
    await compileBinding(c);
  },
};
