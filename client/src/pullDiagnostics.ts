// A diagnostics pull that was cancelled must not replace the file's diagnostics.
//
// vscode-languageclient 9 cancels a file's pull when the file changes again (and re-pulls), but
// the cancelled pull still resolves, as a full report with no items, and the client shows that
// report: while you type, a file's diagnostics blank out until the next pull answers, and anyone
// waiting for "no diagnostics" can see this blank instead of the server's verdict. Throwing a
// cancellation error instead makes the client keep the last diagnostics and pull again.

interface Cancellable {
  readonly isCancellationRequested: boolean;
}

/** Resolves to the report of `pull`, or rejects with `cancelled()` when `token` was cancelled meanwhile. */
export async function unlessCancelled<R>(
  pull: R | Thenable<R>,
  token: Cancellable,
  cancelled: () => Error,
): Promise<R> {
  const report = await pull;
  if (token.isCancellationRequested) throw cancelled();
  return report;
}
