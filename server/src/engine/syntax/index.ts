// The syntax layer's public face: the tree, its kinds and fields, positions, queries and the
// parsing entry. Layers above import from here, never a parser.
export { Field, NodeKind, kindNames } from './nodeKind';
export type { NodeId, Span, SyntaxTree } from './tree';
export { comparePos, LineIndex, indentation } from './lineIndex';
export {
  callArguments,
  calleeName,
  calleeNameNode,
  compactText,
  compoundStatementKinds,
  dottedName,
  earlyExitCondition,
  enclosingStatement,
  operatorText,
  simpleName,
  textIs,
  unparen,
  climbParens,
  climbThrough,
  conditionTester,
} from './queries';
export { linesJoinedLegally } from './statementKinds';
export { loneCarriageReturnMessage } from './tokenizer';
export { initParser, parsePython, ParsedDocument } from './parse';
export { changeBetween, type TextChange } from './reparse';
