// The id field's hint on the form of a synchronisation that keeps contracts: a new id field re-keys them
// as it is saved (services/sync-rekey.ts), and the save says so at the field when one cannot be.
import { formatCount } from '@/app/_lib/format';

/** The saved synchronisation being edited: its source, its id field and how many contracts it keeps. */
export interface SavedIdField {
  sourceId: string;
  idField: string;
  contractsKept: number;
}

/** What the hint adds (a leading space), or null: nothing kept, a new synchronisation, another source. */
export function rekeyHint(saved: SavedIdField | null, sourceId: string, idField: string): string | null {
  if (!saved || saved.contractsKept === 0 || saved.sourceId !== sourceId) return null;
  const n = `${formatCount(saved.contractsKept)} contract${saved.contractsKept === 1 ? '' : 's'}`;
  const from = saved.idField.trim() || 'id';
  return (idField.trim() || 'id') === from
    ? ` Changing it re-keys this synchronisation’s ${n} from the source objects they kept.`
    : ` Saving re-keys this synchronisation’s ${n} from “${from}” to this field, read from the source objects they kept; if one lacks it or two share a value, nothing is saved.`;
}
