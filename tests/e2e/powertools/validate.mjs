// Validates one event against an event schema of Powertools for AWS Lambda (TypeScript):
// @aws-lambda-powertools/parser's zod schemas, installed by tests/e2e/node_ric.cmake.
// An independent check of the event shapes that lambda-emu ships (fixtures/) and produces.
//
// Usage: node validate.mjs NODE_MODULES_DIR SCHEMA_NAME (JSON_FILE | -)
//
//   SCHEMA_NAME  an export of @aws-lambda-powertools/parser/schemas, e.g. SqsSchema
//   JSON_FILE    the event; `-` reads it from standard input
//
// NODE_MODULES_DIR holds the parser and zod (ES modules ignore NODE_PATH, so they are loaded
// with a require() rooted there).
//
// Exit status and output:
//   0  the event passes: prints `ok`
//   1  the event fails (or is not JSON): prints one issue per line, `<path>: <message>`, where
//      <path> is the dotted path of the offending field (`(root)` for the event itself)
//   2  usage error: wrong arguments, an unreadable file, or an unknown schema name (the valid
//      names are listed on stderr)
//   3  the parser (or zod) cannot be loaded from NODE_MODULES_DIR
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const PACKAGE = "@aws-lambda-powertools/parser";

function usage(message) {
  if (message) console.error(message);
  console.error("usage: node validate.mjs NODE_MODULES_DIR SCHEMA_NAME (JSON_FILE | -)");
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.length !== 3) usage(`expected 3 arguments, got ${args.length}`);
const [modules, schemaName, input] = args;

let schemas;
try {
  schemas = createRequire(join(resolve(modules), "noop.js"))(`${PACKAGE}/schemas`);
} catch (e) {
  console.error(`${PACKAGE} is not installed under ${modules}: ${e.message}`);
  process.exit(3);
}

// Every export that is a zod schema (has safeParse) is a valid name.
const names = Object.keys(schemas)
  .filter((k) => schemas[k] && typeof schemas[k].safeParse === "function")
  .sort();
if (!names.includes(schemaName)) {
  usage(`unknown schema '${schemaName}'; ${PACKAGE}/schemas exports: ${names.join(", ")}`);
}

let text;
try {
  text = input === "-" ? readFileSync(0, "utf8") : readFileSync(input, "utf8");
} catch (e) {
  usage(`cannot read ${input === "-" ? "standard input" : input}: ${e.message}`);
}

let event;
try {
  event = JSON.parse(text);
} catch (e) {
  console.log(`(root): not JSON: ${e.message}`);
  process.exit(1);
}

// A path as the dotted field names and [indices] of the offending value.
function pathOf(path) {
  let out = "";
  for (const part of path ?? []) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(root)" : out;
}

// Issues of a union hold the issues of each of its branches: list those too, so that the
// message says what each alternative wanted rather than only "Invalid input".
function* flatten(issues, prefix = []) {
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path ?? [])];
    yield { path, message: issue.message, code: issue.code };
    if (Array.isArray(issue.errors)) {
      for (const [i, branch] of issue.errors.entries()) {
        for (const sub of flatten(branch, path)) {
          yield { ...sub, message: `(union option ${i + 1}) ${sub.message}` };
        }
      }
    }
  }
}

let result;
try {
  result = schemas[schemaName].safeParse(event);
} catch (e) {
  // A transform (base64, gzip, JSON.parse inside a field) that threw instead of adding an issue.
  console.log(`(root): ${schemaName} threw: ${String(e).replace(/\s*\n\s*/g, " ")}`);
  process.exit(1);
}
if (result.success) {
  console.log("ok");
  process.exit(0);
}
for (const issue of flatten(result.error.issues)) {
  console.log(`${pathOf(issue.path)}: ${issue.message.replace(/\s*\n\s*/g, " ")}`);
}
process.exit(1);
