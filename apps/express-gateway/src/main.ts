import { ConfigError } from '@switchyard/core';
import { resolveAdminKey } from './admin-key.js';
import { createLogger } from './create-logger.js';
import { resolveAddress, resolveMetrics, resolveStartup } from './resolve-startup.js';
import { startBanner } from './start-banner.js';
import { startGateway } from './start-gateway.js';
import { startTelemetry } from './start-telemetry.js';

// Environment → configuration → gateway; SIGINT / SIGTERM stop it gracefully.
const logger = createLogger();

async function main(): Promise<void> {
  const { port, host } = resolveAddress(process.env);
  // Before the router: its GenAI instruments bind to the meter provider registered when it is made.
  const telemetry = await startTelemetry(process.env);
  const startup = await resolveStartup(process.env);
  const admin = resolveAdminKey(startup.config, process.env);
  const metrics = resolveMetrics(process.env);
  const gateway = await startGateway({
    config: startup.config,
    logger,
    port,
    host,
    summarizeModel: startup.summarizeModel,
    ...(startup.catalog ? { catalog: startup.catalog } : {}),
    ...(admin === undefined ? {} : { adminKey: admin.key, adminKeySource: admin.source }),
    metrics,
    telemetry: { captureMessageContent: telemetry.captureMessageContent },
  });
  process.stdout.write(
    startBanner({
      url: gateway.url,
      description: startup.description,
      key: startup.snippetKey,
      model: startup.snippetModel,
      open: gateway.open,
      models: gateway.router.describe().map((entry) => entry.id),
      ...(admin === undefined ? {} : { adminKeySource: admin.source }),
    }),
  );
  if (gateway.open) logger.warn({ url: gateway.url }, 'gateway is open: no keys configured');
  for (const warning of gateway.router.warnings) logger.warn({ config: warning }, 'money rules do not apply');
  if (admin !== undefined) {
    logger.info(
      {
        dashboard: `${gateway.url}/dashboard/`,
        paths: ['/admin/spend', '/admin/requests', '/admin/routes', '/admin/ledger'],
      },
      `admin endpoints and the dashboard on, behind the admin key (${admin.source})`,
    );
  }
  if (metrics) logger.info({ path: '/metrics', admin: admin !== undefined }, 'Prometheus metrics on');
  if (telemetry.enabled) logger.info('OpenTelemetry SDK started: spans and GenAI metrics exported over OTLP');
  logger.info({ url: gateway.url, source: startup.source }, 'listening');

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    void gateway
      .close()
      .then(() => startup.close())
      .then(() =>
        // A collector gone by now loses the last export; the gateway still stops cleanly.
        telemetry.shutdown().catch((error: unknown) => {
          logger.warn({ error: (error as Error).message }, 'OpenTelemetry SDK did not flush on shutdown');
        }),
      )
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`could not start the gateway: ${(error as Error).message}\n`);
  }
  process.exit(1);
});
