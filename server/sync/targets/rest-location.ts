// The id a REST target gave a new object when its answer's body does not name it, read from the
// object's address: the `Location` header of a 201 Created (RFC 9110 §15.3.2; many APIs answer a POST
// that way, with no body or one without the id), or the URL a PUT create went to (a PUT makes the object
// at its own URL, and many targets answer it 201 or 204 without a body). Without it Concord would not
// know the id: the create would be "may exist" and never updated, and once the object changed a POST
// would make a second copy at the target.
//
// The address's last path segment is taken only when the update endpoint, given that id, names exactly
// that address: the object's later updates and its deletion then go where the target said it is. Any
// other address (a job's status page, another collection) says nothing certain about the id.
import type { HttpSuccess } from '../http';

/**
 * The id the answer's address names, or null. `method`: the create's method; `updateUrl`: the URL the
 * update endpoint makes of an id for this object (null when it cannot be made).
 */
export function idFromAddress(
  http: HttpSuccess,
  method: string,
  updateUrl: (targetId: string) => URL | null,
): string | null {
  if (http.redirectedWrite) return null;
  const address = addressOf(http, method);
  if (!address) return null;
  const path = trimmed(address.pathname);
  const segment = path.slice(path.lastIndexOf('/') + 1);
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return null;
  }
  if (id === '') return null;
  const update = updateUrl(id);
  return update && update.origin === address.origin && trimmed(update.pathname) === path ? id : null;
}

/** Where the answer says the new object is: a 201's Location, or the URL a PUT was answered at. */
function addressOf(http: HttpSuccess, method: string): URL | null {
  const location = http.headers['location']?.trim();
  try {
    if (http.status === 201 && location) return new URL(location, http.url);
    return method === 'PUT' ? new URL(http.url) : null;
  } catch {
    return null;
  }
}

const trimmed = (path: string) => path.replace(/\/+$/, '');
