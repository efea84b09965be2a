#!/usr/bin/env node
// `npm run demo [-- --port N]`: the extension as a user gets it, in a real VS
// Code. Builds and packages the VSIX, installs it into a private code-server
// (.vscode-test/, installed on first use), opens the example workspace with the
// bundled MNIST digits, prints the URL and runs until Ctrl-C.
// Run through tsx (see package.json) because it shares scripts/codeServer.ts with the e2e test.
import { join } from 'node:path';
import {
  checkoutBackend, ensureCodeServer, installExtension, packageExtension, prepareWorkspace, root, startCodeServer, writeUserSettings,
} from './codeServer.ts';

const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('[demo] --port needs a port number (0 or none: any free port)');
  process.exit(2);
}

const state = join(root, '.vscode-test', 'demo');
const userDataDir = join(state, 'user-data');
const extensionsDir = join(state, 'extensions');
const workspace = join(root, '.vscode-test', 'demo-workspace');

let server;
try {
  const entry = ensureCodeServer();
  const vsix = packageExtension();
  installExtension(entry, vsix, extensionsDir, userDataDir);
  // The demo workspace is the project's own example: trusted without asking,
  // and no welcome page in front of it.
  writeUserSettings(userDataDir, {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    // No extension gallery is reachable from here.
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    // The workspace sits inside this project's git checkout.
    'git.openRepositoryInParentFolders': 'never',
    ...checkoutBackend(),
  });
  prepareWorkspace(workspace);
  server = await startCodeServer({ entry, userDataDir, extensionsDir, folder: workspace, port, logFile: join(state, 'code-server.log') });
} catch (err) {
  console.error(`[demo] FAILED: ${err.message}`);
  await server?.stop();
  process.exit(1);
}

let stopping = false;
async function shutDown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n[demo] ${signal}: stopping code-server and any training it started…`);
  await server.stop();
  console.log('[demo] stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void shutDown('SIGINT'));
process.on('SIGTERM', () => void shutDown('SIGTERM'));
process.on('SIGHUP', () => void shutDown('SIGHUP'));
server.exited.then((code) => {
  if (stopping) return;
  console.error(`[demo] code-server exited on its own (code ${code}); its log: ${server.logFile}`);
  process.exit(1);
});

console.log(`
  Latent Lab is running in code-server (VS Code 1.100) with the example workspace:

    ${server.url}

  Open it in a browser on this machine (loopback only; forward the port to reach it
  from elsewhere). Try F1 → "Latent Lab: Train IWAE".
  Workspace: ${workspace}
  Log:       ${server.logFile}

  Stop with Ctrl-C (code-server and any training run it started are shut down).
`);
