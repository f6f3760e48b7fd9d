// A REST target's endpoints (a synchronisation's target, a two-way write-back) hold no secret query
// parameter: they are saved and answered as they are, to everyone who may read the synchronisation.
import { addressSecretRefusal, secretParamsInAddress } from '../sync/config/source-secrets';
import type { RestTargetConfig } from '../sync/config/sync-config';
import { InvalidInput } from './field-issues';

/** Refuses each endpoint of `config` with a secret-looking query parameter, at `<prefix>.<its field>`. */
export function refuseSecretsInEndpoints(config: RestTargetConfig, prefix: string) {
  const endpoints: Record<string, string | undefined> = {
    createEndpoint: config.createEndpoint,
    updateEndpoint: config.updateEndpoint,
    deleteEndpoint: config.deleteEndpoint,
    'softDelete.endpoint': config.softDelete.endpoint,
    'batch.createEndpoint': config.batch?.createEndpoint,
    'batch.updateEndpoint': config.batch?.updateEndpoint,
    'match.endpoint': config.match?.endpoint,
  };
  const issues = Object.entries(endpoints).flatMap(([field, endpoint]) =>
    secretParamsInAddress(endpoint).map((name) => ({
      field: `${prefix}.${field}`,
      message: addressSecretRefusal(name, 'synchronisation'),
    })),
  );
  if (issues.length > 0) throw new InvalidInput(issues);
}
