import { runCli } from './run-cli.js';

// Entry point of the `switchyard` bin.
process.exitCode = await runCli(process.argv.slice(2));
