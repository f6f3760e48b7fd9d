'use client';
// An SQL database: dialect, where it is, who signs in (the password is a write-only secret), TLS and
// the statement timeout. Synchronisations choose the table or query to read.
import { CheckedField } from '@/app/_components/checked-field';
import { Input, Select } from '@/app/_components/ui';
import type { Draft } from './draft';
import type { SecretsState } from './rest-fields';
import { SecretField } from './secret-field';
import { ClearingNote } from './secret-params';

type Sql = Draft['sql'];
const DEFAULT_PORT: Record<Sql['dialect'], string> = { postgres: '5432', mysql: '3306' };

export function SqlFields(props: { sql: Sql; onChange: (s: Sql) => void; secrets: SecretsState }) {
  const { sql, onChange, secrets } = props;
  const text = (key: 'host' | 'port' | 'database' | 'user', label: string, hint?: string) => (
    <CheckedField name={`config.${key}`} label={label} hint={hint}>
      <Input
        type={key === 'port' ? 'number' : 'text'}
        required
        value={sql[key]}
        placeholder={key === 'port' ? DEFAULT_PORT[sql.dialect] : undefined}
        onChange={(e) => onChange({ ...sql, [key]: e.target.value })}
      />
    </CheckedField>
  );
  // A port left at the other dialect's default follows the dialect.
  const changeDialect = (dialect: Sql['dialect']) => {
    const port =
      sql.port === '' || Object.values(DEFAULT_PORT).includes(sql.port) ? DEFAULT_PORT[dialect] : sql.port;
    onChange({ ...sql, dialect, port });
  };
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        Synchronisations read one table or SELECT query each, in read-only transactions. Those that write here
        — into a table as their target, or back as two-way ones — need a user that may write those tables.
        Give Concord a database user that may do no more than that.
      </p>
      <div className="grid gap-4 sm:grid-cols-2">
        <CheckedField name="config.dialect" label="Dialect">
          <Select
            className="block w-full"
            value={sql.dialect}
            onChange={(e) => changeDialect(e.target.value as Sql['dialect'])}
          >
            <option value="postgres">PostgreSQL</option>
            <option value="mysql">MySQL / MariaDB</option>
          </Select>
        </CheckedField>
        {text(
          'host',
          'Host',
          'A host name or IP address; private addresses only where the installation allows them.',
        )}
        {text('port', 'Port')}
        {text('database', 'Database')}
        {text('user', 'User')}
        <CheckedField
          name="config.timeoutMs"
          label="Statement timeout (seconds)"
          hint="Each query is stopped after this long (1 to 600)."
        >
          <Input
            type="number"
            min={1}
            max={600}
            required
            value={sql.timeoutSeconds}
            onChange={(e) => onChange({ ...sql, timeoutSeconds: e.target.value })}
          />
        </CheckedField>
        <label className="flex items-center gap-2 self-end text-sm text-slate-700">
          <input
            type="checkbox"
            checked={sql.ssl}
            onChange={(e) => onChange({ ...sql, ssl: e.target.checked })}
          />
          Use TLS (SSL), with a certificate valid for the host name
        </label>
      </div>
      <ClearingNote names={secrets.clearing} />
      <SecretField
        name="password"
        label="Password"
        isSet={secrets.set.includes('password')}
        clearing={secrets.clearing.includes('password')}
        change={secrets.changes['password']}
        onChange={(change) => secrets.onChange('password', change)}
      />
    </div>
  );
}
