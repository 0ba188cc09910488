// A small seeded generator of Python 2 modules (the driver code of the fixtures' era): print and
// exec statements, backticks, `<>`, `except X, e`, octal and long literals, `ur''` strings,
// `raise E, V`, tuple parameters, nested blocks. Every module it writes is valid Python 2.7.
import { mulberry32 } from './mutate';

export interface Python2Options {
  /** Include backticks (tree-sitter reads them as strings, we as expressions: see docs/parser.md). */
  readonly backticks?: boolean;
}

export function generatePython2(seed: number, statements: number, options: Python2Options = {}): string {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const names = ['dom', 'conn', 'flags', 'xml', 'guest', 'value', 'result', 'info', 'exc'];
  const atoms = (): string =>
    pick([
      pick(names),
      String(Math.floor(random() * 100)),
      '0777',
      '0L',
      '0x1fL',
      '10L',
      '1.5',
      '"text"',
      "u'unicode'",
      "ur'raw %s'",
      "b'bytes'",
      "r'\\d+'",
      'None',
      'True',
      'libvirt.VIR_DOMAIN_AFFECT_LIVE',
      `${pick(names)}.${pick(names)}`,
      `${pick(names)}[0]`,
      `${pick(names)}.XMLDesc(0)`,
      `(${pick(names)}, ${pick(names)})`,
      `[${pick(names)} for ${pick(names)} in ${pick(names)}]`,
      `{'key': ${pick(names)}}`,
      `len(${pick(names)})`,
      `${pick(names)}.has_key('x')`,
      '(lambda (a, b): a + b)',
      ...(options.backticks ? [`\`${pick(names)}\``, `\`${pick(names)} + 1\``] : []),
    ]);
  const expression = (): string =>
    pick([
      atoms(),
      `${atoms()} <> ${atoms()}`,
      `${atoms()} % ${atoms()}`,
      `${atoms()} + ${atoms()}`,
      `not ${atoms()}`,
      `${atoms()} and ${atoms()}`,
      `${atoms()} if ${atoms()} else ${atoms()}`,
      `-${atoms()}`,
      `${atoms()} | ${atoms()}`,
    ]);
  const simple = (): string =>
    pick([
      `print ${expression()}`,
      `print ${expression()}, ${expression()},`,
      `print >>sys.stderr, ${expression()}`,
      'print',
      `print >>f, ${expression()}, ${expression()}`,
      `exec ${pick(['"x = 1"', 'code'])}`,
      `exec code in ${pick(names)}`,
      `exec "pass" in ${pick(names)}, ${pick(names)}`,
      `${pick(names)} = ${expression()}`,
      `${pick(names)} += ${expression()}`,
      `${pick(names)}, ${pick(names)} = ${expression()}, ${expression()}`,
      `raise ValueError, ${expression()}`,
      `raise ${pick(['TypeError', 'exc'])}, "message", tb`,
      `del ${pick(names)}`,
      `assert ${expression()}, "why"`,
      `${pick(names)}.${pick(names)}(${expression()}, ${pick(names)}=${expression()})`,
      'pass',
      `return ${expression()}`,
      `import ${pick(['os', 'sys', 'libvirt', 'os.path as osp'])}`,
      `from ${pick(['nova', '.', '..virt'])} import ${pick(names)}`,
      `global ${pick(names)}`,
    ]);
  const lines: string[] = [];
  const block = (indent: string, count: number, depth: number): void => {
    for (let i = 0; i < count; i++) {
      const r = random();
      if (depth < 3 && r < 0.12) {
        lines.push(`${indent}if ${expression()}:`);
        block(`${indent}    `, 1 + Math.floor(random() * 3), depth + 1);
        if (random() < 0.5) {
          lines.push(`${indent}else:`);
          block(`${indent}    `, 1, depth + 1);
        }
      } else if (depth < 3 && r < 0.2) {
        lines.push(`${indent}try:`);
        block(`${indent}    `, 1 + Math.floor(random() * 2), depth + 1);
        lines.push(
          `${indent}except ${pick(['libvirt.libvirtError', '(ValueError, TypeError)', 'Exception'])}, ${pick(['e', 'exc'])}:`,
        );
        block(`${indent}    `, 1, depth + 1);
      } else if (depth < 3 && r < 0.26) {
        lines.push(`${indent}for ${pick(names)} in ${expression()}:`);
        block(`${indent}    `, 1 + Math.floor(random() * 2), depth + 1);
      } else if (depth < 2 && r < 0.3) {
        lines.push(`${indent}def ${pick(names)}_${i}(self, ${pick(names)}, (a, b), c=${atoms()}, *args, **kw):`);
        block(`${indent}    `, 1 + Math.floor(random() * 3), depth + 1);
      } else {
        lines.push(`${indent}${simple()}`);
      }
    }
  };
  block('', statements, 0);
  return `${lines.join('\n')}\n`;
}
