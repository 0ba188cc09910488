// The parser's conformance corpus, in the manner of ruff's inline parser tests: `ok` cases are
// valid Python (2.7 or 3.x) and must parse without a problem, to the tree tree-sitter-python
// gives unless `differs` names the deliberate difference (docs/parser.md); `err` cases are
// input Python rejects and must yield problems, a tree, and the statements after them.

export interface CorpusCase {
  readonly name: string;
  readonly source: string;
  /** The known difference from tree-sitter, for ok cases where we follow CPython instead. */
  readonly differs?: string;
  /** Why tree-sitter rejects this valid Python (the tree is then ours alone; docs/parser.md). */
  readonly treeSitterFails?: string;
}

export const okCases: readonly CorpusCase[] = [
  {
    name: 'py2-print',
    source:
      'print "x"\nprint >>f, x\nprint x,\nprint\nprint(x)\nprint (x), y\nprint -1\nprint not x\nprint x % (a, b), y\n',
  },
  { name: 'py2-print-list', source: 'print [a for a in b]\nprint [1, 2]\n', differs: 'print [' },
  { name: 'py2-exec', source: 'exec "code" in ns\nexec code\nexec(c)\nexec code in a, b\n' },
  {
    name: 'py2-exec-expression',
    source: "exec compile(src, name, 'exec') in ns\nexec self.code in g, l\nexec 'x = %d' % n\n",
    treeSitterFails: 'it takes only a string or a name after exec',
  },
  { name: 'py2-backticks', source: 'x = `a + b`\ny = `a`, `b`\nz = `a, b`\n', differs: 'backticks' },
  {
    name: 'py2-literals',
    source: 'x = 0777 + 0L + 0xffL + 10l\ny = ur"abc" + UR\'d\' + b"e" + u"f"\nif a <> b: pass\n',
  },
  { name: 'py2-except-comma', source: 'try:\n    pass\nexcept X, e:\n    pass\nexcept (A, B), e:\n    pass\n' },
  {
    name: 'py2-raise-and-tuple-parameters',
    source: 'raise E, "msg"\nraise E, V, T\ndef h(a, (b, (c, d)), e=(1, 2)): pass\nf = lambda (a, b): a\n',
  },
  {
    name: 'py3-async',
    source:
      'async def f():\n    await x\n    async for a in b:\n        pass\n    async with c as d:\n        pass\n    return [i async for i in g()]\n',
  },
  { name: 'walrus', source: 'if (n := 10) > 5: pass\nwhile chunk := f.read(): pass\n[y := f(x), y ** 2]\nf(a := 1)\n' },
  {
    name: 'match-statement',
    source:
      'match command.split():\n    case [action]:\n        pass\n    case [action, obj]:\n        pass\n    case Point(x=0, y=-1) as p if p:\n        pass\n    case {"k": 1, **rest}:\n        pass\n    case -1 | 1 + 2j | "s" "t" | None | True:\n        pass\n    case A.B.C | (a, b) | [*_]:\n        pass\n    case _:\n        pass\n',
  },
  {
    name: 'soft-keywords-as-names',
    source:
      'match = 1\nmatch.x = 2\nmatch(x)\nmatch[0] = 3\ntype = 3\ntype(x)\nprint = 4\ncase = 5\nexec = 6\nasync = 7\nawait = 8\n',
  },
  {
    name: 'pep695-type-statements',
    source:
      'type X = int\ntype Y[T: int, *Ts, **P] = list[T]\ntype Z[T: (int, str)] = T\ndef f[T](x: T) -> T: pass\nclass C[T: int](Base): pass\n',
  },
  {
    name: 'annotations',
    source:
      'x: List[int] = []\ny: int | None\nz: List[int] | Dict[str, int] | None\nw: Callable[..., int]\nv: a.b.C = 1\nu: "str"\ndef f(a: int = 1, *args: str, **kw: T) -> Dict[str, int]: ...\n',
  },
  {
    name: 'f-strings',
    source:
      'f"a{b!r:>{w}.{p}f} {c=} {{d}} {e:%Y-%m}"\nf"{x["a"]}" f\'{f"{y}"}\'\nf"""\n{a\n+b}"""\nf"{a, b}" f"{ a }" f"{a:}" rf"\\d{x}" fr\'\\{y}\'\n',
  },
  { name: 'f-string-walrus-spec', source: "f'{x:=10}'\n", differs: 'f-string spec' },
  {
    name: 'decorators',
    source:
      '@decorator\n@a.b(c)\n@x[0].y\n@(lambda f: f)\nclass A: pass\n@d  # comment\ndef g(): pass\n@e\nasync def h(): pass\n',
  },
  {
    name: 'assignments',
    source:
      'a, *b = c\n[x, y] = z\n(a), (b, c) = d\nx: int\nx += 1\na = b = c\na = yield\na = yield from b\nx.y[0] = 1\n',
  },
  {
    name: 'star-unpacking',
    source:
      'x = {**a, "b": 1}\ny = [*a, *b]\nz = (*a, *b)\nf(*a, **b, c=1)\nfor *x, y in z: pass\nprint(*args, sep="")\n',
  },
  { name: 'star-binds-primary', source: 'x = *a.b, *c()\n', differs: 'star' },
  { name: 'lambdas', source: 'f = lambda: 0\ng = lambda x, *y, **z: x\nh = lambda x=1, *, y: x if y else lambda: 0\n' },
  {
    name: 'comprehensions',
    source:
      'x = [i for i in range(10) if i if i % 2]\ny = {k: v for k, v in d.items()}\nz = {a for a in b}\ng = (x for x in y)\nf(x for x in y)\n[x for x in a, b]\n',
  },
  { name: 'subscripts-and-slices', source: 'x[1:2, ::3, ...]\nx[:]\nx[a:b:c]\nx[*a]\nx[a, b]\n' },
  {
    name: 'imports',
    source:
      'from . import x\nfrom .. import (a, b as c,)\nfrom ...a.b import *\nfrom __future__ import (division, print_function)\nimport a.b as c, d\n',
  },
  {
    name: 'simple-statements',
    source:
      'global a, b\ndel a, b[0]\nassert x, "msg"\nreturn\nreturn 1, 2\nreturn 1,\nraise\nraise X from e\nx = 1; y = 2;\nif a: b; c\n',
  },
  {
    name: 'with-statements',
    source:
      'with a as (b, c), d: pass\nwith (yield): pass\nwith (a, b) as c: pass\nwith (a as b, c as d,): pass\nwith (a): pass\n',
  },
  {
    name: 'loops-and-try',
    source:
      'while x:\n    pass\nelse:\n    pass\nfor x in y:\n    continue\nelse:\n    break\ntry:\n    pass\nexcept* ValueError as e:\n    pass\nelse:\n    pass\nfinally:\n    pass\n',
  },
  {
    name: 'operators',
    source:
      'x = 1 if y else 2 if z else 3\nnot a == b\na and b or c and not d\na < b <= c != d is not e not in f in g is h\nx = -a ** -b\ny = ~a + +b\nz = a | b ^ c | d << e >> f + g - h * i / j // k % l @ m\n',
  },
  { name: 'bitwise-and-xor', source: 'x = a & b ^ c\n', differs: 'precedence' },
  { name: 'await-power', source: 'async def f():\n    return await x ** 2\n', differs: 'await' },
  {
    name: 'strings',
    source:
      's = "a" "b" \'c\'\nt = """doc\n  string"""\nu = b\'x\' rb"y" Rb\'z\' BR"w"\nv = \'\'\'a\'b\'\'\'\nw = "\\\\" "\\"" \'\\\n\'\n',
  },
  { name: 'line-continuations', source: 'x = \\\n    1\ny = (1 +\n     2)\nif a and \\\n   b:\n    pass\n' },
  { name: 'tabs', source: 'if x:\n\tif y:\n\t\tpass\n\telse:\n\t\tpass\n' },
  {
    name: 'comments-in-blocks',
    source:
      'class A:\n    def f(self):\n        pass\n        # deep\n    # mid\n# top\n\ndef g():\n    x = 1  # same line\n\n    # trailing\n\n',
  },
  {
    name: 'classes',
    source:
      'class A(B, metaclass=M):\n    x = 1\n\n    def f(self):\n        """doc"""\n        return self.x\nclass C(): pass\n',
  },
  {
    name: 'parameters',
    source:
      'def f(a, /, b, *, c): pass\ndef g(*, a, b=1, **kw): return a\ndef h(a, b: int, c=1, d: str = "", *e, f, **g): pass\n',
  },
  { name: 'non-ascii-and-utf16', source: 'é = "ü"; 𝔘 = 1\nx = "😀"; y = x\n' },
  { name: 'crlf-and-bom', source: '\uFEFFimport os\r\nif x:\r\n    y = 1\r\n' },
  { name: 'empty-and-blank', source: '\n\n   \n# only a comment\n' },
];

export const errCases: readonly CorpusCase[] = [
  { name: 'half-typed-attribute', source: 'def f(dom):\n    dom.\n\nafter()\n' },
  { name: 'unclosed-paren', source: 'def f(dom):\n    x = foo(1,\n    return x\n\nafter()\n' },
  { name: 'unclosed-paren-at-end', source: 'x = (1,\n' },
  { name: 'missing-colon', source: 'if x\n    y = 1\nafter()\n' },
  {
    name: 'unexpected-indent',
    source: 'def f(self):\n    x = 1\n      if self._host.has_min_version(V):\n        y = 2\n    z = 3\nafter()\n',
  },
  { name: 'unexpected-indent-at-top', source: 'x = 1\n    y = 2\n        z = 3\nafter()\n' },
  { name: 'unindent-mismatch', source: 'if x:\n        a = 1\n    b = 2\nafter()\n' },
  { name: 'inconsistent-tabs', source: 'if x:\n        a = 1\n\tb = 2\n' },
  { name: 'empty-block', source: 'if x:\nelse:\n    pass\nafter()\n' },
  { name: 'line-break-outside-brackets', source: 'x = dom.\nfoo()\nafter()\n' },
  { name: 'nul-byte', source: 'x = 1\0\nafter()\n' },
  { name: 'lone-carriage-return', source: 'x = 1\ry = 2  # comment\rafter()\n' },
  { name: 'bom-past-start', source: 'x = 1\n\uFEFFy = 2\n' },
  { name: 'unterminated-string', source: 'x = "abc\nafter()\n' },
  { name: 'unterminated-triple-quoted-string', source: "x = 1\ny = '''never\nz = 2\n" },
  { name: 'unterminated-f-string', source: 'x = f"{a\ny = 1\n' },
  { name: 'invalid-characters', source: 'x = a $ b ? c\nafter()\n' },
  { name: 'mismatched-brackets', source: 'x = (1, 2]\nafter()\n' },
  { name: 'orphan-else', source: 'else:\n    pass\nafter()\n' },
  { name: 'bad-assignment-target', source: 'f() = 1\na + b += 2\nafter()\n' },
  { name: 'invalid-string-prefix', source: 'x = bu"a"\n' },
  { name: 'missing-expression', source: 'x = 1 +\ny = (0, 10 or , 2)\nafter()\n' },
];
