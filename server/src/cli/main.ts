// Entry of dist/cli.js (bin/libvirt-gate.js), and of its worker threads.
import { runCli } from './cli';
import { processIo } from './io';
import { isCheckWorker, runCheckWorker } from './parallel';

function main(): void {
  // `libvirt-gate check | head`: a closed pipe is not an error; finish quietly. Any other
  // failure to write the report (`> /dev/full`: ENOSPC) is one line on stderr and status 2,
  // whenever it is reported (stdout errors arrive after the write, maybe after the run ends).
  let outputFailed = false;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
      if (stream === process.stdout && !outputFailed) {
        const reason = /^[A-Z0-9_]+: ([^,]+)/.exec(e.message)?.[1] ?? e.message;
        process.stderr.write(`libvirt-gate: stdout: cannot write: ${reason} (${e.code ?? 'EIO'})\n`);
      }
      outputFailed = true;
      process.exitCode = 2;
    });
  }
  runCli(process.argv.slice(2), processIo()).then(
    (status) => {
      process.exitCode = outputFailed ? 2 : status;
    },
    (e: unknown) => {
      process.stderr.write(`libvirt-gate: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

if (isCheckWorker()) runCheckWorker();
else main();
