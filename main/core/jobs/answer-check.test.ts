/**
 * The window's answers are checked against the prompt they answer: only offered, enabled items and
 * actions; text for inputs; booleans for confirmations; a form's own fields with values of their types and
 * options, nothing added. Dismissing (undefined) always fits.
 */
import { describe, expect, it } from 'vitest';
import { MAX_MAPPING_CHARS, type Prompt } from '../../../preload/contract';
import { answerProblem } from './answer-check';

const ids = { jobId: 'j', promptId: 'p' };
const pick: Prompt = {
  ...ids,
  kind: 'pick',
  title: 'Which?',
  items: [
    { id: 'a', label: 'A' },
    { id: 'b', label: 'B', disabledReason: 'Not here' },
  ],
};
const input: Prompt = { ...ids, kind: 'input', title: 'Name?' };
const confirm: Prompt = { ...ids, kind: 'confirm', title: 'Sure?', message: 'Sure?' };
const report: Prompt = {
  ...ids,
  kind: 'report',
  title: 'Report',
  columns: [],
  rows: [],
  notes: [],
  actions: [{ id: 'start', label: 'Start' }],
};
const mapping: Prompt = {
  ...ids,
  kind: 'mapping',
  title: 'Map',
  source: { dialect: 'postgres', tables: [], types: [], cycles: [] },
  mapping: '{}',
};
const form: Prompt = {
  ...ids,
  kind: 'form',
  title: 'Plan',
  fields: [
    { id: 'name', type: 'text', label: 'Name' },
    { id: 'streams', type: 'number', label: 'Streams' },
    { id: 'verify', type: 'checkbox', label: 'Verify' },
    {
      id: 'policy',
      type: 'select',
      label: 'Policy',
      options: [
        { value: 'stop', label: 'Stop' },
        { value: 'drop', label: 'Drop' },
      ],
    },
  ],
} as Prompt;

describe('answer check', () => {
  it('lets a dismissal through for every kind', () => {
    for (const prompt of [pick, input, confirm, report, mapping, form])
      expect(answerProblem(prompt, undefined)).toBeUndefined();
  });

  it('takes only an offered, enabled item or action', () => {
    expect(answerProblem(pick, 'a')).toBeUndefined();
    expect(answerProblem(pick, 'b')).toBe('That answer is not one of the offered items.');
    expect(answerProblem(pick, 'z')).toBe('That answer is not one of the offered items.');
    expect(answerProblem(report, 'start')).toBeUndefined();
    expect(answerProblem(report, 'delete')).toBe('That answer is not one of the offered actions.');
  });

  it('takes text for an input and a boolean for a confirmation', () => {
    expect(answerProblem(input, 'x')).toBeUndefined();
    expect(answerProblem(input, true)).toBe('An input prompt takes text.');
    expect(answerProblem(confirm, false)).toBeUndefined();
    expect(answerProblem(confirm, 'yes')).toBe('A confirmation takes true or false.');
  });

  it('takes a mapping as text of a bounded length', () => {
    expect(answerProblem(mapping, '{"tables": {}}')).toBeUndefined();
    expect(answerProblem(mapping, 'x'.repeat(MAX_MAPPING_CHARS))).toBeUndefined();
    expect(answerProblem(mapping, 'x'.repeat(MAX_MAPPING_CHARS + 1))).toMatch(
      /^A mapping prompt takes a mapping document \(JSON text of at most [\d,]+ characters\)\.$/,
    );
    expect(answerProblem(mapping, { tables: '' })).toMatch(/^A mapping prompt takes a mapping document/);
  });

  it("takes a form's own fields only, each of its type and among its options", () => {
    expect(answerProblem(form, { name: 'x', streams: 4, verify: true, policy: 'drop' })).toBeUndefined();
    expect(answerProblem(form, { name: 'x' })).toBeUndefined();
    expect(answerProblem(form, 'x')).toBe('A form takes an object of field values.');
    expect(answerProblem(form, { confirm: 'yes' })).toBe('This form has no field "confirm".');
    expect(answerProblem(form, { streams: '4' })).toBe('Field "Streams" takes a number.');
    expect(answerProblem(form, { verify: 'true' })).toBe('Field "Verify" takes a boolean.');
    expect(answerProblem(form, { policy: 'overwrite' })).toBe('Field "Policy" has no option overwrite.');
  });
});
