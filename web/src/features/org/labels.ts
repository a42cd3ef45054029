// Human words for the org module's codes (facility types as the API spells them).
const kFacilityTypes: Record<string, string> = {
  nursing_home: 'Nursing home',
  assisted_living: 'Assisted living',
  clinic: 'Clinic',
  physician_group: 'Physician group',
  hospital: 'Hospital',
  home_health: 'Home health',
};

export function facilityTypeLabel(type: string): string {
  return kFacilityTypes[type] ?? type.replaceAll('_', ' ');
}
