// A run that cannot go on for a reason Concord can name in words (a target's table is missing, a
// privilege is denied, the connection was refused or lost). The run ends in error with that sentence as
// it is — not as an "unexpected error" — and with advice that fits: fix the cause first, or simply run
// it again.
export class ExplainedStop extends Error {
  override name = 'ExplainedStop';

  constructor(
    message: string,
    /** Running it again as it is would stop the same way: the cause must be fixed first. */
    readonly fixFirst: boolean,
  ) {
    super(message);
  }
}
