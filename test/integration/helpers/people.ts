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

/** Ids of the people `directoryWithGaps` leaves without a name (the person schema wants one). */
export const NO_NAME = ['12', '16', '20', '24', '4', '8'];

/** 25 people; 6 without a name (every fourth), 2 without an email (5 and 23): two reasons to refuse. */
export function directoryWithGaps() {
  return people(25).map((person) =>
    person.id % 4 === 0
      ? { ...person, name: '' }
      : person.id === 5 || person.id === 23
        ? { ...person, email: undefined }
        : person,
  );
}
