// A tolerant XML tokenizer over Python string literals as written: `'<disk type="file">'`,
// f-strings, `%`- and `.format` templates, triple-quoted and concatenated literals. It finds
// start tags, their attributes and how they nest, with offsets into the source file; it never
// fails (unclosed tags, placeholders, text that is not XML at all just yield less).

/** The source text of one literal part (prefix and quotes included) and where it starts. */
export interface LiteralPart {
  readonly text: string;
  readonly start: number;
}

interface XmlAttributeToken {
  readonly name: string;
  /** Source offsets of the name. */
  readonly start: number;
  readonly end: number;
  /** The value when it is written out; undefined when a placeholder fills it (`%s`, `{0}`) or none is given. */
  readonly value: string | undefined;
}

export interface XmlElementToken {
  /** The tag name; `undefined` for a name a placeholder writes (`<%s>`): its children cannot be placed. */
  readonly name: string | undefined;
  readonly start: number;
  readonly end: number;
  readonly attributes: readonly XmlAttributeToken[];
  /** Index of the enclosing element in the token list, or -1 at the literal's top level. */
  readonly parent: number;
}

/** The literal's characters as Python reads them (escapes resolved), each with its source offset. */
interface Decoded {
  readonly chars: string;
  readonly offsets: number[];
}

const prefixRe = /^[rRbBuUfF]*/;

function decode(parts: readonly LiteralPart[]): Decoded {
  let chars = '';
  const offsets: number[] = [];
  for (const part of parts) {
    const prefix = prefixRe.exec(part.text)?.[0] ?? '';
    const raw = /[rR]/.test(prefix);
    const rest = part.text.slice(prefix.length);
    const quote = rest.startsWith('"""') || rest.startsWith("'''") ? rest.slice(0, 3) : rest.slice(0, 1);
    if (quote !== '"' && quote !== "'" && quote.length !== 3) continue;
    const from = prefix.length + quote.length;
    const to =
      part.text.endsWith(quote) && part.text.length >= from + quote.length
        ? part.text.length - quote.length
        : part.text.length;
    for (let i = from; i < to; i++) {
      const c = part.text[i] ?? '';
      if (c === '\\' && !raw && i + 1 < to) {
        const next = part.text[i + 1] ?? '';
        // \" and \' are the quote itself; \n, \t and the rest only need to read as "not a name".
        chars += next === '"' || next === "'" || next === '\\' ? next : ' ';
        offsets.push(part.start + i);
        i++;
        continue;
      }
      chars += c;
      offsets.push(part.start + i);
    }
    // Parts meet without a character between them (implicit concatenation).
  }
  return { chars, offsets };
}

const nameStart = /[A-Za-z_]/;
const nameChar = /[\w.:-]/;
const placeholderStart = /[%{]/;

/** Tokenizes the literal's start tags. A text without `<` costs one indexOf. */
export function tokenizeXml(parts: readonly LiteralPart[]): XmlElementToken[] {
  if (!parts.some((p) => p.text.includes('<'))) return [];
  const { chars, offsets } = decode(parts);
  const out: XmlElementToken[] = [];
  /** Open elements, innermost last: indexes into `out`. */
  const stack: number[] = [];
  const n = chars.length;
  const at = (i: number): number => offsets[Math.min(i, offsets.length - 1)] ?? 0;
  const skipTo = (i: number, end: string): number => {
    const k = chars.indexOf(end, i);
    return k < 0 ? n : k + end.length;
  };
  const readName = (i: number): number => {
    let j = i;
    if (j < n && nameStart.test(chars[j] ?? '')) while (j < n && nameChar.test(chars[j] ?? '')) j++;
    return j;
  };
  let i = 0;
  while (i < n) {
    const lt = chars.indexOf('<', i);
    if (lt < 0) break;
    i = lt + 1;
    const next = chars[i] ?? '';
    if (chars.startsWith('!--', i)) {
      i = skipTo(i, '-->');
      continue;
    }
    if (chars.startsWith('![CDATA[', i)) {
      i = skipTo(i, ']]>');
      continue;
    }
    if (next === '?' || next === '!') {
      i = skipTo(i, '>');
      continue;
    }
    if (next === '/') {
      const end = readName(i + 1);
      const name = chars.slice(i + 1, end);
      // Close the innermost element of that name (tolerant of unclosed ones inside it).
      for (let k = stack.length - 1; k >= 0; k--) {
        const el = out[stack[k] ?? -1];
        if (
          el &&
          (el.name === name || (el.name === undefined && (name === '' || placeholderStart.test(chars[i + 1] ?? ''))))
        ) {
          stack.length = k;
          break;
        }
      }
      i = skipTo(i, '>');
      continue;
    }
    let name: string | undefined;
    let nameEnd = readName(i);
    if (nameEnd > i) name = chars.slice(i, nameEnd);
    else if (placeholderStart.test(next)) {
      // `<%s ...>` or `<{tag}>`: an element whose name the template fills in.
      nameEnd = i;
      while (nameEnd < n && !/[\s/>]/.test(chars[nameEnd] ?? '')) nameEnd++;
    } else continue;
    const after = chars[nameEnd] ?? '';
    if (nameEnd < n && !/[\s/>]/.test(after)) continue; // `a<b+c`: not a tag
    const attributes: XmlAttributeToken[] = [];
    let j = nameEnd;
    let selfClosing = false;
    while (j < n) {
      const c = chars[j] ?? '';
      if (/\s/.test(c)) {
        j++;
        continue;
      }
      if (c === '>') {
        j++;
        break;
      }
      if (c === '/' && chars[j + 1] === '>') {
        selfClosing = true;
        j += 2;
        break;
      }
      if (c === '<') break; // a tag left open by the literal: the next one starts here
      const aEnd = readName(j);
      if (aEnd === j) {
        j = placeholderStart.test(c) ? skipPlaceholder(chars, j) : j + 1;
        continue;
      }
      const attrName = chars.slice(j, aEnd);
      let k = aEnd;
      while (k < n && /\s/.test(chars[k] ?? '')) k++;
      let value: string | undefined;
      if (chars[k] === '=') {
        k++;
        while (k < n && /\s/.test(chars[k] ?? '')) k++;
        const q = chars[k] ?? '';
        let text: string;
        if (q === '"' || q === "'") {
          const close = chars.indexOf(q, k + 1);
          text = chars.slice(k + 1, close < 0 ? n : close);
          k = close < 0 ? n : close + 1;
        } else {
          const start = k;
          while (k < n && !/[\s>]/.test(chars[k] ?? '') && !(chars[k] === '/' && chars[k + 1] === '>')) k++;
          text = chars.slice(start, k);
        }
        value = /[%{}]/.test(text) || text === '' ? undefined : text;
      }
      attributes.push({ name: attrName, start: at(j), end: at(aEnd - 1) + 1, value });
      j = k;
    }
    const parent = stack.length ? (stack[stack.length - 1] ?? -1) : -1;
    out.push({ name, start: at(i), end: at(nameEnd - 1) + 1, attributes, parent });
    if (!selfClosing) stack.push(out.length - 1);
    i = j;
  }
  return out;
}

/** Past a `%s`, `%(name)s` or `{...}` placeholder. */
function skipPlaceholder(chars: string, i: number): number {
  if (chars[i] === '{') {
    const close = chars.indexOf('}', i);
    return close < 0 ? chars.length : close + 1;
  }
  const m = /^%(\([^)]*\))?[#0 +-]*\d*(\.\d+)?[a-zA-Z%]?/.exec(chars.slice(i, i + 40));
  return i + Math.max(1, m?.[0].length ?? 1);
}
