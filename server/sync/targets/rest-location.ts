// The id a REST target gave a new object, read from the `Location` header of its 201 Created answer.
// Many APIs answer a create that way — the new object's address in Location, and no body, or a body
// without the id (RFC 9110 §15.3.2). Without it, Concord would not know the id: the create would be
// "may exist", and the object POSTed again once it changed, a second copy at the target. Only a
// Location one path segment below the URL the create was sent to is read (`/people` → `/people/17`):
// any other address (a job's status page, another collection) says nothing certain about the id.
import type { HttpSuccess } from '../http';

/** The id a 201's Location names below the create's URL; null when it names none there. */
export function idFromLocation(http: HttpSuccess): string | null {
  const location = http.headers['location'];
  if (http.status !== 201 || !location || http.redirectedWrite) return null;
  let created: URL;
  let at: URL;
  try {
    created = new URL(http.url);
    at = new URL(location.trim(), created);
  } catch {
    return null;
  }
  if (at.origin !== created.origin) return null;
  const collection = created.pathname.replace(/\/+$/, '');
  const path = at.pathname.replace(/\/+$/, '');
  if (!path.startsWith(`${collection}/`)) return null;
  const segment = path.slice(collection.length + 1);
  if (segment === '' || segment.includes('/')) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
