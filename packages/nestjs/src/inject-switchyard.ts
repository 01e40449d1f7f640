import { Inject } from '@nestjs/common';
import { SWITCHYARD_ROUTER } from './switchyard-tokens.js';

/**
 * Injects the module's core `Router` (for what `SwitchyardService` does not wrap: `describe()`,
 * `ledger`, `breakerStates()`). Calls made on it directly do not take the handler's decorators.
 * @example constructor(@InjectSwitchyard() private readonly router: Router) {}
 */
export const InjectSwitchyard = (): ParameterDecorator & PropertyDecorator => Inject(SWITCHYARD_ROUTER);
