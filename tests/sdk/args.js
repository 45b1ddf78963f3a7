'use strict';
// Command-line arguments of the SDK test scripts: --name value pairs.
function parseArgs(required) {
  const a = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) a[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const k of required) {
    if (a[k] === undefined) {
      console.error(`${process.argv[1]}: --${k} is required`);
      process.exit(2);
    }
  }
  return a;
}

module.exports = { parseArgs };
