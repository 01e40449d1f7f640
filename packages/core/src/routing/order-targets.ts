import type { Random } from '../clock.js';
import type { RequestProfile } from './request-profile.js';
import { cheapestOrder } from './strategies/cheapest-order.js';
import { fastestOrder } from './strategies/fastest-order.js';
import { weightedOrder } from './strategies/weighted-order.js';
import type { RouteTarget, Target } from './target.js';

/**
 * The order in which a route tries its targets for this request. `fallback`, `cascade` and
 * `hedge` keep the configured order; `weighted`, `cheapest` and `fastest` compute one.
 */
export function orderTargets(
  route: RouteTarget,
  context: { profile: RequestProfile; random: Random },
): Target[] {
  switch (route.strategy) {
    case 'weighted':
      return weightedOrder(route.entries, context.random);
    case 'cheapest':
      return cheapestOrder(
        route.entries.map((entry) => entry.target),
        context.profile,
      );
    case 'fastest':
      return fastestOrder(route.entries.map((entry) => entry.target));
    default:
      return route.entries.map((entry) => entry.target);
  }
}
