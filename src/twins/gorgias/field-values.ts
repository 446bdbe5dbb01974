// Checks ticket custom-field values against their definitions (gorgias-rest-api.md, 10 [C] S2): the id must be
// an active Ticket field and the value must match its `data_type`. Pure over state.
import { addFieldError, type ErrorData } from './api-reply.ts';
import type { CustomFieldAssignment } from './request-schemas.ts';
import type { TwinState } from './twin-state.ts';

export function checkFieldValue(state: TwinState, assignment: CustomFieldAssignment, path: readonly PropertyKey[], errors: ErrorData): boolean {
  const field = state.customFields.get(assignment.id);
  if (!field || field.objectType !== 'Ticket') {
    addFieldError(errors, [...path, 'id'], `No ticket custom field with id ${assignment.id}.`);
    return false;
  }
  if (field.deactivatedAt !== null) {
    addFieldError(errors, [...path, 'id'], `Custom field ${assignment.id} is archived.`);
    return false;
  }
  const expected = field.dataType === 'text' ? 'string' : field.dataType;
  if (typeof assignment.value !== expected) {
    addFieldError(errors, [...path, 'value'], `Not a valid ${field.dataType} value.`);
    return false;
  }
  return true;
}

export function checkFieldValues(state: TwinState, assignments: readonly CustomFieldAssignment[], path: readonly PropertyKey[], errors: ErrorData): void {
  for (const [index, assignment] of assignments.entries()) checkFieldValue(state, assignment, [...path, index], errors);
}
