import { describe, expect, test } from '@jest/globals';
import { fieldRulesSchema } from './field-rule.schema.js';
import { buildServiceNowColumns, checkServiceNowRules } from './servicenow-columns.js';

const context = { severity: 'CRITICAL', actor: { name: 'alice' } };

describe('ServiceNow columns', () => {
  test('text columns, references by sys_id or by display value, JSON refused', () => {
    const rules = [
      { field: 'category', value: 'security' },
      { field: 'u_risk_level', value: '{{severity}}' },
      { field: 'caller_id', value: 'RhythmX Integration' },
      { field: 'cmdb_ci', value: '0123456789abcdef0123456789abcdef' },
      { field: 'u_json', value: { a: 1 } },
      { field: 'u_empty', value: '{{campaignId}}' },
    ];
    expect(buildServiceNowColumns(rules, context)).toEqual({
      columns: { category: 'security', u_risk_level: 'CRITICAL', cmdb_ci: '0123456789abcdef0123456789abcdef' },
      lookups: [{ column: 'caller_id', table: 'sys_user', display: 'RhythmX Integration' }],
      problems: [{ field: 'u_json', message: 'u_json is a ServiceNow column: its rule\'s value must be text, a number or true/false' }],
    });
  });

  test('checks against the dictionary: missing columns, mandatory columns, choices', () => {
    const dictionary = [
      { element: 'short_description', mandatory: true },
      { element: 'category', label: 'Category', mandatory: true },
      { element: 'caller_id', label: 'Caller', mandatory: true },
      { element: 'subcategory', mandatory: false },
    ];
    const choices = new Map([['category', ['inquiry', 'software', 'security']]]);
    const rules = [{ field: 'category', value: 'Security' }, { field: 'u_missing', value: 'x' }];
    expect(checkServiceNowRules(rules, dictionary, choices, ['short_description']).problems).toEqual([
      { field: 'caller_id', message: 'Caller (caller_id) is mandatory: add a rule' },
      { field: 'category', message: '"Security" is not a choice of category; choices: inquiry, software, security' },
      { field: 'u_missing', message: 'u_missing is not a column of incident: ServiceNow would silently drop it' },
    ]);
  });

  test('without dictionary access it says what it could not check', () => {
    const result = checkServiceNowRules([{ field: 'category', value: '{{nope}}' }], null, new Map(), []);
    expect(result.unchecked).toMatch(/may not read sys_dictionary/);
    expect(result.problems).toEqual([{ field: 'category', message: 'the rule\'s value "{{nope}}" is not a field of the incident' }]);
  });
});

describe('the rules schema', () => {
  const schema = fieldRulesSchema(['short_description', 'priority']);
  test.each([
    [[{ field: 'priority', value: '1' }], '0.field', '"priority" is set by the bridge itself; it cannot have a rule'],
    [[{ field: 'category', value: 'a' }, { field: 'category', value: 'b' }], '1.field', '"category" has more than one rule'],
    [[{ field: 'bad name', value: 'a' }], '0.field', 'must be a field id or column name such as customfield_10050 or u_risk'],
    [[{ field: 'category', value: 'a', extra: 1 }], '0', 'Unrecognized key: "extra"'],
  ])('%j is refused at %s', (rules, path, message) => {
    const result = schema.safeParse(rules);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path.join('.'), i.message])).toContainEqual([path, message]);
  });
});
