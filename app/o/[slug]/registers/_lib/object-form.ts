// The form generated from a register schema: its flat properties (text, numbers, yes/no, a choice of
// values) become fields; anything nested is edited in the JSON editor beside it. Pure, so the form
// and the JSON editor stay one draft.

export type FormFieldKind = 'text' | 'number' | 'integer' | 'boolean' | 'choice';

export interface FormField {
  readonly name: string;
  readonly kind: FormFieldKind;
  readonly label: string;
  readonly required: boolean;
  readonly description?: string;
  /** For a choice: the allowed values (JSON Schema `enum`). */
  readonly options?: readonly (string | number | boolean)[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The one type of a property, ignoring `null` in a list of types (`["string", "null"]`). */
function typeOf(property: Record<string, unknown>): string | null {
  const type = property.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const types = type.filter((t) => t !== 'null');
    return types.length === 1 && typeof types[0] === 'string' ? types[0] : null;
  }
  return null;
}

const KINDS: Record<string, FormFieldKind> = {
  string: 'text',
  number: 'number',
  integer: 'integer',
  boolean: 'boolean',
};

/** The schema's top-level properties the form can show, in the schema's order. */
export function formFields(jsonSchema: Record<string, unknown>): FormField[] {
  const properties = isRecord(jsonSchema.properties) ? jsonSchema.properties : {};
  const required = new Set(Array.isArray(jsonSchema.required) ? jsonSchema.required : []);
  const fields: FormField[] = [];
  for (const [name, value] of Object.entries(properties)) {
    if (!isRecord(value)) continue;
    const base = {
      name,
      label: typeof value.title === 'string' ? value.title : name,
      required: required.has(name),
      ...(typeof value.description === 'string' ? { description: value.description } : {}),
    };
    const options = Array.isArray(value.enum)
      ? value.enum.filter((v): v is string | number | boolean =>
          ['string', 'number', 'boolean'].includes(typeof v),
        )
      : null;
    if (options && options.length > 0) {
      fields.push({ ...base, kind: 'choice', options });
      continue;
    }
    const kind = KINDS[typeOf(value) ?? ''];
    if (kind) fields.push({ ...base, kind });
  }
  return fields;
}

/** The text a field shows for a value; a value the field cannot show as it is reads as its JSON. */
export function fieldText(field: FormField, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.kind === 'choice') return JSON.stringify(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * The value a field's text stands for: `undefined` removes the property (an empty field). A number
 * that does not parse stays text, so the server names the problem at the field instead of losing it.
 */
export function fieldValue(field: FormField, text: string): unknown {
  if (text === '') return undefined;
  switch (field.kind) {
    case 'text':
      return text;
    case 'boolean':
      return text === 'true';
    case 'choice':
      return JSON.parse(text) as unknown;
    case 'number':
    case 'integer': {
      const n = Number(text.trim());
      return text.trim() !== '' && Number.isFinite(n) ? n : text;
    }
  }
}

/** `data` with one property set (or removed, for `undefined`), keeping the order of the others. */
export function withField(
  data: Record<string, unknown>,
  name: string,
  value: unknown,
): Record<string, unknown> {
  const next = { ...data };
  if (value === undefined) delete next[name];
  else next[name] = value;
  return next;
}

/** Properties of the object the form does not show: edited in the JSON editor. */
export function otherProperties(data: Record<string, unknown>, fields: readonly FormField[]): string[] {
  const shown = new Set(fields.map((f) => f.name));
  return Object.keys(data).filter((key) => !shown.has(key));
}
