// The engine's public surface. The LSP server and the CLI import only from here
// (and from ../config, ../data): the engine knows nothing of either.
export { initParser, parsePython, ParsedDocument } from './parser';
export type { Tree } from './parser';
export { analyzeDocument } from './analyze';
export type { DocumentInput } from './analyze';
export { WorkspaceIndex } from './workspaceIndex';
export { rules, ruleByCode } from './rules/registry';
export type { RuleMeta } from './rules/registry';
export * from './types';
export { applyTextEdits, compatibleFixes } from './textEdits';
export { ruleEnabled } from './analyze';
