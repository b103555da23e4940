import { describe, expect, test } from '@jest/globals';
import { buildJiraFields, checkJiraRules, shapeJiraText } from './jira-fields.js';
import type { JiraFieldMeta } from './jira-field-meta.js';

const meta = (fieldId: string, type: string, extra: Partial<JiraFieldMeta> = {}): JiraFieldMeta => ({
  fieldId, name: extra.name ?? fieldId, required: false, schema: { type, ...(extra.schema ?? {}) }, ...extra,
});
const SEVERITY = meta('customfield_10050', 'option', { name: 'Security Severity', required: true, allowedValues: [{ value: 'Critical' }, { value: 'High' }, { value: 'Medium' }, { value: 'Low' }] });
const COMPONENTS = meta('components', 'array', { name: 'Components', required: true, schema: { type: 'array', items: 'component' }, allowedValues: [{ name: 'SOC' }, { name: 'Network' }] });
const TEXTAREA = meta('customfield_10060', 'string', { schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea' } });

describe('Jira input formats by schema', () => {
  test.each([
    ['text', meta('f', 'string'), 'a\nb', 'cloud', 'a b'],
    ['text cut at 255 with …', meta('f', 'string'), 'x'.repeat(300), 'cloud', `${'x'.repeat(254)}…`],
    ['textarea on Cloud is ADF', TEXTAREA, 'notes', 'cloud', { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'notes' }] }] }],
    ['textarea on Data Center is wiki text', TEXTAREA, 'notes', 'server', 'notes'],
    ['number', meta('f', 'number'), ' 42 ', 'cloud', 42],
    ['date', meta('f', 'date'), '2026-11-28T10:00:00Z', 'cloud', '2026-11-28'],
    ['datetime', meta('f', 'datetime'), '2026-11-28T10:00:00Z', 'cloud', '2026-11-28T10:00:00.000+0000'],
    ['option', SEVERITY, 'Critical', 'cloud', { value: 'Critical' }],
    ['multi-option', meta('f', 'array', { schema: { type: 'array', items: 'option' } }), 'A, B', 'cloud', [{ value: 'A' }, { value: 'B' }]],
    ['cascading option', meta('f', 'option-with-child'), 'EMEA / Paris', 'cloud', { value: 'EMEA', child: { value: 'Paris' } }],
    ['labels', meta('f', 'array', { schema: { type: 'array', items: 'string' } }), 'a b,c', 'cloud', ['a', 'b', 'c']],
    ['components', COMPONENTS, 'SOC, Network', 'cloud', [{ name: 'SOC' }, { name: 'Network' }]],
    ['user on Cloud', meta('f', 'user'), '5b10ac', 'cloud', { accountId: '5b10ac' }],
    ['user on Data Center', meta('f', 'user'), 'jsmith', 'server', { name: 'jsmith' }],
    ['versions', meta('f', 'array', { schema: { type: 'array', items: 'version' } }), '2026.4', 'cloud', [{ name: '2026.4' }]],
  ] as const)('%s', (_what, m, text, deployment, value) => {
    expect(shapeJiraText(text, m, deployment)).toEqual({ value });
  });

  test.each([
    [meta('f', 'number'), 'many', '"many" is not a number'],
    [meta('f', 'date'), 'soon', '"soon" is not a date'],
    [meta('f', 'priority'), 'High', 'fields of type priority take a JSON value in the rule, not text'],
  ])('%j refuses %s', (m, text, problem) => {
    expect(shapeJiraText(text, m, 'cloud')).toEqual({ problem });
  });

  test('an empty rendering leaves the field out', () => {
    expect(shapeJiraText('  ', SEVERITY, 'cloud')).toEqual({ skip: true });
  });
});

describe('rules on a create', () => {
  const screen = new Map([SEVERITY, COMPONENTS, TEXTAREA].map((m) => [m.fieldId, m]));
  const context = { severity: 'HIGH', actor: { name: 'alice' }, mitre: { tactics: [{ name: 'Credential Access' }] } };

  test('templates, maps, JSON values and labels', () => {
    const rules = [
      { field: 'customfield_10050', value: '{{severity}}', map: { CRITICAL: 'Critical', HIGH: 'High' } },
      { field: 'components', value: 'SOC' },
      { field: 'customfield_10060', value: { type: 'doc', version: 1, content: [] } },
      { field: 'labels', value: 'soc {{actor.name}}' },
    ];
    expect(buildJiraFields(rules, context, screen, 'cloud')).toEqual({
      fields: { customfield_10050: { value: 'High' }, components: [{ name: 'SOC' }], customfield_10060: { type: 'doc', version: 1, content: [] } },
      labels: ['soc', 'alice'],
      problems: [],
    });
  });

  test('a rule for a field not on the screen is a problem, not a silent drop', () => {
    expect(buildJiraFields([{ field: 'customfield_1', value: 'x' }], context, screen, 'cloud').problems).toEqual([
      { field: 'customfield_1', message: 'customfield_1 is not on the screen: add it there or remove the rule' },
    ]);
  });
});

describe('checks before the first push', () => {
  const summary = meta('summary', 'string', { required: true, name: 'Summary' });
  const screen = [summary, SEVERITY, COMPONENTS];

  test('required fields without a rule, in Jira\'s own names', () => {
    expect(checkJiraRules([], screen, ['summary', 'description', 'priority', 'labels', 'project', 'issuetype'])).toEqual([
      { field: 'customfield_10050', message: 'Security Severity (customfield_10050) is required: add a rule' },
      { field: 'components', message: 'Components (components) is required: add a rule' },
    ]);
  });

  test('values not allowed, fields not on the screen, paths that do not exist', () => {
    const rules = [
      { field: 'customfield_10050', value: '{{severity}}', map: { CRITICAL: 'Critical', HIGH: 'Severe' } },
      { field: 'components', value: 'SOC, Cloud' },
      { field: 'customfield_99', value: '{{actor.nickname}}' },
    ];
    expect(checkJiraRules(rules, screen, ['summary'])).toEqual([
      { field: 'customfield_10050', message: '"Severe" is not an allowed value of Security Severity (customfield_10050); allowed: Critical, High, Medium, Low' },
      { field: 'components', message: '"Cloud" is not an allowed value of Components (components); allowed: SOC, Network' },
      { field: 'customfield_99', message: 'customfield_99 is not on the create screen: add it there or remove the rule' },
      { field: 'customfield_99', message: 'the rule\'s value "{{actor.nickname}}" is not a field of the incident' },
    ]);
  });
});
