// Preloaded into a CLI process by test/cli/messages.test.ts (node --require):
// the disk is full for the files whose path matches LATENT_LAB_TEST_DISK_FULL
// (a regular expression): every write to them fails with ENOSPC, as the kernel
// reports it, while every other file is written as usual.
const fs = require('node:fs');

const full = new RegExp(process.env.LATENT_LAB_TEST_DISK_FULL);
const fullFds = new Set();
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { errno: -28, code: 'ENOSPC', syscall: 'write' });

const { openSync, closeSync, writeSync, appendFileSync } = fs;
fs.openSync = function (path, ...rest) {
  const fd = openSync.call(this, path, ...rest);
  if (full.test(String(path))) fullFds.add(fd);
  return fd;
};
fs.closeSync = function (fd) {
  fullFds.delete(fd);
  return closeSync.call(this, fd);
};
fs.writeSync = function (fd, ...rest) {
  if (fullFds.has(fd)) throw enospc();
  return writeSync.call(this, fd, ...rest);
};
fs.appendFileSync = function (path, ...rest) {
  if (full.test(String(path))) throw enospc();
  return appendFileSync.call(this, path, ...rest);
};
