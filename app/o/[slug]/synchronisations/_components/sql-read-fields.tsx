'use client';
// What a synchronisation reads from an SQL source: a table or one SELECT query (saved as its endpoint),
// the key column pages are ordered and resumed on, and the rows per page.
import { Input, Textarea } from '@/app/_components/ui';
import type { SectionProps } from '../_lib/form-state';
import { FormField } from './form-field';

export function SqlReadFields({ state, set, errorFor }: SectionProps) {
  return (
    <>
      <FormField
        className="md:col-span-2"
        label="Table or query *"
        hint={
          <>
            A table — <code>customers</code>, <code>crm.customers</code>, <code>&quot;Mixed Case&quot;</code>{' '}
            — or one query starting with SELECT or WITH. Each row becomes an object with its columns as
            fields; rows are read a page at a time in a read-only transaction.
          </>
        }
        error={errorFor('sourceEndpoint')}
      >
        <Textarea
          rows={3}
          spellCheck={false}
          required
          value={state.sourceEndpoint}
          placeholder="customers  or  SELECT id, name, email FROM customers WHERE active"
          onChange={(e) => set({ sourceEndpoint: e.target.value })}
        />
      </FormField>
      <FormField
        label="Key column"
        hint="A unique column without empty values to page on, usually the primary key, named as in the rows. Empty: the id field."
        error={errorFor('sourceConfig.sql.keyColumn')}
      >
        <Input
          value={state.sqlKeyColumn}
          placeholder={state.sourceIdField.trim() || 'id'}
          onChange={(e) => set({ sqlKeyColumn: e.target.value })}
        />
      </FormField>
      <FormField
        label="Page size"
        hint="Rows per query (1 to 50,000). Empty: 1,000."
        error={errorFor('sourceConfig.sql.pageSize', 'sourceConfig.sql')}
      >
        <Input
          inputMode="numeric"
          value={state.sqlPageSize}
          placeholder="1000"
          onChange={(e) => set({ sqlPageSize: e.target.value })}
        />
      </FormField>
    </>
  );
}
