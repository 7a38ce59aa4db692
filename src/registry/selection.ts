import type { KubeObject } from '../api/object.ts';
import { selectableFields, supportedFieldLabels } from '../api/selectable-fields.ts';
import { checkFieldSelector, isEverythingFields, parseFieldSelector, requiredFieldValue } from '../machinery/field-selector.ts';
import type { FieldSelector } from '../machinery/field-selector.ts';
import { matchesFields } from '../machinery/field-selector.ts';
import { isEverything, matchesLabels, parseLabelSelector } from '../machinery/label-selector.ts';
import type { LabelSelector } from '../machinery/label-selector.ts';

/**
 * The label + field selector of one list or watch request (apiserver's SelectionPredicate).
 * Parse errors and unsupported field labels are 400s, thrown here.
 *
 *   const sel = selectionFor('pods', 'app=web', 'spec.nodeName=n1');
 *   sel.matches(pod)
 */
export interface Selection {
  readonly everything: boolean;
  matches(obj: KubeObject): boolean;
  /** `metadata.name=<n>` pinned by the field selector (lets a list read one key). */
  readonly name?: string;
  /** `metadata.namespace=<ns>` pinned by the field selector (narrows an all-namespace scan). */
  readonly namespace?: string;
}

export function selectionFor(plural: string, labelSelector: string | undefined, fieldSelector: string | undefined): Selection {
  const labels: LabelSelector = parseLabelSelector(labelSelector ?? '');
  const fields: FieldSelector = parseFieldSelector(fieldSelector ?? '');
  checkFieldSelector(fields, supportedFieldLabels(plural), plural);
  const noLabels = isEverything(labels);
  const noFields = isEverythingFields(fields);
  const sel: { -readonly [K in keyof Selection]: Selection[K] } = {
    everything: noLabels && noFields,
    matches:
      noLabels && noFields
        ? () => true
        : (obj) =>
            (noLabels || matchesLabels(labels, obj.metadata?.labels)) &&
            (noFields || matchesFields(fields, selectableFields(plural, obj))),
  };
  const name = requiredFieldValue(fields, 'metadata.name');
  if (name) sel.name = name;
  const namespace = requiredFieldValue(fields, 'metadata.namespace');
  if (namespace) sel.namespace = namespace;
  return sel;
}
