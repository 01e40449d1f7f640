import { SetMetadata } from '@nestjs/common';

/** Metadata key of {@link UseRoute}. */
export const USE_ROUTE_METADATA = 'switchyard:use-route';

/** Options of {@link UseRoute}. */
export interface UseRouteOptions {
  /**
   * Use the route even when a call names another model (the handler's code cannot pick a more
   * expensive route than the one declared here).
   * @default false
   */
  override?: boolean;
}

/** What {@link UseRoute} stores. */
export interface UseRouteMetadata {
  route: string;
  override: boolean;
}

/**
 * Declares the route (or alias, or model id) of the LLM calls a handler makes through
 * `SwitchyardService`: calls that name no `model` use it, and with `override` every call does. On
 * a controller it applies to each of its handlers; on a handler it wins over the controller's.
 * @example
 * @Post('summaries')
 * @UseRoute('smart')
 * summarize(@Body() body: { text: string }) {
 *   return this.switchyard.chat({ messages: [{ role: 'user', content: body.text }] });
 * }
 */
export function UseRoute(route: string, options: UseRouteOptions = {}): ClassDecorator & MethodDecorator {
  if (typeof route !== 'string' || route === '') throw new TypeError('@UseRoute(): the route must be a name');
  const metadata: UseRouteMetadata = { route, override: options.override ?? false };
  return SetMetadata(USE_ROUTE_METADATA, metadata);
}
