import { type LedgerEntry, parseUsd } from '@switchyard/core';
import { CliUsageError } from '../cli-usage-error.js';

/** The money fields of an entry, each an exact USD decimal string. */
const MONEY_FIELDS = ['tokenCostUsd', 'feeUsd', 'costUsd'] as const;

/** Checks that a parsed value is a ledger entry `switchyard spend` can sum; names what is wrong. */
function toEntry(value: unknown, where: string): LedgerEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CliUsageError(`${where} is not a ledger entry (an object)`);
  const entry = value as Record<string, unknown>;
  for (const field of [...MONEY_FIELDS, ...(entry.savedUsd === undefined ? [] : ['savedUsd' as const])]) {
    const amount = entry[field];
    try {
      if (typeof amount !== 'string') throw new Error('not a string');
      parseUsd(amount);
    } catch {
      throw new CliUsageError(
        `${where}: ${field} must be a USD decimal string, got ${JSON.stringify(amount)}`,
      );
    }
  }
  for (const field of ['promptTokens', 'completionTokens'] as const) {
    const count = entry[field];
    if (count !== undefined && !(Number.isInteger(count) && (count as number) >= 0))
      throw new CliUsageError(`${where}: ${field} must be a whole number, got ${JSON.stringify(count)}`);
  }
  if (typeof entry.outcome !== 'string') throw new CliUsageError(`${where}: outcome is missing`);
  return { promptTokens: 0, completionTokens: 0, tags: [], ...entry } as unknown as LedgerEntry;
}

/**
 * The entries of a ledger export: the JSON `ledgerToJson` writes (`{ summary, entries }`), a JSON
 * array of entries, or JSON lines (one entry per line, as a log shipper keeps them).
 * @throws CliUsageError naming the entry (or line) that is not one
 */
export function readLedgerEntries(text: string, source: string): LedgerEntry[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    // Not one JSON document: JSON lines.
    return trimmed.split(/\r?\n/).flatMap((line, index) => {
      if (line.trim() === '') return [];
      try {
        return [toEntry(JSON.parse(line), `${source} line ${index + 1}`)];
      } catch (error) {
        if (CliUsageError.isInstance(error)) throw error;
        throw new CliUsageError(`${source} line ${index + 1} is not JSON`);
      }
    });
  }
  const list = Array.isArray(whole) ? whole : (whole as { entries?: unknown } | null)?.entries;
  if (Array.isArray(list)) return list.map((value, index) => toEntry(value, `${source} entry ${index + 1}`));
  return [toEntry(whole, `${source} entry 1`)];
}
