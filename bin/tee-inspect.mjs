#!/usr/bin/env node
// Entry point for `npx tee-inspect`: runs the compiled CLI (built by `npm install` via the prepare script).
import { main } from '../dist/main/cli.js';

const io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  now: () => new Date(),
};
process.exitCode = await main(process.argv.slice(2), io);
