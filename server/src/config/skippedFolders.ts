// Folders no project wants checked or indexed, even without a .gitignore. One list for the
// CLI and the language server, so both see the same tree.
export const skippedFolders: ReadonlySet<string> = new Set([
  '.git',
  '.hg',
  '.svn',
  '.tox',
  '.nox',
  '.venv',
  'venv',
  '.eggs',
  '__pycache__',
  'node_modules',
  '.mypy_cache',
  '.pytest_cache',
]);
