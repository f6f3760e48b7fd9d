'use client';
// A REST source's fields: base URL, timeout and deadline, the host's request budget, authentication with its fields and secret, default headers
// and query parameters (none that looks secret), and secret headers and query parameters.
import { CheckedField } from '@/app/_components/checked-field';
import { Input, Notice, Select } from '@/app/_components/ui';
import { isSecretParam, isSecretSettingName, MASK } from '@/server/sync/config/source-secrets';
import { AUTH_SECRET, AUTH_TYPES, type AuthType, type Draft } from './draft';
import { KeyValueFields } from './key-value-fields';
import { SecretField, type SecretChange } from './secret-field';
import { ClearingNote, SecretParamsFields } from './secret-params';

const AUTH_LABELS: Record<AuthType, string> = {
  none: 'None',
  apiKey: 'API key',
  bearer: 'Bearer token',
  basic: 'Basic (user name and password)',
  oauth2: 'OAuth2 client credentials',
};

export interface SecretsState {
  set: string[];
  changes: Record<string, SecretChange>;
  onChange: (name: string, change: SecretChange) => void;
  /** Saved secrets that saving drops, the settings now sending them to another address. */
  clearing: string[];
}

interface Props {
  rest: Draft['rest'];
  onChange: (rest: Draft['rest']) => void;
  secrets: SecretsState;
}

export function RestFields({ rest, onChange, secrets }: Props) {
  const auth = rest.auth;
  const setAuth = (change: Partial<Draft['rest']['auth']>) =>
    onChange({ ...rest, auth: { ...auth, ...change } });
  const secret = AUTH_SECRET[auth.type];
  // A value an earlier version kept in the settings is answered masked; saving keeps it, as a secret.
  const masked = [...rest.headers, ...rest.query].some((p) => p.value === MASK && isSecretSettingName(p.key));
  return (
    <div className="space-y-4">
      <div className="grid gap-4 md:grid-cols-[1fr_10rem_10rem]">
        <CheckedField
          name="config.baseUrl"
          label="Base URL"
          hint="Synchronisations add their endpoint to it, e.g. /customers."
        >
          <Input
            type="url"
            required
            placeholder="https://api.example.com/v1"
            value={rest.baseUrl}
            onChange={(e) => onChange({ ...rest, baseUrl: e.target.value })}
          />
        </CheckedField>
        <CheckedField name="config.timeoutMs" label="Timeout (seconds)">
          <Input
            type="number"
            min={1}
            max={300}
            required
            value={rest.timeoutSeconds}
            onChange={(e) => onChange({ ...rest, timeoutSeconds: e.target.value })}
          />
        </CheckedField>
        <CheckedField
          name="config.deadlineMs"
          label="Deadline (seconds)"
          hint="The whole answer must arrive within it."
        >
          <Input
            type="number"
            min={1}
            max={600}
            required
            value={rest.deadlineSeconds}
            onChange={(e) => onChange({ ...rest, deadlineSeconds: e.target.value })}
          />
        </CheckedField>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <CheckedField
          name="config.rateLimit.requestsPerSecond"
          label="Requests per second (optional)"
          hint="One budget for this API's host, shared by every synchronisation that reads or writes it."
        >
          <Input
            type="number"
            min={0.1}
            step="any"
            placeholder="No limit"
            value={rest.requestsPerSecond}
            onChange={(e) => onChange({ ...rest, requestsPerSecond: e.target.value })}
          />
        </CheckedField>
        <CheckedField
          name="config.rateLimit.maxConcurrency"
          label="Requests at once (optional)"
          hint="At most this many requests to the host in flight."
        >
          <Input
            type="number"
            min={1}
            step={1}
            placeholder="No limit"
            value={rest.maxConcurrency}
            onChange={(e) => onChange({ ...rest, maxConcurrency: e.target.value })}
          />
        </CheckedField>
      </div>
      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-sm font-medium text-slate-700">Authentication</legend>
        <CheckedField name="config.auth.type" label="Authentication type">
          <Select
            className="block w-full sm:w-72"
            value={auth.type}
            onChange={(e) => setAuth({ type: e.target.value as AuthType })}
          >
            {AUTH_TYPES.map((t) => (
              <option key={t} value={t}>
                {AUTH_LABELS[t]}
              </option>
            ))}
          </Select>
        </CheckedField>
        {auth.type === 'apiKey' && (
          <div className="grid gap-3 sm:grid-cols-2">
            <CheckedField name="config.auth.in" label="Send the key in">
              <Select
                className="block w-full"
                value={auth.in}
                onChange={(e) => setAuth({ in: e.target.value as 'header' | 'query' })}
              >
                <option value="header">a header</option>
                <option value="query">a query parameter</option>
              </Select>
            </CheckedField>
            <CheckedField
              name="config.auth.name"
              label={auth.in === 'header' ? 'Header name' : 'Parameter name'}
            >
              <Input required value={auth.name} onChange={(e) => setAuth({ name: e.target.value })} />
            </CheckedField>
          </div>
        )}
        {auth.type === 'basic' && (
          <CheckedField name="config.auth.username" label="User name">
            <Input required value={auth.username} onChange={(e) => setAuth({ username: e.target.value })} />
          </CheckedField>
        )}
        {auth.type === 'oauth2' && (
          <div className="grid gap-3 sm:grid-cols-2">
            <CheckedField name="config.auth.tokenUrl" label="Token URL">
              <Input
                type="url"
                required
                value={auth.tokenUrl}
                onChange={(e) => setAuth({ tokenUrl: e.target.value })}
              />
            </CheckedField>
            <CheckedField name="config.auth.clientId" label="Client ID">
              <Input required value={auth.clientId} onChange={(e) => setAuth({ clientId: e.target.value })} />
            </CheckedField>
            <CheckedField name="config.auth.scope" label="Scope (optional)">
              <Input value={auth.scope} onChange={(e) => setAuth({ scope: e.target.value })} />
            </CheckedField>
            <CheckedField name="config.auth.audience" label="Audience (optional)">
              <Input value={auth.audience} onChange={(e) => setAuth({ audience: e.target.value })} />
            </CheckedField>
          </div>
        )}
        <ClearingNote names={secrets.clearing.filter((name) => !isSecretParam(name))} />
        {secret && (
          <SecretField
            name={secret.name}
            label={secret.label}
            isSet={secrets.set.includes(secret.name)}
            clearing={secrets.clearing.includes(secret.name)}
            change={secrets.changes[secret.name]}
            onChange={(change) => secrets.onChange(secret.name, change)}
          />
        )}
      </fieldset>
      <SecretParamsFields
        secrets={secrets}
        rows={rest.newSecrets}
        onRowsChange={(newSecrets) => onChange({ ...rest, newSecrets })}
      />
      {masked && (
        <Notice>
          {MASK} stands for a secret an earlier version kept in these settings. Saving keeps it, moved to the
          encrypted secret headers and query parameters; to change it, remove its row and add it there.
        </Notice>
      )}
      <KeyValueFields
        label="Headers"
        hint="Sent with every request and shown to everyone who may read this source: a name that looks secret (an API key, token, auth, cookie, …) is refused. Put credentials under Authentication or in the secret headers above."
        keyPlaceholder="Header name"
        name="config.headers"
        pairs={rest.headers}
        onChange={(headers) => onChange({ ...rest, headers })}
      />
      <KeyValueFields
        label="Query parameters"
        hint="Added to every request unless the endpoint sets the same parameter."
        keyPlaceholder="Parameter"
        name="config.query"
        pairs={rest.query}
        onChange={(query) => onChange({ ...rest, query })}
      />
    </div>
  );
}
