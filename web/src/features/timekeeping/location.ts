// The device's position for a punch (navigator.geolocation). A refused or failed lookup is
// not an error: the punch goes without a location and the server flags it for the manager
// (TIME-GEOFENCE), so the clinician is told in words what will happen.
import type { PunchInput } from '../../api/types';

export interface Located {
  punch: PunchInput;
  /** Why no location was sent, in words for the clinician; null when it was. */
  note: string | null;
}

const kTimeoutMillis = 8000;

export function currentLocation(): Promise<Located> {
  const without = (why: string): Located => ({
    punch: {},
    note: `${why} The punch is recorded without a location and flagged for your manager.`,
  });
  if (!('geolocation' in navigator)) return Promise.resolve(without('This browser cannot share a location.'));
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (position) => resolve({
        punch: {
          latitude: position.coords.latitude,
          longitude: position.coords.longitude,
          accuracy_m: Math.max(0, Math.round(position.coords.accuracy)),
        },
        note: null,
      }),
      (failure) => {
        if (failure.code === failure.PERMISSION_DENIED) resolve(without('Location access was denied.'));
        else if (failure.code === failure.TIMEOUT) resolve(without('The location could not be found in time.'));
        else resolve(without('The location is not available.'));
      },
      // A fresh fix for every punch: a cached one may be from before the clinician arrived or left.
      { enableHighAccuracy: true, timeout: kTimeoutMillis, maximumAge: 0 },
    );
  });
}
