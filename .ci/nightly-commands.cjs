// Prints the shell commands that the workflow's nightly job runs, read from the workflow itself so
// that .ci/run's check of them cannot drift: each 'run' step of job 'nightly' once per entry of its
// matrix, with ${{ matrix.NAME }} replaced by the entry's value, each command followed by a NUL
// (the same command for several runners is printed once).
// Usage: node .ci/nightly-commands.cjs WORKFLOW TOOLS_DIR (TOOLS_DIR holds node_modules/yaml).
// Exits 1, saying why, on anything the check does not model (another kind of matrix, an
// expression other than matrix.NAME, a step's own shell, env or working directory).
"use strict";
const fs = require("node:fs");

const [workflowPath, toolsDir] = process.argv.slice(2);
const YAML = require(require.resolve("yaml", { paths: [toolsDir] }));

function fail(message) {
  console.error(`nightly-commands: ${workflowPath}: ${message}`);
  process.exit(1);
}

const workflow = YAML.parse(fs.readFileSync(workflowPath, "utf8"));
const job = workflow?.jobs?.nightly;
if (!job) fail("no job 'nightly'");
for (const [where, owner] of [["the workflow", workflow], ["job 'nightly'", job]]) {
  if (owner.env || owner.defaults) fail(`${where} sets env or defaults, which the check does not model`);
}
const matrix = job.strategy?.matrix;
if (!matrix || !Array.isArray(matrix.include) || matrix.include.length === 0)
  fail("job 'nightly' has no matrix 'include' list");
const otherKeys = Object.keys(matrix).filter((key) => key !== "include");
if (otherKeys.length) fail(`the matrix has keys the check does not model: ${otherKeys.join(", ")}`);

const steps = (job.steps ?? []).filter((step) => "run" in step);
if (steps.length === 0) fail("job 'nightly' has no 'run' step");
for (const step of steps) {
  for (const key of ["shell", "env", "working-directory"])
    if (key in step) fail(`step '${step.name ?? step.run}' sets '${key}', which the check does not model`);
}

const commands = new Set();
for (const entry of matrix.include) {
  for (const step of steps) {
    const command = String(step.run).replace(/\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}/g, (_, name) => {
      if (!(name in entry)) fail(`matrix entry ${JSON.stringify(entry)} has no '${name}'`);
      return String(entry[name]);
    });
    if (command.includes("${{")) fail(`cannot evaluate the expression in: ${command}`);
    commands.add(command.trim());
  }
}
for (const command of commands) process.stdout.write(command + "\0");
