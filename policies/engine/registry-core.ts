import type { Policy } from '../lib/types.js';

const ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** One registry of policies; an id may be registered once. */
export class PolicyRegistry {
  private readonly byId = new Map<string, Policy>();

  register(policy: Policy): this {
    if (!ID.test(policy.id)) throw new Error(`policy id '${policy.id}' is not kebab-case`);
    if (this.byId.has(policy.id)) throw new Error(`policy id '${policy.id}' is registered twice`);
    if (!/\.$/.test(policy.remediation.trim())) throw new Error(`policy ${policy.id}: remediation must be a sentence ending with a period`);
    this.byId.set(policy.id, policy);
    return this;
  }

  get(id: string): Policy | undefined {
    return this.byId.get(id);
  }

  /** Every policy, sorted by id. */
  all(): Policy[] {
    return [...this.byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
}
