/**
 * An error the user can act on: it says what was wrong, where, and what to do.
 * The CLI prints its message without a stack trace and exits with `exitCode`.
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** A config value that breaks a rule: names the field, the value and what is allowed. */
export class ConfigError extends UserError {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`config field '${field}': ${message}`);
    this.name = 'ConfigError';
    this.field = field;
  }
}
