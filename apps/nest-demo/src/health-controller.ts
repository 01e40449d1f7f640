import { Controller, Get } from '@nestjs/common';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { SwitchyardHealthIndicator } from '@switchyard/nestjs/terminus';

/**
 * `GET /health`: Terminus's answer with the `llm` indicator, each target's breaker state and the
 * budget store's reachability; 503 when a breaker is open.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly switchyard: SwitchyardHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.switchyard.isHealthy('llm')]);
  }
}
