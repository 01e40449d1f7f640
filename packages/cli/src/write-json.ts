import type { TextSink } from './cli-command.js';

/** Writes a value as indented JSON and a newline (the `--json` output of every command). */
export function writeJson(sink: TextSink, value: unknown): void {
  sink.write(`${JSON.stringify(value, null, 2)}\n`);
}
