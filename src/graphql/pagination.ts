import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { badInput } from './errors';

/** How every list of the API pages: keyset cursors, `first` items after `after`. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The paging arguments of every list, described once. */
export const FIRST_ARGUMENT = `How many to return: ${DEFAULT_PAGE_SIZE} when omitted, at most ${MAX_PAGE_SIZE}.`;
export const AFTER_ARGUMENT = "The previous page's pageInfo.endCursor; omit for the first page.";

/** `first` as asked, or the default; BAD_USER_INPUT beyond the largest page. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, 'first');
  }
  return first;
}

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(SortDirection, { name: 'SortDirection' });

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}
