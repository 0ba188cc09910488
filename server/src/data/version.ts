// libvirt version numbers: major * 1_000_000 + minor * 1_000 + micro, as libvirt's
// own LIBVIR_VERSION_NUMBER and virConnectGetLibVersion() encode them.

import type { VersionNumber } from './featureDb';

const VERSION_RE = /^(\d+)\.(\d+)\.(\d+)$/;

/** Encodes major.minor.micro; undefined when a part is negative, fractional or minor/micro > 999. */
export function versionFromParts(major: number, minor: number, micro: number): VersionNumber | undefined {
  for (const part of [major, minor, micro]) {
    if (!Number.isSafeInteger(part) || part < 0) return undefined;
  }
  if (minor > 999 || micro > 999) return undefined;
  return major * 1_000_000 + minor * 1_000 + micro;
}

/** "1.2.14" -> 1002014. Strict: exactly three dot-separated runs of digits, nothing else. */
export function parseVersion(text: string): VersionNumber | undefined {
  const m = VERSION_RE.exec(text);
  if (!m) return undefined;
  return versionFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** 1002014 -> "1.2.14"; Infinity -> "∞" (used for "never"/"not yet released"). */
export function formatVersion(v: VersionNumber): string {
  if (v === Infinity) return '∞';
  if (!Number.isFinite(v) || v < 0) return String(v);
  const n = Math.floor(v);
  const major = Math.floor(n / 1_000_000);
  const minor = Math.floor(n / 1_000) % 1_000;
  const micro = n % 1_000;
  return `${major}.${minor}.${micro}`;
}
