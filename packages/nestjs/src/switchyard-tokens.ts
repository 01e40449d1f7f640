/**
 * Injection token of the core `Router` the module built; inject it with `@InjectSwitchyard()`.
 * @example constructor(@InjectSwitchyard() private readonly router: Router) {}
 */
export const SWITCHYARD_ROUTER = Symbol.for('switchyard.nestjs.router');

/** Injection token of the module's resolved state (internal). */
export const SWITCHYARD_STATE = Symbol.for('switchyard.nestjs.state');
