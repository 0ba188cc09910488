// The text summary's differential check: a file summarized from its tokens must get the summary
// its tree gives (unit test on fixtures and a sample; scripts/parser-diff.ts on every file).
import { isDeepStrictEqual } from 'node:util';
import { parsePython } from '../../server/src/engine/syntax/index';
import {
  summarizeFile,
  summarizeFromTree,
  tokenSummaryParts,
  type SummaryOptions,
} from '../../server/src/engine/workspace/summarize';

export type SummaryVerdict =
  { readonly kind: 'tokens' | 'tree' | 'syntax-error' } | { readonly kind: 'differs'; readonly detail: string };

/**
 * `tokens`: read from tokens, and equal to the tree's summary; `tree`: the tokens could not
 * tell, so it is the tree's; `syntax-error`: read from tokens, from a text Python rejects (the
 * tree's error recovery may read it otherwise; nothing to compare).
 */
export function compareSummaries(uri: string, text: string, options: SummaryOptions): SummaryVerdict {
  if (!tokenSummaryParts(uri, text, options)) return { kind: 'tree' };
  const tree = parsePython(text);
  if (tree.problems.length) return { kind: 'syntax-error' };
  const fromTokens = summarizeFile(uri, text, options);
  const fromTree = summarizeFromTree(uri, text, options, tree);
  const fields = (Object.keys(fromTree) as (keyof typeof fromTree)[]).filter(
    (k) => !isDeepStrictEqual(fromTokens[k], fromTree[k]),
  );
  if (Object.keys(fromTokens).length !== Object.keys(fromTree).length) fields.push('uri');
  if (!fields.length) return { kind: 'tokens' };
  const show = (v: unknown): string => JSON.stringify(v instanceof Map ? [...v] : v)?.slice(0, 400) ?? 'undefined';
  return {
    kind: 'differs',
    detail: fields.map((k) => `${k}: tokens ${show(fromTokens[k])}\n   tree ${show(fromTree[k])}`).join('\n'),
  };
}
