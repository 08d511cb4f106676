/**
 * The test evaluator of CloudWatch filter patterns (__tests__/cloudwatch-filter-pattern.ts, used on the stacks' metric filters)
 * follows the examples of the CloudWatch Logs user guide, "Filter and pattern syntax"
 * (JSON metric filter examples and compound conditions), so that its verdicts on
 * the prompt-attack patterns mean what CloudWatch's documented rules mean.
 */
import { matchesFilterPattern as matches } from '../cloudwatch-filter-pattern';

const EVENT = JSON.stringify({
  eventType: 'UpdateTrail',
  sourceIPAddress: '111.111.111.111',
  arrayKey: ['value', 'another value'],
  objectList: [
    { name: 'a', id: 1 },
    { name: 'b', id: 2 },
  ],
  SomeObject: null,
  ThisFlag: true,
});
const COMPOUND = JSON.stringify({
  user: { id: 1, email: 'John.Stiles@example.com' },
  users: [
    { id: 2, email: 'John.Doe@example.com' },
    { id: 3, email: 'Jane.Doe@example.com' },
  ],
  actions: ['GET', 'PUT', 'DELETE'],
  coordinates: [
    [0, 1, 2],
    [4, 5, 6],
    [7, 8, 9],
  ],
});

test.each([
  ['{ $.eventType = "UpdateTrail" }', EVENT, true],
  ['{ $.sourceIPAddress != 123.123.* }', EVENT, true],
  ['{ $.arrayKey[0] = "value" }', EVENT, true],
  ['{ $.objectList[1].id = 2 }', EVENT, true],
  ['{ $.objectList[5].id = 2 }', EVENT, false],
  ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', COMPOUND, true],
  ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', COMPOUND, false],
  ['{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }', COMPOUND, true],
  ['{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }', COMPOUND, false],
  // A selector that points to an array or object matches neither = nor !=.
  ['{ $.users = 1 }', JSON.stringify({ users: [1, 2, 3] }), false],
  ['{ $.users != 1 }', JSON.stringify({ users: [1, 2, 3] }), false],
  // Property names with "-" are selectors too.
  ['{ $.a-b.c_d = x }', JSON.stringify({ 'a-b': { c_d: 'x' } }), true],
  // A quoted term matches text anywhere in the event, JSON or not.
  ['"ERROR"', '[ERROR] A fatal exception has occurred', true],
  ['"ERROR"', 'all good', false],
])('%s on the user guide example: %s', (pattern, event, expected) => {
  expect(matches(pattern, event)).toBe(expected);
});

test('a JSON pattern never matches an event that is not JSON', () => {
  expect(matches('{ $.a = 1 }', 'a = 1')).toBe(false);
});
