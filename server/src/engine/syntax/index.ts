// The syntax layer's public face: the tree, its kinds and fields, positions, queries and the
// parsing entry. Layers above import from here, never a parser.
export { Field, NodeKind, fieldNames, kindNames } from './nodeKind';
export { ArrayTree, TreeBuilder, type NodeId, type Span, type SyntaxProblem, type SyntaxTree } from './tree';
export { LineIndex, indentation } from './lineIndex';
export {
  ancestorOfKind, callArguments, calleeName, compactText, compoundStatementKinds, dottedName, enclosingStatement,
  isField, isStatementKind, operatorText, simpleName, stringValue, unparen, type CallArguments,
} from './queries';
export { isSimpleStatementKind, linesJoinedLegally } from './statementKinds';
export { loneCarriageReturnMessage } from './tokenizer';
export { initParser, parsePython, ParsedDocument } from './parse';
export { project } from './projection';
