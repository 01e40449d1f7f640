import type { BudgetPeriod } from '../config/config-types.js';

/** A calendar-aligned (UTC) window, in epoch milliseconds: [start, end). */
export interface PeriodWindow {
  start: number;
  end: number;
}

/** The UTC calendar window of `period` that contains `now`. */
export function periodWindow(period: BudgetPeriod, now: number): PeriodWindow {
  const date = new Date(now);
  switch (period) {
    case 'minute': {
      const start = now - (now % 60_000);
      return { start, end: start + 60_000 };
    }
    case 'hour': {
      const start = now - (now % 3_600_000);
      return { start, end: start + 3_600_000 };
    }
    case 'day': {
      const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
      return { start, end: start + 86_400_000 };
    }
    case 'month': {
      const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
      return { start, end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) };
    }
  }
}
