import { CliUsageError, runCli } from './run-cli.js';

// Entry point of the `switchyard-mock` bin: start, print the URL, close on SIGINT / SIGTERM.
try {
  const mock = await runCli(process.argv.slice(2));
  if (mock !== undefined) {
    const stop = (): void => {
      mock.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
} catch (error) {
  process.stderr.write(`switchyard-mock: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof CliUsageError ? 2 : 1;
}
