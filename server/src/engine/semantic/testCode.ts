// Test code: modules under a `tests` folder or named like tests, and test functions and
// classes elsewhere. It runs against fakes and expected output, not on a host: the XML it
// writes is no emission, and the version checks it makes test a check function (LVG004).
import type { NodeId } from '../syntax/index';
import type { FileSemantics } from './fileSemantics';

const testModule = /[\\/](tests|testing)[\\/]|[\\/](test_[^\\/]*|[^\\/]*_test|conftest)\.py$/;

/** A module of tests, by its path. */
export function isTestModule(uri: string): boolean {
  return testModule.test(uri);
}

/** A test function, or a method of a test class. */
export function isTestFunction(fn: { readonly name: string; readonly className?: string | undefined }): boolean {
  return /^test(_|[A-Z0-9]|$)/.test(fn.name) || /^Test|Tests?(Case)?$/.test(fn.className ?? '');
}

/** Whether a node is test code: in a test module, or in a test function or a test class's method. */
export function isTestCode(sem: FileSemantics, node: NodeId): boolean {
  if (isTestModule(sem.uri)) return true;
  const fn = sem.functionOf(node);
  return fn !== undefined && isTestFunction(fn);
}
