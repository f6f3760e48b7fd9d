// The people a REST peer serves in the sync tests, and the mapping of a person into the register.
// Free of test-runner imports, so the Playwright specs share it with the integration tests.

export const PERSON_MAPPING = { mapping: { name: 'name', email: 'email', city: 'address.city' } };

export function people(count: number, from = 1) {
  return Array.from({ length: count }, (_, i) => ({
    id: from + i,
    name: `Person ${from + i}`,
    email: `person${from + i}@example.test`,
    address: { city: i % 2 ? 'Utrecht' : 'Leiden' },
  }));
}
