// Editor settings (section 'libvirt-gate'), pulled per resource with workspace/configuration
// and cached per workspace folder until workspace/didChangeConfiguration.
import type { Connection } from 'vscode-languageserver';
import { configSection } from './protocol';

/** The settings as VS Code stores them; null means "not set here" (defer to the config file/defaults). */
export interface EditorSettings {
  readonly enable: boolean;
  readonly minVersion: string | null;
  readonly minQemuVersion: string | null;
  readonly ci: readonly unknown[] | null;
  readonly gate: readonly string[] | null;
  /** Names or tables (validated in config/ like the config file's `version-checks`). */
  readonly versionChecks: readonly unknown[] | null;
  readonly receivers: Readonly<Record<string, unknown>> | null;
  readonly severity: Readonly<Record<string, unknown>> | null;
}

const defaultSettings: EditorSettings = {
  enable: true,
  minVersion: null,
  minQemuVersion: null,
  ci: null,
  gate: null,
  versionChecks: null,
  receivers: null,
  severity: null,
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Accepts whatever the client sent; wrong shapes become "not set" (validation happens in config/). */
function normalizeSettings(raw: unknown): EditorSettings {
  if (!isRecord(raw)) return defaultSettings;
  const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  const arr = (v: unknown): readonly unknown[] | null => (Array.isArray(v) ? v : null);
  const strings = (v: unknown): readonly string[] | null =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;
  const rec = (v: unknown): Record<string, unknown> | null => (isRecord(v) && Object.keys(v).length > 0 ? v : null);
  return {
    enable: raw.enable !== false,
    minVersion: str(raw.minVersion),
    minQemuVersion: str(raw.minQemuVersion),
    ci: arr(raw.ci),
    gate: strings(raw.gate),
    versionChecks: arr(raw.versionChecks),
    receivers: rec(raw.receivers),
    severity: rec(raw.severity),
  };
}

/**
 * The settings as a config table in the config file's own key spelling, so config/ validates
 * both the same way. Only keys that are set appear: absent keys defer to the layer below.
 */
export function settingsAsConfigTable(settings: EditorSettings): Record<string, unknown> {
  const table: Record<string, unknown> = {};
  if (settings.minVersion !== null) table['min-version'] = settings.minVersion;
  if (settings.minQemuVersion !== null) table['min-qemu-version'] = settings.minQemuVersion;
  if (settings.ci !== null) table.ci = settings.ci;
  if (settings.gate !== null) table.gate = settings.gate;
  if (settings.versionChecks !== null) table['version-checks'] = settings.versionChecks;
  if (settings.receivers !== null) table.receivers = settings.receivers;
  if (settings.severity !== null) table.severity = settings.severity;
  return table;
}

export class SettingsCache {
  private readonly cache = new Map<string, Promise<EditorSettings>>();
  /** Settings pushed with didChangeConfiguration, for clients without workspace/configuration. */
  private pushed: EditorSettings = defaultSettings;

  constructor(
    private readonly connection: Connection,
    private readonly pull: () => boolean,
  ) {}

  /** `folderKey` is the workspace folder of the resource ('' outside any folder). */
  get(resourceUri: string, folderKey: string): Promise<EditorSettings> {
    if (!this.pull()) return Promise.resolve(this.pushed);
    let entry = this.cache.get(folderKey);
    if (!entry) {
      entry = this.connection.workspace
        .getConfiguration({ scopeUri: resourceUri, section: configSection })
        .then(normalizeSettings, () => defaultSettings);
      this.cache.set(folderKey, entry);
    }
    return entry;
  }

  /** didChangeConfiguration: drop everything; keep the pushed payload when there is one. */
  invalidate(pushedSettings: unknown): void {
    this.cache.clear();
    if (isRecord(pushedSettings) && isRecord(pushedSettings[configSection])) {
      this.pushed = normalizeSettings(pushedSettings[configSection]);
    }
  }
}
