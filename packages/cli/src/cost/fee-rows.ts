import { type Picodollars, percentOf } from '@switchyard/core';

/** One line of `switchyard cost fee`: a monthly token spend, its platform fee and the total. */
export interface FeeRow {
  /** Monthly spend on tokens (model prices carry no markup). */
  spend: Picodollars;
  /** The platform fee on that spend, rounded half up to the picodollar. */
  fee: Picodollars;
  /** `spend + fee`: what the month really costs. */
  total: Picodollars;
}

/** Input of {@link computeFeeRows}. */
export interface FeeRowsOptions {
  /** Monthly token spends, exact. */
  spends: readonly Picodollars[];
  /** The fee as a decimal percent string, e.g. `"5.5"`. */
  feePercent: string;
}

/**
 * The platform fee and total for each monthly spend, in exact decimal maths.
 *
 * @example computeFeeRows({ spends: [parseUsd('500')], feePercent: '5.5' }) // fee 27.5, total 527.5
 */
export function computeFeeRows(options: FeeRowsOptions): FeeRow[] {
  return options.spends.map((spend) => {
    const fee = percentOf(spend, options.feePercent);
    return { spend, fee, total: spend + fee };
  });
}
