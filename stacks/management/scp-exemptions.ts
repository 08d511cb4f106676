/** What every organization policy of the management stack exempts, and in which partition. */
export interface ScpExemptions {
  readonly partition: string;
  /** The deploy role, which must keep managing what the policies protect. */
  readonly deployRoleName: string;
  /** organizationPolicies.protectLoggingScp.breakGlassRoleArns: roles exempt from every SCP; unset: none. */
  readonly breakGlassRoleArns?: string[];
}
