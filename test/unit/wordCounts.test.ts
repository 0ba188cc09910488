// The CLI hands the analysis the word counts its index summary made of the same text: the
// findings (and their fixes, which count a name's uses) are those of counting again, and the
// counts given are the ones used.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { analyzeDocument, initParser, parsePython } from '../../server/src/engine/api';
import { countWords } from '../../server/src/engine/semantic/fileModel';
import { examplePolicy } from '../support/examplePolicy';
import { fixtureAndExampleFiles } from '../support/pythonFiles';

before(() => initParser());

const files = fixtureAndExampleFiles();

test('word counts given with the text: the same findings and fixes as counting them', () => {
  let findings = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const uri = pathToFileURL(file).href;
    const counted = analyzeDocument({ uri, text }, undefined, examplePolicy).findings;
    const given = analyzeDocument({ uri, text, words: countWords(text) }, undefined, examplePolicy).findings;
    assert.deepEqual(given, counted, file);
    findings += counted.length;
  }
  assert.ok(findings > 100, `${findings} findings`);
});

test('word counts given with the text are the ones the analysis reads', () => {
  let differ = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const uri = pathToFileURL(file).href;
    const counted = analyzeDocument({ uri, text, tree: parsePython(text) }, undefined, examplePolicy).findings;
    const none = analyzeDocument({ uri, text, tree: parsePython(text), words: new Map() }, undefined, examplePolicy);
    if (JSON.stringify(none.findings) !== JSON.stringify(counted)) differ++;
  }
  assert.ok(differ >= 5, 'no file read its word counts');
});
