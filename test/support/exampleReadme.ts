// The bundled examples' READMEs print what the CLI prints: the block a README shows after
// "The CLI prints them as:", and the CLI's text report without its timing, line by line.

/** The fenced block after "The CLI prints them as:". */
export function printedInReadme(readme: string): string[] {
  const start = readme.indexOf('```', readme.indexOf('The CLI prints them as:'));
  const end = readme.indexOf('```', start + 3);
  return readme
    .slice(start + 3, end)
    .trim()
    .split('\n');
}

/** The CLI's text report, its summary without " in 0.12 s". */
export function printedByCli(stdout: string): string[] {
  return stdout
    .trim()
    .replace(/ in \d+\.\d+ s$/, '')
    .split('\n');
}
