// Compiles tfjs-node's N-API binding against the libtensorflow in deps/,
// with the flags tfjs-node's binding.gyp gives node-gyp on Linux, but without
// node-gyp: the Node-API headers ship with Latent Lab, so neither npm nor
// Node's own headers (which an Electron-based VS Code does not have) are needed.
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteContext } from './route';
import { RouteUnavailable } from './route';
import { firstWorking, runTool } from './runTool';
import { bindingPath, libraryDir, NAPI_VERSION } from './target';

export const findCompiler = (env: NodeJS.ProcessEnv): string | undefined =>
  firstWorking([env.CXX, 'c++', 'g++', 'clang++'], ['--version'], env);

const CXXFLAGS = ['-fPIC', '-pthread', '-O3', '-std=gnu++17', '-fno-rtti', '-fno-exceptions', '-Wno-deprecated-declarations',
  `-DNAPI_VERSION=${NAPI_VERSION}`, '-DBUILDING_NODE_EXTENSION', '-DNODE_GYP_MODULE_NAME=tfjs_binding'];

export async function compileBinding(c: RouteContext, compiler = findCompiler(c.env)): Promise<void> {
  if (c.target.platform !== 'linux') throw new RouteUnavailable(`compiling the binding is supported on Linux only, not ${c.target.platform}`);
  if (!compiler) throw new RouteUnavailable('no C++ compiler to build the tfjs-node binding (tried $CXX, c++, g++, clang++)');
  const lib = libraryDir(c.dir);
  const include = join(c.dir, 'deps', 'include');
  if (!existsSync(join(include, 'tensorflow', 'c', 'c_api.h'))) throw new Error(`${include} has no tensorflow/c/c_api.h to compile against`);
  linkerNames(lib);
  const sources = readdirSync(c.assets.bindingSources).filter((f) => f.endsWith('.cc'));
  const objects = join(c.dir, '.build');
  mkdirSync(objects, { recursive: true });
  const includes = [`-I${c.assets.bindingSources}`, `-I${include}`, `-I${c.assets.napiHeaders}`];
  c.progress({ type: 'step', text: `compiling the tfjs-node binding (${sources.length} files, ${compiler})` });
  // One compiler per source file: the TensorFlow headers make each slow, and they are independent.
  await Promise.all(sources.map((s) => runTool(compiler, [...CXXFLAGS, ...includes, '-c', join(c.assets.bindingSources, s), '-o', join(objects, `${s}.o`)],
    `compiling ${s}`, { env: c.env, signal: c.signal })));
  const out = bindingPath(c.dir);
  mkdirSync(join(out, '..'), { recursive: true });
  c.progress({ type: 'step', text: 'linking the binding' });
  await runTool(compiler, ['-shared', '-pthread', '-rdynamic', ...sources.map((s) => join(objects, `${s}.o`)), `-L${lib}`,
    '-Wl,-rpath,$ORIGIN/../../deps/lib', '-ltensorflow', '-ltensorflow_framework', '-o', out], 'linking the binding', { env: c.env, signal: c.signal });
}

/** The wheel names its libraries libtensorflow_cc.so.2 and libtensorflow_framework.so.2; the linker wants -ltensorflow. */
function linkerNames(lib: string): void {
  const names: [string, string][] = [['libtensorflow.so', 'libtensorflow_cc.so.2'], ['libtensorflow_framework.so', 'libtensorflow_framework.so.2']];
  for (const [name, target] of names) {
    if (!existsSync(join(lib, name)) && existsSync(join(lib, target))) symlinkSync(target, join(lib, name));
  }
}
