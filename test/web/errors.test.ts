import { GraphQLRequestError } from '../../client/client';
import { describeError, problemsOf } from '../../web/src/lib/errors';

const failure = (status: number, ...errors: { message: string; extensions?: Record<string, unknown> }[]) => new GraphQLRequestError(status, errors);

describe('errors in words, next to their field', () => {
  it('puts a BAD_USER_INPUT naming a field of the form under that field', () => {
    const problems = problemsOf(
      failure(200, { message: 'The expiry policy allows at most 30 days', extensions: { code: 'BAD_USER_INPUT', field: 'expirationDate' } }),
      ['name', 'expirationDate'],
    );
    expect(problems).toEqual({ fields: { expirationDate: 'The expiry policy allows at most 30 days.' }, general: [], signedOut: false });
  });

  it('puts an error naming a field the form does not show above the form', () => {
    const problems = problemsOf(failure(200, { message: 'The token is revoked and can no longer be rotated', extensions: { code: 'BAD_USER_INPUT', field: 'id' } }), ['expirationDate']);
    expect(problems.fields).toEqual({});
    expect(problems.general).toEqual(['The token is revoked and can no longer be rotated.']);
  });

  it('joins two errors on one field and keeps one copy of a repeated message', () => {
    const scopes = { message: 'Unknown scope', extensions: { code: 'BAD_USER_INPUT', field: 'scopes' } };
    const forbidden = { message: 'x', extensions: { code: 'FORBIDDEN', requiredPermission: 'ADMIN' } };
    const problems = problemsOf(failure(200, scopes, { ...scopes, message: 'Too many' }, forbidden, forbidden), ['scopes']);
    expect(problems.fields.scopes).toBe('Unknown scope. Too many.');
    expect(problems.general).toEqual(['You are not allowed to do this: it needs the ADMIN permission.']);
  });

  it('signs out on 401 and on UNAUTHENTICATED', () => {
    expect(problemsOf(failure(401, { message: 'The credentials are not valid', extensions: { code: 'UNAUTHENTICATED' } })).signedOut).toBe(true);
    expect(problemsOf(failure(200, { message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } })).signedOut).toBe(true);
    expect(problemsOf(failure(200, { message: 'Not found', extensions: { code: 'NOT_FOUND' } })).signedOut).toBe(false);
  });

  it('says the service cannot be reached when fetch itself failed, and what a bare HTTP status means', () => {
    expect(problemsOf(new TypeError('fetch failed')).general).toEqual(['The service cannot be reached. Check that it is running, then try again.']);
    expect(problemsOf(failure(502)).general[0]).toMatch(/HTTP 502/);
    expect(problemsOf(failure(413)).general[0]).toMatch(/too large/);
  });

  it('never shows JSON or an internal message', () => {
    const internal = describeError({ message: 'duplicate key value violates unique constraint', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(internal).not.toContain('duplicate key');
    for (const code of ['FORBIDDEN', 'NOT_FOUND', 'FEATURE_DISABLED', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'GRAPHQL_VALIDATION_FAILED', 'WHATEVER']) {
      expect(describeError({ message: 'm', extensions: { code, retryAfter: 3 } })).not.toMatch(/[{}]/);
    }
  });

  it('keeps the service\'s words for a refusal without a named permission (the rotation rule)', () => {
    expect(
      describeError({ message: 'Only the owner may rotate a personal access token; revoke it instead', extensions: { code: 'FORBIDDEN' } }),
    ).toBe('You are not allowed to do this: only the owner may rotate a personal access token; revoke it instead.');
  });

  it('says when to retry a rate-limited request', () => {
    expect(describeError({ message: 'Too many', extensions: { code: 'RATE_LIMITED', retryAfter: 12 } })).toBe('Too many requests: try again in 12 s.');
  });
});
