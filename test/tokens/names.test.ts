import { expectBadInput } from '../helpers/expectations';
import { CREATE_GROUP, CREATE_PAT, CREATE_ZONE, UPDATE_TOKEN } from '../helpers/operations';
import { type Actor, TestService } from '../helpers/service';

/**
 * Names are shown in lists, where two tokens must not look alike while differing, nor a name show
 * reversed: every place a name is stored refuses invisible characters, and keeps the ones that
 * visibly change the text where they do.
 */
let service: TestService;
let admin: Actor;

beforeAll(async () => {
  service = await TestService.start();
  admin = await service.admin();
  await service.setFeature(true);
});
afterAll(() => service?.stop());

const INVISIBLE: [string, string][] = [
  ['a right-to-left override (U+202E)', 'ci\u202Egnp.exe'],
  ['a left-to-right embedding (U+202A)', '\u202Aci'],
  ['a pop directional formatting (U+202C)', 'ci\u202C'],
  ['a right-to-left isolate (U+2067)', 'ci \u2067prod\u2069'],
  ['an Arabic letter mark (U+061C)', 'ci\u061C'],
  ['a left-to-right mark (U+200E)', 'ci\u200E'],
  ['a zero-width space (U+200B)', 'c\u200Bi'],
  ['a zero-width non-joiner between Latin letters (U+200C)', 'c\u200Ci'],
  ['a zero-width joiner between letters (U+200D)', 'c\u200Di'],
  ['a zero-width joiner after an emoji and before a letter', '🔑\u200Dci'],
  ['a word joiner (U+2060)', 'c\u2060i'],
  ['an invisible separator (U+2063)', 'c\u2063i'],
  ['a byte order mark (U+FEFF)', '\uFEFFci'],
  ['a Mongolian vowel separator (U+180E)', 'c\u180Ei'],
  ['a soft hyphen (U+00AD)', 'c\u00ADi'],
  ['a tag character (U+E0041)', 'ci\u{E0041}'],
  ['a variation selector after a letter (U+FE0F)', 'c\uFE0Fi'],
  ['a Hangul filler (U+3164)', '\u3164'],
  ['a line separator (U+2028)', 'ci\u2028prod'],
];

const VISIBLE: [string, string][] = [
  ['an emoji ZWJ sequence', 'deploy 👩‍💻'],
  ['an emoji ZWJ sequence with a skin tone', 'deploy 👩🏽‍💻'],
  ['an emoji with a variation selector in a ZWJ sequence', 'hot ❤️‍🔥 and 🏳️‍🌈'],
  ['an emoji variation selector', 'love ❤️ and ☁️'],
  ['a keycap', 'step 1️⃣'],
  ['Persian with a ZWNJ between Arabic letters', 'توکن می‌شود'],
  ['a family emoji', '👩‍👩‍👧‍👦'],
];

describe('a name with an invisible character', () => {
  it.each(INVISIBLE)('is refused with %s, wherever a name is stored, and nothing is stored', async (_label, name) => {
    const user = await service.user();
    const existing = await service.createPat(user, ['metrics.read'], { name: 'before' });
    expectBadInput(await service.tryCreatePat(user, { name }), 'name');
    expectBadInput(await service.tryCreateApiToken({ name }, admin), 'name');
    expectBadInput(await service.request(UPDATE_TOKEN, { id: existing.id, input: { name } }, user.authorization), 'name');
    expectBadInput(await service.request(CREATE_GROUP, { input: { name, permissions: [] } }, admin.authorization), 'name');
    expectBadInput(await service.request(CREATE_ZONE, { name }, admin.authorization), 'name');
    const [{ count }] = await service.service.dataSource.query(
      `SELECT (SELECT count(*) FROM access_token WHERE name = $1) + (SELECT count(*) FROM user_group WHERE name = $1)
            + (SELECT count(*) FROM management_zone WHERE name = $1) AS count`,
      [name],
    );
    expect(Number(count)).toBe(0);
    expect((await service.token(existing.id, user.authorization)).name).toBe('before');
  });

  it('is named in the error by its code point', async () => {
    const user = await service.user();
    const response = await service.tryCreatePat(user, { name: 'ci\u202Egnp' });
    expect(response.errors![0].message).toContain('U+202E');
  });
});

describe('a name whose invisible characters visibly change it', () => {
  it.each(VISIBLE)('is stored verbatim with %s', async (_label, name) => {
    const user = await service.user();
    const created = (await service.ok(CREATE_PAT, { input: { name, scopes: ['metrics.read'] } }, user.authorization)).createPersonalAccessToken.accessToken;
    expect(created.name).toBe(name);
    expect((await service.update(created.id, { name: `${name} 2` }, user.authorization)).name).toBe(`${name} 2`);
    expect((await service.ok(CREATE_ZONE, { name: `${name} ${user.subject}` }, admin.authorization)).createManagementZone.name).toBe(`${name} ${user.subject}`);
  });
});

describe('the schema', () => {
  it('says which characters a name may not hold, on every name field', async () => {
    const { __type: patInput } = await service.ok('{ __type(name: "CreatePersonalAccessTokenInput") { inputFields { name description } } }');
    const { __type: mutation } = await service.ok('{ __type(name: "Mutation") { fields { name args { name description } } } }');
    const zoneName = mutation.fields.find((field: any) => field.name === 'createManagementZone').args[0];
    for (const description of [patInput.inputFields.find((field: any) => field.name === 'name').description, zoneName.description]) {
      expect(description).toMatch(/U\+202A–U\+202E/);
      expect(description).toMatch(/U\+200B/);
      expect(description).toMatch(/Cf/);
    }
  });
});
