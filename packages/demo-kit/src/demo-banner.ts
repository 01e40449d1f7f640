/** One request the banner shows as a ready-to-paste curl. */
export interface BannerCurl {
  /** Path on the demo, e.g. `/v1/chat/completions`. */
  path: string;
  /** Extra headers besides authorization and content type. */
  headers?: Record<string, string>;
  /** A JSON body; the curl is a POST when given. */
  body?: string;
}

/** Options of {@link demoBanner}. */
export interface DemoBannerOptions {
  /** E.g. `Koa demo`. */
  name: string;
  /** Where the demo listens (a wildcard address is shown as loopback). */
  url: string;
  /** Where its configuration came from. */
  source: string;
  /** The key to show; undefined when the gateway has no keys (it is then open, and the banner says so). */
  key: string | undefined;
  curls: readonly BannerCurl[];
}

/** The start-up text of a demo: its address, a warning when it is open, and curls that work. */
export function demoBanner(options: DemoBannerOptions): string {
  // A wildcard address is not one curl can reach; loopback is.
  const origin = options.url.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, '//127.0.0.1');
  const auth = options.key === undefined ? '' : ` \\\n  -H "authorization: Bearer ${options.key}"`;
  const warning =
    options.key === undefined
      ? '\nWARNING: no gateway keys are configured: the gateway is open to anyone who can reach it.\n'
      : '';
  const curls = options.curls.map((curl) => {
    const headers = Object.entries({
      ...(curl.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...curl.headers,
    })
      .map(([name, value]) => ` \\\n  -H "${name}: ${value}"`)
      .join('');
    const body = curl.body === undefined ? '' : ` \\\n  -d '${curl.body}'`;
    return `curl -s ${origin}${curl.path}${auth}${headers}${body}`;
  });
  return `Switchyard ${options.name} on ${origin} (${options.source})\n${warning}\nTry it:\n\n${curls.join('\n\n')}\n`;
}
