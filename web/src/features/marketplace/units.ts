// Colours that tell a facility's units apart on the calendar (each with white text at a
// contrast of 4.5:1 or more); the unit's name is always written too, never colour alone.
const kPalette = ['#1f5fbf', '#17703a', '#8a3ffc', '#b3261e', '#00635d', '#7a4b00', '#a11d77', '#3d4f66'];

export function unitColor(unitIds: number[], unitId: number): string {
  const index = unitIds.indexOf(unitId);
  return kPalette[(index < 0 ? unitId : index) % kPalette.length] ?? '#3d4f66';
}
