// Seeded mutations of source text for fuzzing: byte and token level, like a person typing
// badly or a broken file on disk.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tokens = [
  '(',
  ')',
  ':',
  'if ',
  'not ',
  ' and ',
  ' or ',
  'else:',
  '\n',
  '\n    ',
  '\t',
  'libvirt.',
  'dom.',
  'has_min_version(',
  '(1, 2, 3)',
  'return',
  'raise',
  'try:',
  'except AttributeError:',
  'except ImportError:',
  'except Exception as e:',
  'raise e',
  'from libvirt import VIR_MIGRATE_POSTCOPY as P',
  'from libvirt import (',
  ' as ',
  ', ',
  'for dev in ',
  '.migrate3(',
  '"""',
  "'",
  '#',
  '\\',
  '\0',
  '\uFEFF',
  'é',
  '\r\n',
  'CONF.libvirt.enable_untested_features',
  'def ',
  'class ',
  'lambda: ',
  'cfg.BoolOpt(',
  ']',
  ',',
  'default=True',
];

export function mutate(text: string, random: () => number): string {
  let out = text;
  const n = 1 + Math.floor(random() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(random() * (out.length + 1));
    const kind = Math.floor(random() * 4);
    if (kind === 0)
      out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 8)); // delete
    else if (kind === 1)
      out = out.slice(0, at) + (tokens[Math.floor(random() * tokens.length)] ?? '') + out.slice(at); // insert token
    else if (kind === 2) {
      const b = Math.floor(random() * out.length);
      out = out.slice(0, Math.min(at, b)) + out.slice(Math.max(at, b)) + out.slice(Math.min(at, b), Math.max(at, b));
    } // swap
    else out = out.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x3000)) + out.slice(at); // random char
  }
  return out;
}
