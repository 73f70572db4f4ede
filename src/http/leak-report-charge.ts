import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { RateLimits } from './rate-limit';

/** Root fields with a budget of their own, per client address: anonymous, and each one looks a token up. */
const LEAK_REPORT_FIELD = 'reportLeakedToken';

function countField(selectionSet: SelectionSetNode, name: string, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countField(selection.selectionSet, name, fragments, seen);
    } else {
      const fragment = fragments.get(selection.name.value);
      // Each spread counts: `...F ...F` runs F's fields once, but counting it twice errs on the safe side.
      if (fragment && !seen.has(fragment.name.value)) {
        count += countField(fragment.selectionSet, name, fragments, new Set([...seen, fragment.name.value]));
      }
    }
  }
  return count;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
}

/**
 * Charges each `reportLeakedToken` of an operation to the caller's address, once the operation
 * is known and before it runs; a spent budget answers 429 with Retry-After and runs nothing.
 */
export function leakReportCharge(limits: RateLimits): (resolved: { operation?: OperationDefinitionNode; document: DocumentNode; ip: string }) => Promise<void> {
  return async ({ operation, document, ip }) => {
    if (operation?.operation !== 'mutation') return;
    const reports = countField(operation.selectionSet, LEAK_REPORT_FIELD, fragmentsOf(document), new Set());
    if (reports > 0) await limits.leakReportsFrom(ip, reports);
  };
}
