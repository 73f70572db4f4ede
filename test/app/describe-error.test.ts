import { describeError, errorMessage } from '../../src/describe-error';

describe('describing whatever was thrown', () => {
  it('says a rejection without a value carried no reason, instead of failing on it', () => {
    expect(describeError(undefined)).toMatch(/no reason/);
    expect(describeError(null)).toMatch(/no reason/);
    expect(errorMessage(undefined)).toMatch(/no reason/);
  });

  it('gives an Error with its stack, code and cause, and a string or another value as it is', () => {
    const error = Object.assign(new Error('outer', { cause: new Error('inner') }), { code: 'E_OUTER' });
    const described = describeError(error);
    for (const part of ['outer', 'inner', 'E_OUTER', 'describe-error.test']) expect(described).toContain(part);
    expect(describeError('plain words')).toBe('plain words');
    expect(describeError({ status: 503 })).toContain('503');
  });

  it('gives each refusal of an AggregateError (every address of a host refused), whose own message is empty', () => {
    const refused = new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], '');
    Object.assign(refused, { code: 'ECONNREFUSED' });
    expect(describeError(refused)).toContain('::1:5432');
    expect(errorMessage(refused)).toBe('ECONNREFUSED');
  });
});
