import type { CliCommand, CommandContext, TextSink } from './cli-command.js';
import { CLI_COMMANDS } from './cli-commands.js';
import { CliUsageError } from './cli-usage-error.js';
import { CLI_VERSION } from './cli-version.js';

/** Options of {@link runCli}: the streams, so tests capture output without spawning a process. */
export interface RunCliOptions {
  /**
   * Tables, JSON and help.
   * @default process.stdout
   */
  stdout?: TextSink;
  /**
   * Errors.
   * @default process.stderr
   */
  stderr?: TextSink;
  /**
   * Read by `--prompt-file -`.
   * @default process.stdin
   */
  stdin?: AsyncIterable<string | Uint8Array>;
  /**
   * Environment variables (`SWITCHYARD_ADMIN_KEY` for `ledger export`).
   * @default process.env
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Exit codes: success, a negative result (an invalid config, a failure), a usage mistake. */
const EXIT = { success: 0, failure: 1, usage: 2 } as const;

/**
 * Runs `switchyard` with the given arguments and returns the exit code: 0 on success, 1 when a
 * command reports a negative result or fails, 2 for an unknown command or a bad flag or value
 * (printed as one line that names the flag).
 *
 * @example const code = await runCli(['cost', 'fee', '--spend', '500', '--json']);
 */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const first = argv[0];
  if (first === undefined) {
    stderr.write(`${mainUsage()}\n`);
    return EXIT.usage;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    return showHelp({ topic: argv.slice(1), stdout, stderr });
  }
  if (first === '--version' || first === '-v') {
    stdout.write(`${CLI_VERSION}\n`);
    return EXIT.success;
  }
  const found = findCommand(argv);
  if (found === undefined) return reportUnknownCommand({ argv, stdout, stderr });
  const context: CommandContext = {
    argv: argv.slice(found.words),
    stdout,
    stderr,
    stdin: options.stdin ?? process.stdin,
    env: options.env ?? process.env,
  };
  try {
    return await found.command.run(context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    stderr.write(`switchyard ${found.command.name}: ${message}\n`);
    return CliUsageError.isInstance(error) ? EXIT.usage : EXIT.failure;
  }
}

/** The command whose name words start `argv`, and how many words it took. */
function findCommand(argv: readonly string[]): { command: CliCommand; words: number } | undefined {
  for (const command of CLI_COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((word, index) => argv[index] === word)) return { command, words: words.length };
  }
  return undefined;
}

/** `switchyard help [command]`, `switchyard --help`, and `switchyard cost --help`. */
function showHelp(input: { topic: readonly string[]; stdout: TextSink; stderr: TextSink }): number {
  if (input.topic.length === 0) {
    input.stdout.write(`${mainUsage()}\n`);
    return EXIT.success;
  }
  const found = findCommand(input.topic);
  if (found !== undefined) {
    input.stdout.write(`${found.command.usage}\n`);
    return EXIT.success;
  }
  const group = groupCommands(input.topic[0] ?? '');
  if (group.length > 0 && input.topic.length === 1) {
    input.stdout.write(`${commandList(group)}\n`);
    return EXIT.success;
  }
  return reportUnknownCommand({ argv: input.topic, stdout: input.stdout, stderr: input.stderr });
}

/** Unknown commands, and a group (`cost`) without or with an unknown subcommand. */
function reportUnknownCommand(input: {
  argv: readonly string[];
  stdout: TextSink;
  stderr: TextSink;
}): number {
  const [first = '', second] = input.argv;
  const group = groupCommands(first);
  if (group.length > 0) {
    if (second === '--help' || second === '-h') {
      input.stdout.write(`${commandList(group)}\n`);
      return EXIT.success;
    }
    const problem = second === undefined ? 'missing subcommand' : `unknown subcommand "${second}"`;
    input.stderr.write(`switchyard ${first}: ${problem}\n\n${commandList(group)}\n`);
    return EXIT.usage;
  }
  input.stderr.write(`switchyard: unknown command "${first}"\n\n${commandList(CLI_COMMANDS)}\n`);
  return EXIT.usage;
}

function groupCommands(word: string): CliCommand[] {
  return CLI_COMMANDS.filter((command) => command.name.startsWith(`${word} `));
}

function commandList(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  switchyard ${command.name.padEnd(width)}  ${command.summary}`);
  return `Commands:\n${lines.join('\n')}\n\nRun "switchyard <command> --help" for its flags.`;
}

function mainUsage(): string {
  return `Usage: switchyard <command> [flags]

Switchyard: call many LLMs through one OpenAI-compatible interface, with routing, fallback and
honest pricing. Every command prints an aligned table, or JSON with --json.

${commandList(CLI_COMMANDS)}
  switchyard --version  print the version`;
}
