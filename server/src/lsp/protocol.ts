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
