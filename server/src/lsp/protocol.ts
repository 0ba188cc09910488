// Names shared by the language server and the VS Code client. Dependency-free on purpose:
// the client bundle imports it too.

/** Custom notification: the resolved policy for a document, for the client's status item. */
export const statusNotification = 'libvirt-gate/status';

export interface StatusParams {
  /** The document the policy applies to. */
  readonly uri: string;
  /** Short: "libvirt ≥ 8.0.0 · CI 10.0.0". */
  readonly text: string;
  /** Longer, for the tooltip: where the minimum and the CI jobs come from. */
  readonly detail: string;
  /** The config file in effect (absolute file URI), if any. */
  readonly configFile?: string;
  /** True when the config file has errors and defaults were used for the broken keys. */
  readonly configErrors: boolean;
}

/** Commands the server executes (workspace/executeCommand). The client registers proxies for them. */
export const serverCommands = {
  /** args: [url: string] → window/showDocument(external). */
  showDocumentation: 'libvirt-gate.server.showDocumentation',
  /** args: [uri: string] → workspace/applyEdit with every safe fix of the document. */
  applyFixAll: 'libvirt-gate.server.applyFixAll',
} as const;

export const fixAllKind = 'source.fixAll.libvirt-gate';
export const diagnosticSource = 'libvirt-gate';
export const configSection = 'libvirt-gate';
export const configFileNames: readonly string[] = ['.libvirt-gate.toml', 'pyproject.toml'];

/** Custom request: the support matrix of the workspace (every indexed Python file and open document). */
export const matrixRequest = 'libvirt-gate/matrix';

type MatrixFormat = 'html' | 'json' | 'markdown' | 'text';

export interface MatrixParams {
  /** Default 'html'. */
  readonly format?: MatrixFormat;
  /** Presets to add as columns (default: the configs' `distros` key, where set). Unknown names are ignored. */
  readonly distros?: readonly string[];
  /** For a webview: its CSP source and a fresh nonce for the page's style and script; rows then carry file URIs. */
  readonly webview?: { readonly nonce: string; readonly cspSource: string };
}

export interface MatrixResult {
  readonly format: MatrixFormat;
  /** The rendered matrix (for 'json', the JSON text documented in docs/cli.md). */
  readonly content: string;
  /** Files looked at, and version-dependent paths found. */
  readonly files: number;
  readonly paths: number;
}

/**
 * Notification, server → client: what the matrix shows may have changed (an edit, a file on
 * disk, a config or setting). Sent, debounced, once a client has asked for a matrix.
 */
export const matrixChangedNotification = 'libvirt-gate/matrixChanged';

/** Message from the matrix webview's script: open a row's location (1-based lines and columns). */
export interface MatrixOpenMessage {
  readonly type: 'open';
  readonly uri: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}
