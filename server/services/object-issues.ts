// A register object's problems with its JSON Schema (ajv's errors) as sentences at form fields: a
// top-level property's problem at `data.<property>`, where the generated form shows it; anything else
// at `data`, the object as a whole.
import type { ErrorObject } from 'ajv';
import type { FieldIssue } from './field-issues';

const sentence = (text: string) => (/[.?!]$/.test(text) ? text : `${text}.`);

/** ajv's errors as sentences at fields: `data.<property>` for a top-level property, else `data`. */
export function objectIssues(errors: readonly ErrorObject[]): FieldIssue[] {
  return errors.map((error) => {
    const path = error.instancePath.split('/').slice(1).map(decodePointer);
    const params = error.params as { missingProperty?: string; additionalProperty?: string };
    if (error.keyword === 'required' && params.missingProperty !== undefined) {
      path.push(params.missingProperty);
      return { field: fieldOf(path), message: `“${path.join('.')}” is required.` };
    }
    if (error.keyword === 'additionalProperties' && params.additionalProperty !== undefined) {
      path.push(params.additionalProperty);
      return { field: fieldOf(path), message: `“${path.join('.')}” is not a field of this schema.` };
    }
    const subject = path.length === 0 ? 'The object' : `“${path.join('.')}”`;
    return { field: fieldOf(path), message: sentence(`${subject} ${error.message ?? 'is not valid'}`) };
  });
}

const decodePointer = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');
const fieldOf = (path: readonly string[]) => (path.length === 0 ? 'data' : `data.${path[0]}`);
