/** --plan: the offline terraform plan of the added and changed stacks. */
import * as path from 'path';
import { TerraformSession, findMirror, findTerraform } from '../tools/terraform';
import type { StackReview } from './review';

export async function providerPlan(stacks: StackReview[], _baseDir: string, headDir: string, progress: (m: string) => void): Promise<string | undefined> {
  const terraform = findTerraform();
  if (!terraform) throw new Error('terraform is not on the PATH: --plan needs it');
  if (!findMirror()) progress('No local provider mirror found: terraform init uses the registry.');
  const session = new TerraformSession(terraform);
  try {
    for (const s of stacks.filter((x) => x.status === 'added' || x.status === 'changed')) {
      const plan = await session.plan(path.join(headDir, 'stacks', s.name));
      const n = (a: string) => plan.changes.filter((c) => c.actions.includes(a)).length;
      s.plan = `${n('create')} to add, ${n('update')} to change, ${n('delete')} to destroy (from empty state)`;
    }
  } finally {
    session.dispose();
  }
  return undefined;
}
