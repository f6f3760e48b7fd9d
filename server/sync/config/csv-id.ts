// A CSV file source's id column (chosen in its preview, saved on the source) is the id field its
// synchronisations read: saved into their settings and applied again when a run starts, so a column
// chosen later still wins. A column name is a single key, so dots and brackets in it are escaped.
import { escapePath } from '../core/discover';
import { fileSourceConfig } from './source-config';

/** The id field (a mapping path) a CSV source dictates; null when it dictates none. */
export function csvIdField(source: { type: string; config: unknown }): string | null {
  if (source.type !== 'file') return null;
  const parsed = fileSourceConfig.safeParse(source.config);
  if (!parsed.success || parsed.data.format !== 'csv') return null;
  const column = parsed.data.csv.idColumn;
  return column ? escapePath(column) : null;
}
