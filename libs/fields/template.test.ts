import { describe, expect, test } from '@jest/globals';
import { pathProblem, renderTemplate, templatePaths } from './template.js';

const context = {
  id: 'INC-1',
  actor: { name: 'alice', type: 'user' },
  mitre: { tactics: [{ id: 'TA0006', name: 'Credential Access' }, { id: 'TA0008', name: 'Lateral Movement' }] },
  blastRadius: { hosts: ['h1', 'h2'] },
  risk: { score: 91 },
  severity: 'CRITICAL',
};

describe('templates', () => {
  test.each([
    ['{{actor.name}} on {{id}}', 'alice on INC-1'],
    ['{{ severity }}', 'CRITICAL'],
    ['{{mitre.tactics}}', 'Credential Access, Lateral Movement'],
    ['{{blastRadius.hosts}}', 'h1, h2'],
    ['{{risk.score}}/100', '91/100'],
    ['[{{campaignId}}]', '[]'],
    ['{{actor.__proto__}}{{actor.constructor}}', ''],
    ['plain text', 'plain text'],
  ])('%s → %s', (template, rendered) => {
    expect(renderTemplate(template, context)).toBe(rendered);
  });

  test.each([
    ['actor.name', null],
    ['mitre.tactics', null],
    ['rules.name', null],
    ['severity', null],
    ['actor.nickname', '"{{actor.nickname}}" is not a field of the incident'],
    ['__proto__', '"{{__proto__}}" is not a path such as {{actor.name}}'],
    ['actor.constructor', '"{{actor.constructor}}" is not a field of the incident'],
    ['rules.0.name', '"{{rules.0.name}}" is not a path such as {{actor.name}}'],
  ])('path %s', (path, problem) => {
    expect(pathProblem(path)).toBe(problem);
  });

  test('an unterminated tag is a problem', () => {
    expect(templatePaths('{{actor.name} x').problems).toEqual(['has a "{{" without its "}}" (or the reverse)']);
    expect(templatePaths('{{a}} and {{b.c}}')).toEqual({ paths: ['a', 'b.c'], problems: [] });
  });
});
