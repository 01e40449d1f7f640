import { formatUsd, type Picodollars } from '@switchyard/core';

/**
 * Formats an exact USD amount for a table: a dollar sign, thousands separators and at least two
 * decimals, never rounded ("$10,550.00", "$27.50", "$0.00002352").
 */
export function formatDollars(amount: Picodollars): string {
  const exact = formatUsd(amount < 0n ? -amount : amount);
  const [whole = '0', fraction = ''] = exact.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${amount < 0n ? '-' : ''}$${grouped}.${fraction.padEnd(2, '0')}`;
}
