// Validation of the keys that name project code as checks: `version-checks` (a function name,
// or a table that says which argument holds the version, in which form, on which axis),
// `feature-checks` (calls whose string argument names a libvirt symbol) and `probes` (globs
// over dotted names). Each problem names its entry (`version-checks[2].form`).
import { closest, isTable, keyText } from './configError';
import type { FeatureCheckSpec, VersionArgumentForm, VersionCheckSpec } from './policy';

type Fail = (key: string, value: unknown, message: string) => void;

export const versionCheckKeys = ['name', 'axis', 'form', 'arg', 'keyword', 'parts', 'exact'] as const;
export const featureCheckKeys = ['name', 'arg', 'keyword'] as const;
const forms: readonly VersionArgumentForm[] = ['any', 'tuple', 'integer', 'string', 'keywords'];
const defaultParts = ['major', 'minor', 'micro'];
const identifierPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Python allows 255 arguments; more than a few dozen in a check is a typo. */
const maxArgumentPosition = 31;
const probePattern = /^[A-Za-z_*][A-Za-z0-9_*]*(?:\.[A-Za-z_*][A-Za-z0-9_*]*)*(?:\(\))?$/;

const argumentExpectation = `expected an argument position from 0 (the first argument) to ${maxArgumentPosition}`;
const keywordExpectation = 'expected a keyword argument name such as "version"';

/** Reports keys of an entry table that are not in `known`, with a suggestion. */
function unknownKeys(entry: Record<string, unknown>, at: string, known: readonly string[], fail: Fail): boolean {
  let ok = true;
  for (const key of Object.keys(entry)) {
    if (known.includes(key)) continue;
    ok = false;
    const guess = closest(key, known);
    fail(
      `${at}.${keyText(key)}`,
      entry[key],
      `unknown key${guess ? `; did you mean "${guess}"?` : '.'} Valid keys: ${known.join(', ')}`,
    );
  }
  return ok;
}

/** The entries of an array key, each either a string or a table. */
function entries(
  key: string,
  value: unknown,
  fail: Fail,
  read: (entry: unknown, at: string) => boolean | undefined,
): boolean | undefined {
  if (!Array.isArray(value)) return void fail(key, value, 'expected an array of function names or tables');
  let ok = true;
  value.forEach((entry: unknown, i) => {
    if (!read(entry, `${key}[${i + 1}]`)) ok = false;
  });
  return ok;
}

function argumentPosition(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= maxArgumentPosition
    ? value
    : undefined;
}

/** `version-checks`: plain names (the lv_ver/hv_ver convention) and tables with their own. */
export function validateVersionChecks(
  value: unknown,
  fail: Fail,
): { names: string[]; specs: VersionCheckSpec[] } | undefined {
  const names: string[] = [];
  const specs: VersionCheckSpec[] = [];
  const specNames = new Set<string>();
  const ok = entries('version-checks', value, fail, (entry, at) => {
    if (typeof entry === 'string') {
      if (!identifierPattern.test(entry))
        return void fail(at, entry, 'expected a function name such as "has_min_version"');
      if (specNames.has(entry)) return void fail(at, entry, 'duplicate version check (it also has a table entry)');
      names.push(entry);
      return true;
    }
    if (!isTable(entry))
      return void fail(
        at,
        entry,
        'expected a function name such as "has_min_version", or a table such as { name = "check_version", form = "string" }',
      );
    const spec = versionCheckSpec(entry, at, fail);
    if (!spec) return false;
    if (specNames.has(spec.name) || names.includes(spec.name))
      return void fail(`${at}.name`, spec.name, 'duplicate version check');
    specNames.add(spec.name);
    names.push(spec.name);
    specs.push(spec);
    return true;
  });
  return ok ? { names, specs } : undefined;
}

function versionCheckSpec(entry: Record<string, unknown>, at: string, fail: Fail): VersionCheckSpec | undefined {
  let ok = unknownKeys(entry, at, versionCheckKeys, fail);
  const bad = (key: string, value: unknown, message: string): undefined => {
    ok = false;
    fail(`${at}.${key}`, value, message);
    return undefined;
  };
  const { name, axis, form, arg, keyword, parts, exact } = entry;
  if (name === undefined) {
    fail(at, undefined, 'missing "name"');
    return undefined;
  }
  if (typeof name !== 'string' || !identifierPattern.test(name))
    bad('name', name, 'expected a function name such as "check_version"');
  if (axis !== undefined && axis !== 'libvirt' && axis !== 'qemu') bad('axis', axis, 'expected "libvirt" or "qemu"');
  if (form !== undefined && !(forms as readonly unknown[]).includes(form))
    bad('form', form, `expected one of ${forms.map((f) => `"${f}"`).join(', ')}`);
  if (arg !== undefined && argumentPosition(arg) === undefined) bad('arg', arg, argumentExpectation);
  if (keyword !== undefined) {
    if (typeof keyword !== 'string' || !identifierPattern.test(keyword)) bad('keyword', keyword, keywordExpectation);
    else if (form === 'keywords')
      bad('keyword', keyword, 'does not apply to form = "keywords" (name the parts with "parts")');
  }
  if (parts !== undefined) {
    const valid =
      Array.isArray(parts) &&
      parts.length >= 1 &&
      parts.length <= 3 &&
      parts.every((p) => typeof p === 'string' && identifierPattern.test(p));
    if (!valid) bad('parts', parts, 'expected one to three keyword names such as ["major", "minor", "micro"]');
    else if (form !== 'keywords') bad('parts', parts, 'applies only to form = "keywords"');
  }
  if (exact !== undefined && typeof exact !== 'boolean') bad('exact', exact, 'expected true or false');
  if (!ok || typeof name !== 'string') return undefined;
  return {
    name,
    axis: axis === 'qemu' ? 'qemu' : 'libvirt',
    form: (form as VersionArgumentForm | undefined) ?? 'any',
    arg: argumentPosition(arg) ?? 0,
    ...(typeof keyword === 'string' ? { keyword } : {}),
    parts: Array.isArray(parts) ? (parts as string[]) : defaultParts,
    exact: exact === true,
  };
}

/** `feature-checks`: names (the first string argument names the symbol) and tables. */
export function validateFeatureChecks(value: unknown, fail: Fail): FeatureCheckSpec[] | undefined {
  const specs: FeatureCheckSpec[] = [];
  const ok = entries('feature-checks', value, fail, (entry, at) => {
    if (typeof entry === 'string') {
      if (!identifierPattern.test(entry)) return void fail(at, entry, 'expected a function name such as "has_flag"');
      specs.push({ name: entry });
      return true;
    }
    if (!isTable(entry))
      return void fail(
        at,
        entry,
        'expected a function name such as "has_flag", or a table such as { name = "supports", arg = 1 }',
      );
    let valid = unknownKeys(entry, at, featureCheckKeys, fail);
    const { name, arg, keyword } = entry;
    if (name === undefined) return void fail(at, undefined, 'missing "name"');
    const bad = (key: string, v: unknown, message: string): void => {
      valid = false;
      fail(`${at}.${key}`, v, message);
    };
    if (typeof name !== 'string' || !identifierPattern.test(name))
      bad('name', name, 'expected a function name such as "has_flag"');
    if (arg !== undefined && argumentPosition(arg) === undefined) bad('arg', arg, argumentExpectation);
    if (keyword !== undefined && (typeof keyword !== 'string' || !identifierPattern.test(keyword)))
      bad('keyword', keyword, keywordExpectation);
    if (!valid || typeof name !== 'string') return false;
    const position = argumentPosition(arg);
    specs.push({
      name,
      ...(position === undefined ? {} : { arg: position }),
      ...(typeof keyword === 'string' ? { keyword } : {}),
    });
    return true;
  });
  return ok ? specs : undefined;
}

/** `probes`: globs over dotted names; a trailing `()` matches calls only. */
export function validateProbes(value: unknown, fail: Fail): string[] | undefined {
  if (!Array.isArray(value)) return void fail('probes', value, 'expected an array of strings');
  const out: string[] = [];
  let ok = true;
  value.forEach((item: unknown, i) => {
    const valid = typeof item === 'string' && probePattern.test(item) && /[A-Za-z0-9_]/.test(item.replace(/\(\)$/, ''));
    if (valid) out.push(item);
    else {
      ok = false;
      fail(
        `probes[${i + 1}]`,
        item,
        typeof item === 'string'
          ? 'expected a glob over a dotted name such as "self.*_supported" or "*.support.*" (at least one name part that is not only "*")'
          : 'expected a string',
      );
    }
  });
  return ok ? out : undefined;
}
