// Human words for the org module's codes (facility types as the API spells them).
const kFacilityTypes: Record<string, string> = {
  nursing_home: 'Nursing home',
  clinic: 'Clinic',
  hospital: 'Hospital',
};

export function facilityTypeLabel(type: string): string {
  return kFacilityTypes[type] ?? type.replaceAll('_', ' ');
}
