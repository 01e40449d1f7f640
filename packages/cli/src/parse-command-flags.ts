import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliUsageError } from './cli-usage-error.js';

/** The flags every command accepts. */
const COMMON_FLAGS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
} as const;

/** A command's own flags, in `parseArgs`' `options` format. */
export type CommandFlags = NonNullable<ParseArgsConfig['options']>;

/** The `parseArgs` configuration of a command with the given flags. */
interface CommandParseConfig<Flags extends CommandFlags> {
  args: string[];
  options: Flags & typeof COMMON_FLAGS;
  strict: true;
  allowPositionals: true;
}

/** What {@link parseCommandFlags} returns: typed `values` and the `positionals`. */
export type ParsedCommandFlags<Flags extends CommandFlags> = ReturnType<
  typeof parseArgs<CommandParseConfig<Flags>>
>;

/** Input of {@link parseCommandFlags}. */
export interface ParseCommandFlagsOptions<Flags extends CommandFlags> {
  /** The arguments after the command's name. */
  argv: readonly string[];
  /** The command's own flags (`--help`, `-h` and `--json` are added). */
  flags: Flags;
  /**
   * How many positional arguments the command takes.
   * @default 0
   */
  maxPositionals?: number;
}

/**
 * Parses a command's flags strictly with `node:util` `parseArgs`, adding `--help`/`-h` and `--json`.
 * Mistakes become one-line {@link CliUsageError}s that name the flag.
 *
 * @example const { values } = parseCommandFlags({ argv, flags: { fee: { type: 'string' } } });
 */
export function parseCommandFlags<Flags extends CommandFlags>(
  options: ParseCommandFlagsOptions<Flags>,
): ParsedCommandFlags<Flags> {
  let parsed: ParsedCommandFlags<Flags>;
  try {
    parsed = parse(options);
  } catch (error) {
    throw new CliUsageError(describeParseError(error));
  }
  const maxPositionals = options.maxPositionals ?? 0;
  if (parsed.positionals.length > maxPositionals && (parsed.values as { help?: boolean }).help !== true) {
    throw new CliUsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`);
  }
  return parsed;
}

function parse<Flags extends CommandFlags>(
  options: ParseCommandFlagsOptions<Flags>,
): ParsedCommandFlags<Flags> {
  const config: CommandParseConfig<Flags> = {
    args: [...options.argv],
    options: { ...options.flags, ...COMMON_FLAGS },
    strict: true,
    allowPositionals: true,
  };
  return parseArgs(config);
}

/** Turns `parseArgs`' long messages into one line naming the flag. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? 'a flag';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag ${flag}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(message)) return `${flag} takes no value`;
    if (/ambiguous/.test(message))
      return `${flag} needs a value (write ${flag}=-x for one starting with "-")`;
    return `${flag} needs a value`;
  }
  return message.split('\n')[0] ?? message;
}
