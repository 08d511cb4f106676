/** Every model a tenant names is defined in models. */
import type { MatrixCheck } from './check';

export const tenantModels: MatrixCheck = ({ matrix }) => {
  const aliases = (matrix.models ?? []).map((m) => m.alias);
  return (matrix.tenants ?? []).flatMap((t, ti) =>
    (t.models ?? []).flatMap((alias, mi) =>
      aliases.includes(alias)
        ? []
        : [
            {
              path: `tenants[${ti}].models[${mi}]`,
              value: alias,
              allowed: aliases.length
                ? `a model alias defined in models: ${aliases.join(', ')}`
                : 'a model alias defined in models (there are none)',
            },
          ],
    ),
  );
};
