// Errors a command throws to stop with exit 2 and a short message (no stack trace). A module of its
// own so the entry point can catch them without loading any command's dependencies.

/** Bad flags or arguments: the message, then a pointer to --help. */
export class UsageError extends Error {}

/** The report could not be written where asked (--output into a path that cannot be made). */
export class OutputError extends Error {}
