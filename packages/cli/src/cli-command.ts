/** Where a command writes text: `process.stdout`, `process.stderr`, or anything with `write`. */
export interface TextSink {
  /** Writes text as is (the CLI adds its own newlines). */
  write(text: string): unknown;
}

/** What a command runs with. */
export interface CommandContext {
  /** The arguments after the command's name (`--spend 500 --json`). */
  argv: readonly string[];
  /** Tables, JSON and help go here. */
  stdout: TextSink;
  /** Warnings go here. */
  stderr: TextSink;
  /** Read when a command is given `-` as a file (e.g. `estimate --prompt-file -`). */
  stdin: AsyncIterable<string | Uint8Array>;
  /** Environment variables (secrets such as `SWITCHYARD_ADMIN_KEY` come from here, never from flags). */
  env: Readonly<Record<string, string | undefined>>;
}

/** One `switchyard` command. */
export interface CliCommand {
  /** The words that select it, e.g. `cost fee`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  usage: string;
  /**
   * Runs the command.
   * @returns the exit code (0 success, 1 a negative result such as an invalid config)
   * @throws CliUsageError for a bad flag or value (the CLI prints it and exits 2)
   */
  run(context: CommandContext): Promise<number>;
}
