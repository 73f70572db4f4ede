import { badInput } from './graphql/errors';

export const MAX_NAME_LENGTH = 200;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Characters that change how the text around them is shown without being seen themselves, so two
 * names that look the same in a list can differ ("ci" and "c\u200Bi"), or a name can show reversed
 * (U+202E): format characters (Unicode category Cf: bidi controls, zero-width characters, tags…),
 * the other default-ignorable code points (variation selectors, Hangul fillers…), and the line and
 * paragraph separators, which break a one-line list.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Zl}\p{Zp}]/u;
/** What may come before the joiner of an emoji ZWJ sequence (👩‍💻, 👩🏽‍💻, ❤️‍🔥), and after it. */
const EMOJI_BEFORE_JOINER = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]$/u;
const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;
const EMOJI = /^\p{Emoji}$/u;
const ARABIC = /^\p{Script=Arabic}$/u;

/**
 * The three invisible characters a name may hold, each only where it visibly changes the text:
 * ZWJ inside an emoji sequence (it joins two emoji into one), a text or emoji variation selector
 * right after an emoji (❤️), and ZWNJ between two Arabic-script letters (it breaks their joining,
 * as Persian spelling needs: می‌شود). Anywhere else they would be invisible.
 */
function isVisibleThere(character: string, before: string | undefined, after: string | undefined): boolean {
  switch (character) {
    case '\u200D':
      return before !== undefined && after !== undefined && EMOJI_BEFORE_JOINER.test(before) && PICTOGRAPH.test(after);
    case '\uFE0E':
    case '\uFE0F':
      return before !== undefined && EMOJI.test(before);
    case '\u200C':
      return before !== undefined && after !== undefined && ARABIC.test(before) && ARABIC.test(after);
    default:
      return false;
  }
}

/** The first invisible character of `text` that is not where it visibly changes the text, as U+XXXX. */
function invisibleCharacter(text: string): string | null {
  if (!INVISIBLE.test(text)) return null;
  const characters = [...text];
  for (const [index, character] of characters.entries()) {
    if (INVISIBLE.test(character) && !isVisibleThere(character, characters[index - 1], characters[index + 1])) {
      return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  return null;
}

/** What a name may hold, for the schema's descriptions of the name fields. */
export const NAME_RULES =
  'At most 200 characters, not blank. Refused with BAD_USER_INPUT: control characters (U+0000–U+001F, U+007F–U+009F); ' +
  'invisible format characters (Unicode category Cf), such as the bidi controls U+061C, U+200E, U+200F, U+202A–U+202E ' +
  'and U+2066–U+2069, the zero-width characters U+200B–U+200D, U+2060–U+2064 and U+FEFF, U+180E and the tags ' +
  'U+E0000–U+E007F; the other default-ignorable characters (variation selectors, Hangul fillers, U+180B–U+180F, ' +
  'U+FFF0–U+FFF8); and the separators U+2028 and U+2029. Allowed only where they visibly change the text: U+200D (ZWJ) ' +
  'between two emoji of a sequence, U+FE0E and U+FE0F right after an emoji, U+200C (ZWNJ) between two Arabic-script letters.';

/**
 * A display name (of a token, group or zone) is stored exactly as given, quotes, SQL and emoji
 * included; it must not be blank, longer than 200 characters, hold control characters or
 * invisible ones (see INVISIBLE, NAME_RULES), or be malformed UTF-16 (which would not survive the
 * trip to PostgreSQL unchanged).
 */
export function validateName(name: string, field: string): string {
  if (name.trim() === '') throw badInput(`The ${field} must not be empty`, field);
  if (!name.isWellFormed()) throw badInput(`The ${field} is not valid Unicode text`, field);
  if (CONTROL_CHARACTERS.test(name)) throw badInput(`The ${field} must not contain control characters`, field);
  const invisible = invisibleCharacter(name);
  if (invisible) throw badInput(`The ${field} must not contain the invisible character ${invisible}`, field);
  const length = [...name].length;
  if (length > MAX_NAME_LENGTH) {
    throw badInput(`The ${field} is ${length} characters long; at most ${MAX_NAME_LENGTH} are allowed`, field);
  }
  return name;
}

/** Whether text is free of control characters (C0, DEL and C1) and well-formed, so PostgreSQL stores it as sent. */
export function isPlainText(text: string): boolean {
  return text.isWellFormed() && !CONTROL_CHARACTERS.test(text);
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** PostgreSQL's SQLSTATE for a unique or foreign-key violation, when `error` is one. */
export function sqlState(error: unknown): string | undefined {
  const driverError = (error as { driverError?: { code?: unknown }; code?: unknown }) ?? {};
  const code = driverError.driverError?.code ?? driverError.code;
  return typeof code === 'string' ? code : undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const CHECK_VIOLATION = '23514';
export const FOREIGN_KEY_VIOLATION = '23503';
