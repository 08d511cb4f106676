/**
 * What the static review knows about a resource type, from the resource-type
 * contract (lib/resource-types.ts): which changes force a new resource, and
 * whether it holds data or identity. A type without a row is "unclassified": the
 * review cannot tell an update from a replacement, and says so (it fails closed).
 */
import { forcesReplacement, hasContract, isStateful as holdsDataOrIdentity } from '../lib/resource-types';

/** Whether the contract classifies this type. */
export const classified = (type: string): boolean => hasContract(type);

/** Whether a change at `path` (e.g. "model_source[0].copy_from") replaces the resource. */
export const forcesNew = (type: string, path: string): boolean => hasContract(type) && forcesReplacement(type, path);

/** Holds data or identity: true for unclassified types too, so the review fails closed. */
export const isStateful = (type: string): boolean => !hasContract(type) || holdsDataOrIdentity(type);
