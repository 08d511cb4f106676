/**
 * The unit tier starts no process: every child_process function fails the test
 * with a pointer to the right tier. A test that needs a process belongs in a
 * `*.cli.test.ts` (the built app and tools) or `*.terraform.test.ts` file.
 */
jest.mock('child_process', () => {
  const refuse = (name) => () => {
    throw new Error(
      `child_process.${name} in a unit test: unit tests start no process; name the file *.cli.test.ts or *.terraform.test.ts`,
    );
  };
  const actual = jest.requireActual('child_process');
  return Object.fromEntries(Object.keys(actual).map((k) => [k, typeof actual[k] === 'function' ? refuse(k) : actual[k]]));
});
