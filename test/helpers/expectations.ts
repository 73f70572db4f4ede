import { ME } from './operations';
import type { GraphQLResponse, TestService } from './service';

/** The codes of a response's errors, in order. */
export function codes(response: Pick<GraphQLResponse, 'errors'>): string[] {
  return (response.errors ?? []).map((error) => error.extensions.code);
}

/** No root field answered anything: the whole operation was refused. */
function expectNoData(response: GraphQLResponse): void {
  expect(Object.values(response.data ?? {}).filter((value) => value !== null)).toEqual([]);
}

/** Refused as bad input (200, BAD_USER_INPUT, no data), on `field` when one is named. */
export function expectBadInput(response: GraphQLResponse, field?: string | RegExp): void {
  expect(response.status).toBe(200);
  expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  if (field instanceof RegExp) expect(String(response.errors![0].extensions.field)).toMatch(field);
  else if (field !== undefined) expect(response.errors![0].extensions.field).toBe(field);
  expectNoData(response);
}

/** Refused for want of a scope or a permission (200, FORBIDDEN), naming the one required when it is given. */
export function expectForbidden(response: GraphQLResponse, required: { scope?: string; permission?: string } = {}): GraphQLResponse {
  expect({ status: response.status, codes: codes(response) }).toEqual({ status: 200, codes: ['FORBIDDEN'] });
  if (required.scope !== undefined) expect(response.errors![0].extensions.requiredScope).toBe(required.scope);
  if (required.permission !== undefined) expect(response.errors![0].extensions.requiredPermission).toBe(required.permission);
  return response;
}

/** Answered as if the thing did not exist (200, NOT_FOUND). */
export function expectNotFound(response: GraphQLResponse): void {
  expect({ status: response.status, codes: codes(response) }).toEqual({ status: 200, codes: ['NOT_FOUND'] });
}

/** The whole request failed on its credentials: 401, UNAUTHENTICATED, no data, and a Bearer challenge. */
export function expectUnauthenticated(response: GraphQLResponse): void {
  expect(response.status).toBe(401);
  expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  expect(response.data ?? null).toBeNull();
  const challenge = response.headers.get('www-authenticate');
  expect(challenge).toBeTruthy();
  expect(challenge!.toLowerCase()).toContain('bearer');
}

/** The credential is refused as a whole; answers the refusal, to compare it with others. */
export async function expectRefused(service: TestService, authorization: string): Promise<GraphQLResponse> {
  const response = await service.request(ME, {}, authorization);
  expectUnauthenticated(response);
  return response;
}

/** The credential works, and acts for `userId`. */
export async function expectAccepted(service: TestService, authorization: string, userId: string): Promise<void> {
  const response = await service.request(ME, {}, authorization);
  expect({ status: response.status, codes: codes(response) }).toEqual({ status: 200, codes: [] });
  expect(response.data.me.id).toBe(userId);
}
