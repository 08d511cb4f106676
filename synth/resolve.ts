import {
  DefaultTokenResolver,
  IPostProcessor,
  IResolvable,
  IResolveContext,
  StringConcat,
  TerraformElement,
  TerraformStack,
  Tokenization,
} from 'cdktf';
import { IConstruct } from 'constructs';

/** A stack refers to a resource of another stack, which the synth/ seam does not support. */
export class CrossStackReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CrossStackReferenceError';
  }
}

/**
 * cdktf's DefaultTokenResolver, which also refuses a reference to another stack.
 * cdktf turns such a reference into a remote-state lookup and an output, but only
 * in the preparing resolve pass that SynthStack skips (stack.ts); without the
 * pass cdktf would silently write the other stack's address into this one. So
 * every reference is checked here: cdktf's Reference tokens carry the stack they
 * were made in (`originStack`, cdktf 0.21 lib/tfExpression.js).
 */
class SameStackResolver extends DefaultTokenResolver {
  resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): unknown {
    const origin = (t as { originStack?: TerraformStack }).originStack;
    if (origin) {
      const here = TerraformStack.of(context.scope);
      if (origin !== here)
        throw new CrossStackReferenceError(
          `Stack ${here.node.id} refers to ${String((t as { identifier?: string }).identifier)} of stack ${origin.node.id} (at ${context.scope.node.path}). ` +
            'The stacks of this app must not reference one another: each deploys on its own, in its own account. Pass the value through the config instead.',
        );
    }
    return super.resolveToken(t, context, postProcessor);
  }
}

const RESOLVER = new SameStackResolver(new StringConcat());

/**
 * cdktf's own resolution of `value` (tokens, escapes, undefined removed), as
 * TerraformStack.toTerraform does it, with references to other stacks refused.
 */
export function cdktfResolve(scope: IConstruct, value: unknown): unknown {
  return Tokenization.resolve(value, { scope, preparing: false, resolver: RESOLVER });
}

/** An element's resolved Terraform JSON: block kind (resource, data, provider, ...) -> its content; for a resource, type -> name -> body. */
export interface ElementJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  [kind: string]: unknown;
}

/** cdktfResolve of an element's toTerraform(): JSON of the shape cdktf writes for it. */
export function resolveElement(scope: IConstruct, element: TerraformElement): ElementJson {
  return cdktfResolve(scope, element.toTerraform()) as ElementJson;
}

/** cdktf's pattern for numbers encoded in strings; a string that matches it goes to cdktf. */
// eslint-disable-next-line no-useless-escape -- cdktf's own regular expression, character for character
const NUMBER_TOKEN = /[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)/;

/**
 * A string cdktf might change: every token marker (`${TfToken[`, `#{TfToken[`,
 * `&{TfToken[`) and every escape sequence contains `{`, and encoded numbers match
 * NUMBER_TOKEN. Any other string resolves to itself.
 */
const mayHoldToken = (s: string) => s.includes('{') || NUMBER_TOKEN.test(s);

/**
 * The same result as cdktfResolve(scope, value), faster for the plain JSON that most
 * of a resource's attributes are. cdktf's resolver visits every value with a new
 * resolution context and several regular expressions, which at landing-zone scale
 * was a third of synth time. Here, plain objects, arrays of plain values, booleans,
 * null and strings that cannot hold a token are copied as they are (undefined
 * removed, as cdktf does); everything else (any string that may hold a token or an
 * escape, numbers, arrays holding either, objects with such keys, tokens and other
 * class instances) goes to cdktf itself. The fast path starts only at plain data,
 * where cdktf's own resolution context carries nothing over from the parents, so
 * handing a value to cdktf there resolves it exactly as cdktf would have in place.
 * Tests compare both on token-laden values and on whole synthesized stacks.
 */
export function resolveTerraform(scope: IConstruct, value: unknown): unknown {
  const slow = (v: unknown) => cdktfResolve(scope, v);
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return mayHoldToken(v) ? slow(v) : v;
    if (v === undefined || v === null || typeof v === 'boolean') return v;
    // Numbers may be encoded tokens; functions and deep nesting get cdktf's errors.
    if (typeof v !== 'object' || depth > 100) return slow(v);
    if (Array.isArray(v)) {
      if (v.some((x) => typeof x === 'number' || (typeof x === 'string' && mayHoldToken(x)))) return slow(v);
      const out: unknown[] = [];
      for (const x of v) {
        const r = walk(x, depth + 1);
        if (r !== undefined) out.push(r);
      }
      return out;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) return slow(v);
    const keys = Object.keys(v);
    if (keys.some(mayHoldToken)) return slow(v);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const r = walk((v as Record<string, unknown>)[k], depth + 1);
      if (r !== undefined) out[k] = r;
    }
    return out;
  };
  return walk(value, 0);
}
