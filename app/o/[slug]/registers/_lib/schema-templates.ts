// Starting points for a new JSON Schema, so nobody has to write one from an empty box.
export interface SchemaTemplate {
  label: string;
  schema: Record<string, unknown>;
}

export const SCHEMA_TEMPLATES: SchemaTemplate[] = [
  {
    label: 'Object with name and email',
    schema: {
      type: 'object',
      required: ['name', 'email'],
      properties: {
        name: { type: 'string', minLength: 1 },
        email: { type: 'string', format: 'email' },
      },
    },
  },
  {
    label: 'Person with address',
    schema: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1 },
        email: { type: 'string', format: 'email' },
        phone: { type: 'string' },
        address: {
          type: 'object',
          properties: {
            street: { type: 'string' },
            postcode: { type: 'string' },
            city: { type: 'string' },
            country: { type: 'string', minLength: 2, maxLength: 2 },
          },
        },
      },
    },
  },
  {
    label: 'Product with price and tags',
    schema: {
      type: 'object',
      required: ['sku', 'title'],
      properties: {
        sku: { type: 'string' },
        title: { type: 'string' },
        price: { type: 'number', minimum: 0 },
        tags: { type: 'array', items: { type: 'string' } },
        active: { type: 'boolean' },
      },
    },
  },
  { label: 'Any object (no rules)', schema: { type: 'object' } },
];

export const pretty = (value: unknown) => JSON.stringify(value, null, 2);
