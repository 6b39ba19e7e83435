// The JSON report follows the design's contract key for key; the SARIF report is valid SARIF
// 2.1.0, checked against the official schema (shipped by @microsoft/jest-sarif) with ajv.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { reviewToJson } from '../../../server/report/json';
import { reviewToSarif } from '../../../server/report/sarif';
import { sampleReview } from './sample-review';

const require = createRequire(__filename);

function sarifValidator() {
  const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  // The official schema has one pattern that is not a valid `u`-flag regular expression.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

test('JSON: the contract\'s keys with their types; extras are stable', () => {
  const j = reviewToJson(sampleReview()) as any;
  assert.deepEqual(Object.keys(j), ['patches', 'changes', 'impacts', 'races', 'warnings']);
  assert.deepEqual(j.patches[0], { subject: 'VFS: fix dio write returning EIO when try_to_release_page fails', files: ['mm/truncate.c'], author: 'A. Writer <a@example.org>' });
  assert.deepEqual(j.changes[1], { file: 'mm/truncate.c', function: 'invalidate_inode_pages2_range', kind: 'assign', old: ['-EIO'], new: ['-EBUSY'], patchLine: 65, line: 443, patch: 0, functionFrom: 'tree' });
  const impact = j.impacts[0];
  assert.deepEqual(Object.keys(impact), ['function', 'file', 'returnsBefore', 'returnsAfter', 'callers']);
  for (const key of ['function', 'file', 'line', 'use', 'verdict', 'depth', 'via', 'userVisible']) assert.ok(key in impact.callers[0], key);
  assert.equal(impact.callers[1].userVisible, 'write(2): EIO -> EBUSY');
  assert.equal(impact.callers[0].via, null);
  assert.deepEqual(j.warnings, [{ patchLine: 52, message: 'an example warning' }, { message: 'a warning without a line' }]);
  assert.deepEqual(JSON.parse(JSON.stringify(j)), j, 'plain JSON values only');
});

test('SARIF: valid 2.1.0, one result per change and per caller whose behaviour or value changes', () => {
  const log = reviewToSarif(sampleReview(), { treeRoot: '/src/linux', patchUri: 'patches/fix.patch' });
  const validate = sarifValidator();
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 1));
  const results = log.runs[0].results!;
  assert.deepEqual(results.map((r) => r.ruleId), ['errno-change', 'errno-change', 'caller-value-change', 'caller-value-change', 'caller-value-change', 'caller-behaviour-change']);
  const first = results[0];
  assert.deepEqual(first.locations![0].physicalLocation, { artifactLocation: { uri: 'mm/truncate.c', uriBaseId: 'TREEROOT' }, region: { startLine: 383 } });
  assert.deepEqual(first.relatedLocations![0].physicalLocation!.region, { startLine: 56 });
  assert.equal(first.relatedLocations![0].physicalLocation!.artifactLocation!.uri, 'patches/fix.patch');
  assert.equal(log.runs[0].originalUriBaseIds!.TREEROOT.uri, 'file:///src/linux/');
  assert.equal(results[5].level, 'warning');
  assert.match(results[3].message.text!, /user space sees write\(2\): EIO -> EBUSY/);
  assert.equal(log.runs[0].invocations![0].toolExecutionNotifications!.length, 2);
});

test('SARIF without a tree or patch path is still valid; the validator does reject broken logs', () => {
  const validate = sarifValidator();
  const bare = reviewToSarif({ ...sampleReview(), impacts: [] });
  assert.ok(validate(bare), JSON.stringify(validate.errors));
  assert.equal(bare.runs[0].results!.length, 2);
  const broken = JSON.parse(JSON.stringify(bare));
  broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
  assert.equal(validate(broken), false);
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: {} }] }), false);
});
