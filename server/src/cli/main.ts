// Entry of dist/cli.js (bin/libvirt-gate.js), and of its worker threads.
import { runCli } from './cli';
import { processIo } from './io';
import { isCheckWorker, runCheckWorker } from './parallel';

function main(): void {
  // `libvirt-gate check | head`: a closed pipe is not an error; finish quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
      process.exitCode = 2;
    });
  }
  runCli(process.argv.slice(2), processIo()).then(
    (status) => { process.exitCode = status; },
    (e: unknown) => {
      process.stderr.write(`libvirt-gate: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

if (isCheckWorker()) runCheckWorker();
else main();
