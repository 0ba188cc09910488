// The engine's public surface. The LSP server and the CLI import only from here
// (and from ../config, ../data): the engine knows nothing of either.
export { changeBetween, initParser, parsePython, ParsedDocument } from './syntax/index';
export type { SyntaxTree } from './syntax/index';
export { analyzeDocument, noAnalysis, ruleEnabled, type AnalyzeOptions } from './analyze';
export { findingsAfterBlankLines, findingsStandAfterEdit } from './triviaEdits';
export { allDefined, movedFinding, movedPlace } from './movedFindings';
export { factsAt } from './flow/hoverFacts';
export { FlowCache } from './flow/flowCache';
export { WorkspaceIndex, SnapshotFacts } from './workspace/workspaceIndex';
export type { FileSummary, IndexSnapshot, SummaryOptions } from './workspace/workspaceIndex';
export { summaryOptionsFor } from './workspace/summarize';
export type { WorkspaceFacts } from './semantic/workspaceFacts';
export { recordingFacts, factsStillHold, type FactQuery } from './workspace/recordingFacts';
export { rules, ruleByCode, ruleDocsUrl } from './rules/registry';
export * from './types';
export { anchorHolds, applyTextEdits, editsTouch } from './textEdits';
export { isDistinctiveMethodName } from './semantic/receivers';
export { adoptWordCounts, DocumentWords } from './semantic/fileModel';
