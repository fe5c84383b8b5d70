#!/usr/bin/env node
// Diffs two CloudFormation templates with @aws-cdk/cloudformation-diff (the library
// behind `cdk diff`) and prints one line per changed resource:
//
//   LOGICALID<TAB>IMPACT
//
// IMPACT is cdk's ResourceImpact in stackshift's spelling: will-update, will-create,
// will-replace, may-replace, will-destroy, will-orphan, will-import, no-change.
// Lines are sorted by logical id. Templates are JSON (*.json) or YAML with
// CloudFormation short-form tags, which are turned into their long forms first,
// since the diff library works on the JSON shape of a template.
//
// Usage: node cdk_diff.mjs OLD NEW
// Exit codes: 0 done, 2 bad input (unreadable file, YAML error, unknown tag).

import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { fullDiff } from '@aws-cdk/cloudformation-diff';

// Short-form tags and their long-form keys. !GetAtt also takes "Resource.Attribute".
const FUNCTIONS = [
  'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'ForEach', 'GetAtt', 'GetAZs', 'If',
  'ImportValue', 'Join', 'Length', 'Not', 'Or', 'Select', 'Split', 'Sub', 'ToJsonString',
  'Transform',
];
const LONG_FORM = { Ref: 'Ref', Condition: 'Condition' };
for (const name of FUNCTIONS) LONG_FORM[name] = `Fn::${name}`;

function longForm(name, value) {
  if (name === 'GetAtt' && typeof value === 'string') {
    // !GetAtt Cluster.Endpoint.Address -> ["Cluster", "Endpoint.Address"]
    const dot = value.indexOf('.');
    value = dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
  }
  return { [LONG_FORM[name]]: value };
}

// One tag per node kind: a scalar (!Ref X), a sequence (!Join [...]) or a mapping.
const customTags = Object.keys(LONG_FORM).flatMap((name) => [
  { tag: `!${name}`, resolve: (text) => longForm(name, text) },
  { tag: `!${name}`, collection: 'seq', resolve: (seq) => longForm(name, seq.toJSON()) },
  { tag: `!${name}`, collection: 'map', resolve: (map) => longForm(name, map.toJSON()) },
]);

function fail(message) {
  process.stderr.write(`cdk_diff: ${message}\n`);
  process.exit(2);
}

function loadTemplate(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    fail(`cannot read '${path}': ${e.message}`);
  }
  if (path.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      fail(`${path}: ${e.message}`);
    }
  }
  const doc = parseDocument(text, { customTags, uniqueKeys: true, prettyErrors: true });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    fail(`${path}: ${problems.map((p) => p.message).join('\n')}`);
  }
  const template = doc.toJS({ maxAliasCount: 1000 });
  if (template === null || typeof template !== 'object' || Array.isArray(template)) {
    fail(`${path}: a template is a mapping at the top level`);
  }
  return template;
}

function main(argv) {
  if (argv.length !== 2) {
    process.stderr.write('usage: node cdk_diff.mjs OLD NEW\n');
    process.exit(2);
  }
  const [oldPath, newPath] = argv;
  const diff = fullDiff(loadTemplate(oldPath), loadTemplate(newPath));
  const lines = [];
  diff.resources.forEachDifference((logicalId, change) => {
    const impact = String(change.changeImpact).toLowerCase().replace(/_/g, '-');
    lines.push(`${logicalId}\t${impact}`);
  });
  lines.sort();
  process.stdout.write(lines.length ? `${lines.join('\n')}\n` : '');
}

main(process.argv.slice(2));
